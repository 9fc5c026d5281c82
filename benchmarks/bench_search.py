"""Search benchmark: index build time, query latency p50/p99, max RSS, and bm25s as the baseline.

    python benchmarks/bench_search.py [--sizes 10000,100000] [--rounds 5]

Each measurement runs in a child process so its max RSS is its own. Corpora are generated
Markdown notes in the shape of the real ones (Korean prose with English command names,
headings, blockquote definitions, symbol entries), seeded for repeatability.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "이미지가 뭐야", "컨테이너 삭제", "docker run", "RUN", "dockerfile run", "-v", "--rm", "--name",
    "백그라운드 실행", "포트포워딩", "how do I remove a container", "what is an image", "볼륨 마운트",
    "환경변수 설정", "imgae", "contianer", "컨테이나", "볼룸", "도커 빌드 과정", "캐시 레이어",
    "kubernetes pod autoscaling", "파이썬 리스트 정렬", "네트워크 브리지 연결", "docker compose 설정 파일",
    "이미지 태그 붙이기", "레지스트리 로그인", "exec bash", "-p 8080:80", "헬스체크", "multi stage build",
]

TOPICS = ["이미지", "컨테이너", "네트워크", "볼륨", "빌드", "레지스트리", "보안", "로그", "모니터링", "배포",
          "캐시", "레이어", "환경변수", "포트", "스토리지", "오케스트레이션", "compose", "swarm", "buildx", "context"]
SYMBOLS = ["run", "ps", "rm", "rmi", "exec", "build", "pull", "push", "tag", "logs", "inspect", "network",
           "volume", "stop", "start", "-d", "-p", "-v", "-e", "--name", "--rm", "-it", "--network", "--mount",
           "FROM", "RUN", "CMD", "COPY", "ADD", "ENV", "EXPOSE", "VOLUME", "WORKDIR", "LABEL", "ARG", "USER"]
WORDS_KO = ["컨테이너를", "이미지는", "실행하면", "삭제된다", "파일을", "설정값을", "포트가", "연결한다", "호스트와",
            "디렉토리를", "마운트", "백그라운드로", "네트워크에", "빌드할", "캐시가", "레이어를", "저장소에",
            "업로드", "다운받고", "프로세스가", "종료되면", "자동으로", "환경변수를", "지정한다", "서버에", "배포할",
            "로그를", "확인한다", "권한을", "사용자", "설치", "버전", "기본", "옵션", "명령어", "여러", "개의"]
WORDS_EN = ["container", "image", "layer", "cache", "host", "port", "volume", "network", "registry", "daemon",
            "client", "server", "build", "context", "tag", "digest", "runtime", "namespace", "cgroup"]


def _word(rng: random.Random) -> str:
    if rng.random() < 0.15:  # a rarer made-up term, so the vocabulary keeps growing like real notes
        syllables = "가나다라마바사아자차카타파하고노도로모보소오조코토포호"
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
    return rng.choice(WORDS_KO) if rng.random() < 0.75 else rng.choice(WORDS_EN)


def generate(entries: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out: list[str] = ["# Generated notes", ""]
    written = 0
    section = 0
    while written < entries:
        section += 1
        out += [f"## {rng.choice(TOPICS)} {section}", f"> {' '.join(_word(rng) for _ in range(8))}", ""]
        if rng.random() < 0.3:
            out += [f"### {rng.choice(TOPICS)} {rng.choice(SYMBOLS).strip('-')} 정리", ""]
        for _ in range(rng.randint(5, 15)):
            words = " ".join(_word(rng) for _ in range(rng.randint(4, 14)))
            if rng.random() < 0.6:
                out.append(f"- `{rng.choice(SYMBOLS)}` {words}")
            else:
                out.append(f"- {words}")
            if rng.random() < 0.1:
                out.append(" ".join(_word(rng) for _ in range(6)))
            written += 1
        out.append("")
    return "\n".join(out)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return p50 * 1000, p99 * 1000


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _child_bot(notes_dir: Path, rounds: int) -> dict[str, float]:
    from bot.notes.index import NotesIndex
    from bot.storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        index = await NotesIndex.open(db, notes_dir, ROOT / "data")
        build = time.perf_counter() - started
        started = time.perf_counter()
        await db.close()
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        index = await NotesIndex.open(db, notes_dir, ROOT / "data")
        reopen = time.perf_counter() - started
        for query in QUERIES:  # warm-up (first typo imports rapidfuzz)
            await index.search(query)
        samples: list[float] = []
        for _ in range(rounds):
            for query in QUERIES:
                t0 = time.perf_counter()
                await index.search(query)
                samples.append(time.perf_counter() - t0)
        await db.close()
    p50, p99 = _percentiles(samples)
    return {"build_s": build, "reopen_s": reopen, "p50_ms": p50, "p99_ms": p99, "rss_mb": _max_rss_mb()}


def _child_bm25s(notes_dir: Path, rounds: int) -> dict[str, float]:
    import bm25s

    from bot.notes.korean import index_terms
    from bot.notes.parser import parse_markdown

    docs: list[list[str]] = []
    for path in sorted(notes_dir.glob("*.md")):
        for section in parse_markdown(path.read_text(encoding="utf-8"), path.name):
            head = index_terms(" ".join(section.path))
            docs.append(head + index_terms(section.definition + " " + " ".join(section.body)))
            docs += [head + index_terms(entry.raw) for entry in section.entries]
    started = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)
    build = time.perf_counter() - started
    queries = [[t for t in index_terms(q)] or ["x"] for q in QUERIES]
    k = min(5, len(docs))
    for query in queries:
        retriever.retrieve([query], k=k, show_progress=False)
    samples: list[float] = []
    for _ in range(rounds):
        for query in queries:
            t0 = time.perf_counter()
            retriever.retrieve([query], k=k, show_progress=False)
            samples.append(time.perf_counter() - t0)
    p50, p99 = _percentiles(samples)
    return {"build_s": build, "p50_ms": p50, "p99_ms": p99, "rss_mb": _max_rss_mb()}


def _run_child(kind: str, notes_dir: Path, rounds: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--notes", str(notes_dir), "--rounds", str(rounds)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=["bot", "bm25s"])
    parser.add_argument("--notes", type=Path)
    args = parser.parse_args()
    if args.child:
        if args.child == "bot":
            result = asyncio.run(_child_bot(args.notes, args.rounds))
        else:
            result = _child_bm25s(args.notes, args.rounds)
        print(json.dumps(result))
        return

    corpora: list[tuple[str, Path]] = [("shipped notes", ROOT / "data" / "notes")]
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s):
            folder = Path(tmp) / f"gen{size}"
            folder.mkdir()
            (folder / "notes.md").write_text(generate(size), encoding="utf-8")
            corpora.append((f"generated {size:,} entries", folder))
        print(f"{len(QUERIES)} queries × {args.rounds} rounds per corpus (Korean, English, flags, typos, no-answer)\n")
        header = f"{'corpus':<28}{'build s':>9}{'reopen s':>10}{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>9}"
        header += f"{'bm25s p50':>11}{'bm25s p99':>11}{'ratio p50':>11}{'ratio p99':>11}{'bm25s RSS':>11}"
        print(header)
        for name, folder in corpora:
            bot = _run_child("bot", folder, args.rounds)
            base = _run_child("bm25s", folder, args.rounds)
            print(
                f"{name:<28}{bot['build_s']:>9.2f}{bot['reopen_s']:>10.3f}{bot['p50_ms']:>9.2f}{bot['p99_ms']:>9.2f}"
                f"{bot['rss_mb']:>9.1f}{base['p50_ms']:>11.2f}{base['p99_ms']:>11.2f}"
                f"{bot['p50_ms'] / base['p50_ms']:>11.2f}{bot['p99_ms'] / base['p99_ms']:>11.2f}{base['rss_mb']:>11.1f}"
            )
        print("\ntargets: p99 ≤ 5 ms at 100k entries, ratio ≤ 1 (not slower than bm25s), bot RSS ≤ 150 MB")


if __name__ == "__main__":
    main()
