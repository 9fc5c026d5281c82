"""Every sentence ``!explain`` and ``!reindex`` write, in English and Korean (:mod:`bot.i18n`)."""

from __future__ import annotations

from bot.i18n import register

register(
    {
        "cmd.explain.summary": {
            "en": "Explain a Docker topic from the study notes.",
            "ko": "스터디 노트에서 Docker 주제를 찾아 설명합니다.",
        },
        "cmd.explain.details": {
            "en": "Ask in English or Korean: a command (`run`), a flag (`--rm`), a Dockerfile instruction "
            "(`RUN`) or a question (`이미지가 뭐야`). `{prefix}explain -v <topic>` shows the whole section. "
            "`{prefix}explain` alone lists the topics.",
            "ko": "영어나 한국어로 물어보세요: 명령어(`run`), 옵션(`--rm`), Dockerfile 명령(`RUN`), 질문"
            "(`이미지가 뭐야`). `{prefix}explain -v <주제>` 는 섹션 전체를 보여줍니다. "
            "`{prefix}explain` 만 입력하면 주제 목록이 나옵니다.",
        },
        "opt.explain.query": {"en": "What to explain, e.g. run, -v, 이미지", "ko": "설명할 것 (예: run, -v, 이미지)"},
        "opt.explain.verbose": {"en": "Show the whole section", "ko": "섹션 전체 보기"},
        "cmd.reindex.summary": {
            "en": "Rebuild the notes index from the notes files.",
            "ko": "노트 파일로 노트 색인을 다시 만듭니다.",
        },
        "explain.source": {"en": "📄 Source: {source}", "ko": "📄 출처: {source}"},
        "explain.correction": {"en": "⚠️ Correction: {text}", "ko": "⚠️ 바로잡기: {text}"},
        "explain.see_also": {"en": "🔗 See also: {items}", "ko": "🔗 함께 보기: {items}"},
        "explain.related": {"en": "**Related**", "ko": "**관련 항목**"},
        "explain.more": {
            "en": "More: {prefix}explain -v {query}",
            "ko": "자세히: {prefix}explain -v {query}",
        },
        "explain.cut": {"en": "… (cut short)", "ko": "… (생략됨)"},
        "explain.not_found.title": {"en": "Not in the notes", "ko": "노트에 없는 내용"},
        "explain.not_found": {
            "en": "I found nothing in the study notes that answers {query}.",
            "ko": "스터디 노트에서 {query} 에 대한 답을 찾지 못했습니다.",
        },
        "explain.elsewhere": {
            "en": "That looks like a question about {tools}, not Docker: the study notes and Docker's reference "
                  "only cover Docker.",
            "ko": "{tools}에 대한 질문 같아요. 스터디 노트와 Docker 레퍼런스는 Docker만 다룹니다.",
        },
        "explain.closest": {"en": "Closest topics:", "ko": "가까운 주제:"},
        "explain.topics_hint": {
            "en": "{prefix}explain alone lists every topic.",
            "ko": "{prefix}explain 만 입력하면 전체 주제 목록이 나옵니다.",
        },
        "explain.topics.title": {"en": "Topics in the study notes", "ko": "스터디 노트 주제"},
        "explain.reference.title": {"en": "Docker reference · {title}", "ko": "Docker 레퍼런스 · {title}"},
        "explain.reference.footer": {
            "en": "From Docker's official reference (docker-doc), not the study notes.",
            "ko": "스터디 노트가 아니라 Docker 공식 레퍼런스(docker-doc)에서 가져온 답입니다.",
        },
        "explain.reference.also": {"en": "Also in the reference: {items}", "ko": "레퍼런스의 다른 항목: {items}"},
        "explain.choices.page": {"en": "{title} · Docker reference", "ko": "{title} · Docker 레퍼런스"},
        "explain.choices.title": {"en": "Did you mean one of these?", "ko": "혹시 이 중 하나인가요?"},
        "explain.choices.intro": {
            "en": "I am not sure the notes answer {query}. Pick the closest entry:",
            "ko": "{query} 에 대한 답인지 확실하지 않습니다. 가장 가까운 항목을 고르세요:",
        },
        "explain.choices.footer": {
            "en": "Your pick is remembered for this server, so the same question gets that answer next time.",
            "ko": "고른 항목은 이 서버에서 기억해 두었다가, 같은 질문에 바로 답합니다.",
        },
        "explain.pick.gone": {
            "en": "That choice has expired or the notes changed: ask again.",
            "ko": "선택지가 만료되었거나 노트가 바뀌었습니다. 다시 물어보세요.",
        },
        "explain.pick.other_server": {
            "en": "That choice belongs to another server.",
            "ko": "다른 서버의 선택지입니다.",
        },
        "explain.learned": {
            "en": "🧠 Members here picked this for that question.",
            "ko": "🧠 이 서버 멤버들이 이 질문에 고른 항목입니다.",
        },
        "explain.gaps.title": {"en": "Questions the notes do not answer yet", "ko": "노트가 아직 답하지 못하는 질문"},
        "explain.gaps.none": {
            "en": "No unanswered questions recorded here.",
            "ko": "기록된 미해결 질문이 없습니다.",
        },
        "explain.gaps.line": {"en": "{count}× {question}", "ko": "{count}회 · {question}"},
        "explain.gaps.footer": {
            "en": "A question leaves this list once the notes answer it.",
            "ko": "노트가 답하게 되면 목록에서 빠집니다.",
        },
        "explain.learned.title": {"en": "Picks members made", "ko": "멤버들이 고른 항목"},
        "explain.learned.none": {"en": "No picks recorded here yet.", "ko": "아직 기록된 선택이 없습니다."},
        "explain.learned.line": {"en": "{question} → {label} ({count}×)", "ko": "{question} → {label} ({count}회)"},
        "explain.forget.done": {
            "en": "Forgot {count} pick(s) for {question}.",
            "ko": "{question} 에 대한 선택 {count}개를 지웠습니다.",
        },
        "explain.forget.none": {
            "en": "Nothing was learned for {question}.",
            "ko": "{question} 에 대해 배운 것이 없습니다.",
        },
        "explain.managers_only": {
            "en": "Only managers can use `{prefix}explain {sub}`.",
            "ko": "`{prefix}explain {sub}` 는 관리자만 쓸 수 있습니다.",
        },
        "explain.topics.usage": {
            "en": "Usage: `{prefix}explain [-v] <topic>`, for example `{prefix}explain 이미지` or "
            "`{prefix}explain -v --rm`.",
            "ko": "사용법: `{prefix}explain [-v] <주제>` (예: `{prefix}explain 이미지`, "
            "`{prefix}explain -v --rm`).",
        },
        "explain.topics.more": {"en": "… and {count} more.", "ko": "… 외 {count}개."},
        "explain.no_words": {
            "en": "There are no words to look up in {query}. Ask about a topic, a command or a flag.",
            "ko": "{query} 에는 찾아볼 단어가 없습니다. 주제나 명령어, 옵션을 물어보세요.",
        },
        "explain.too_long": {
            "en": "That question is too long to look up ({length} characters; keep it under {limit}).",
            "ko": "질문이 너무 길어 찾을 수 없습니다 ({length}자, {limit}자 이하로 써 주세요).",
        },
        "reindex.done": {
            "en": "Notes index rebuilt: {files} file(s), {sections} sections, {entries} entries in {seconds:.2f} s.",
            "ko": "노트 색인을 다시 만들었습니다: 파일 {files}개, 섹션 {sections}개, 항목 {entries}개 "
            "({seconds:.2f}초).",
        },
        "explain.unavailable": {
            "en": "The notes cannot be searched right now ({problem}).",
            "ko": "지금은 노트를 검색할 수 없습니다 ({problem}).",
        },
        "reindex.failed": {
            "en": "Could not rebuild the notes index: {problem}",
            "ko": "노트 색인을 다시 만들지 못했습니다: {problem}",
        },
    }
)
