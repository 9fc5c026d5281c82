"""The sentences of lab exercises (en + ko), and the wording of a check's problems."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import register, t
from bot.quiz.lab_check import Problem
from bot.textsafe import inline_code

register(
    {
        "quiz.lab.unavailable": {
            "en": "The Docker lab is not available here, so there are no lab exercises.",
            "ko": "여기서는 Docker 실습장을 쓸 수 없어서 실습 문제가 없습니다.",
        },
        "quiz.lab.unreachable": {
            "en": "I could not read your lab just now (the lab did not answer). Try again in a moment.",
            "ko": "지금은 실습장을 읽지 못했습니다 (실습장이 응답하지 않음). 잠시 뒤에 다시 해 보세요.",
        },
        "quiz.lab.none": {"en": "There are no lab exercises loaded.", "ko": "불러온 실습 문제가 없습니다."},
        "quiz.lab.no_task": {
            "en": "You have no lab exercise open. `{prefix}quiz lab` gives you one.",
            "ko": "진행 중인 실습 문제가 없습니다. `{prefix}quiz lab` 으로 하나 받아 보세요.",
        },
        "quiz.lab.gone": {
            "en": "That exercise is no longer in the quiz bank, so I closed it.",
            "ko": "그 실습 문제는 더 이상 문제 은행에 없어서 닫았습니다.",
        },
        "quiz.lab.title": {"en": "🧪 Lab exercise · {topic}", "ko": "🧪 실습 문제 · {topic}"},
        "quiz.lab.already_open": {
            "en": "You already have this lab exercise open:",
            "ko": "이미 진행 중인 실습 문제가 있습니다:",
        },
        "quiz.lab.how": {
            "en": "Do it in your lab with `{prefix}docker …`, then press **Check my lab** or type "
            "`{prefix}quiz check`. `{prefix}quiz hint` for a hint, `{prefix}quiz skip` to give up.",
            "ko": "`{prefix}docker …` 로 실습장에서 해 본 뒤 **내 실습장 확인** 을 누르거나 `{prefix}quiz check` 를 "
            "입력하세요. 힌트는 `{prefix}quiz hint`, 포기는 `{prefix}quiz skip`.",
        },
        "quiz.lab.setup_needed": {
            "en": "⚙️ Before this exercise starts, your lab needs:",
            "ko": "⚙️ 이 문제를 시작하기 전에 실습장에 이것이 있어야 합니다:",
        },
        "quiz.lab.setup_then": {
            "en": "When it is there, check your lab: I will note where you start from.",
            "ko": "준비되면 실습장을 확인하세요. 그 상태를 시작점으로 기록합니다.",
        },
        "quiz.lab.ready": {
            "en": "✅ Your lab is ready and this is where the exercise starts. Do it, then check again.",
            "ko": "✅ 실습장이 준비되었고, 지금 상태가 시작점입니다. 문제를 푼 뒤 다시 확인하세요.",
        },
        "quiz.lab.not_yet": {"en": "Not yet. Still to do:", "ko": "아직입니다. 남은 것:"},
        "quiz.lab.passed": {"en": "✅ Done! +{points} points", "ko": "✅ 성공! +{points}점"},
        "quiz.lab.gave_up": {"en": "Exercise closed", "ko": "실습 문제를 닫았습니다"},
        "quiz.lab.solution": {"en": "A solution:", "ko": "풀이 예:"},
        "quiz.lab.check": {"en": "🔍 Check my lab", "ko": "🔍 내 실습장 확인"},
        "quiz.lab.give_up": {"en": "🏳️ Give up", "ko": "🏳️ 포기"},
        "quiz.lab.try": {"en": "🧪 Try it in my lab", "ko": "🧪 내 실습장에서 풀기"},
        "quiz.lab.topics_line": {
            "en": "🧪 {count} lab exercises, done in your own lab: `{prefix}quiz lab`",
            "ko": "🧪 내 실습장에서 푸는 실습 문제 {count}개: `{prefix}quiz lab`",
        },
        "quiz.lab.hint": {"en": "💡 Hint {number}/{total}: {hint}", "ko": "💡 힌트 {number}/{total}: {hint}"},
        "quiz.lab.hint_points": {
            "en": " (done now, it earns at most {points} points)",
            "ko": " (이제 성공하면 최대 {points}점)",
        },
        # what a check found still wrong; values are shown in code
        "quiz.lab.problem.container_missing": {
            "en": "there is no container named `{name}`", "ko": "`{name}` 이라는 컨테이너가 없습니다",
        },
        "quiz.lab.problem.container_image": {
            "en": "`{name}` was made from `{got}`, not `{want}`",
            "ko": "`{name}` 의 이미지가 `{want}` 가 아니라 `{got}` 입니다",
        },
        "quiz.lab.problem.container_status": {
            "en": "`{name}` is `{got}`; it should be `{want}`",
            "ko": "`{name}` 의 상태가 `{got}` 입니다. `{want}` 여야 합니다",
        },
        "quiz.lab.problem.container_command": {
            "en": "`{name}` runs `{got}`; its command should contain `{want}`",
            "ko": "`{name}` 은(는) `{got}` 을(를) 실행합니다. 명령에 `{want}` 이(가) 있어야 합니다",
        },
        "quiz.lab.problem.container_env": {
            "en": "`{name}` does not have the environment variable `{want}`",
            "ko": "`{name}` 에 환경변수 `{want}` 이(가) 없습니다",
        },
        "quiz.lab.problem.container_port": {
            "en": "`{name}` has no port mapping `{want}` (`-p`)",
            "ko": "`{name}` 에 포트 연결 `{want}` (`-p`) 이(가) 없습니다",
        },
        "quiz.lab.problem.container_network": {
            "en": "`{name}` is not on the network `{want}`",
            "ko": "`{name}` 이(가) 네트워크 `{want}` 에 연결되어 있지 않습니다",
        },
        "quiz.lab.problem.container_volume": {
            "en": "`{name}` does not mount the volume `{want}`",
            "ko": "`{name}` 에 볼륨 `{want}` 이(가) 마운트되어 있지 않습니다",
        },
        "quiz.lab.problem.container_exit_code": {
            "en": "`{name}` exited with code {got}, not {want}",
            "ko": "`{name}` 의 종료 코드가 {want} 가 아니라 {got} 입니다",
        },
        "quiz.lab.problem.container_not_new": {
            "en": "`{name}` is still the container that was there when the exercise started: replace it with a new one",
            "ko": "`{name}` 은(는) 문제를 시작할 때 있던 그 컨테이너입니다. 새 컨테이너로 바꾸세요",
        },
        "quiz.lab.problem.containers_too_few": {
            "en": "{got} of the {want} container(s) wanted with `{what}`",
            "ko": "`{what}` 인 컨테이너가 {want}개 있어야 하는데 {got}개입니다",
        },
        "quiz.lab.problem.containers_left": {
            "en": "these containers should be gone: `{names}`",
            "ko": "이 컨테이너들이 없어야 합니다: `{names}`",
        },
        "quiz.lab.problem.containers_not_kept": {
            "en": "`{names}` was `{status}` when the exercise started and should still be",
            "ko": "`{names}` 은(는) 문제를 시작할 때 `{status}` 였고 지금도 그래야 합니다",
        },
        "quiz.lab.problem.image_missing": {"en": "there is no image `{name}`", "ko": "이미지 `{name}` 이(가) 없습니다"},
        "quiz.lab.problem.image_not_built": {
            "en": "`{name}` was not made by `docker build`",
            "ko": "`{name}` 은(는) `docker build` 로 만든 이미지가 아닙니다",
        },
        "quiz.lab.problem.image_cmd": {
            "en": "the CMD of `{name}` is `{got}`; it should contain `{want}`",
            "ko": "`{name}` 의 CMD 가 `{got}` 입니다. `{want}` 이(가) 있어야 합니다",
        },
        "quiz.lab.problem.image_entrypoint": {
            "en": "the ENTRYPOINT of `{name}` is `{got}`; it should contain `{want}`",
            "ko": "`{name}` 의 ENTRYPOINT 가 `{got}` 입니다. `{want}` 이(가) 있어야 합니다",
        },
        "quiz.lab.problem.image_env": {
            "en": "`{name}` does not set `ENV {want}`", "ko": "`{name}` 에 `ENV {want}` 이(가) 없습니다",
        },
        "quiz.lab.problem.image_workdir": {
            "en": "the working directory of `{name}` is `{got}`, not `{want}`",
            "ko": "`{name}` 의 작업 디렉토리가 `{want}` 가 아니라 `{got}` 입니다",
        },
        "quiz.lab.problem.volume_missing": {"en": "there is no volume `{name}`", "ko": "볼륨 `{name}` 이(가) 없습니다"},
        "quiz.lab.problem.network_missing": {
            "en": "there is no network `{name}`", "ko": "네트워크 `{name}` 이(가) 없습니다",
        },
    }
)


def problem_lines(problems: Iterable[Problem], lang: str) -> list[str]:
    """One bullet per problem. Values (names and commands the member chose) are made safe for inline code."""
    return [
        "• " + t(lang, f"quiz.lab.problem.{p.code}", **{k: inline_code(v or "—", 80) for k, v in p.values})
        for p in problems
    ]
