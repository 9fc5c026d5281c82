"""Every sentence ``!run`` writes, in English and Korean (:mod:`bot.i18n`)."""

from __future__ import annotations

from bot.i18n import register

register(
    {
        "cmd.run.summary": {
            "en": "Run a command in a locked-down, short-lived container.",
            "ko": "잠긴 일회용 컨테이너에서 명령을 실행합니다.",
        },
        "opt.run.image": {"en": "An allowed image, e.g. alpine", "ko": "허용된 이미지 (예: alpine)"},
        "opt.run.command": {"en": "The command, e.g. echo hi", "ko": "실행할 명령 (예: echo hi)"},
        "cmd.run.details": {
            "en": (
                "`{prefix}run <image> <command…>` runs the command in a fresh container with no network, "
                "a read-only disk (only a small /tmp and a 1 MiB /dev/shm are writable) and tight time, "
                "memory and process limits. "
                "Put a code block after the image to run it with `sh`. `{prefix}run images` lists the images. "
                "Server managers can put `-v` before the image to see which runner and node ran it."
            ),
            "ko": (
                "`{prefix}run <이미지> <명령…>` 은 네트워크가 없고 디스크는 읽기 전용"
                "(작은 /tmp 와 1 MiB /dev/shm 만 쓰기 가능)이며 "
                "시간·메모리·프로세스 제한이 걸린 새 컨테이너에서 명령을 실행합니다. 이미지 뒤에 코드 블록을 "
                "붙이면 `sh` 로 실행합니다. `{prefix}run images` 로 이미지 목록을 봅니다. "
                "서버 관리자는 이미지 앞에 `-v` 를 붙여 어느 러너와 노드가 실행했는지 볼 수 있습니다."
            ),
        },
        "run.images.title": {"en": "Images you can run", "ko": "실행할 수 있는 이미지"},
        "run.images.usage": {
            "en": "Usage: `{prefix}run <image> <command…>`, or `{prefix}run <image>` and a code block. "
            "Example: `{prefix}run alpine echo hi`",
            "ko": "사용법: `{prefix}run <이미지> <명령…>` 또는 `{prefix}run <이미지>` 뒤에 코드 블록. "
            "예: `{prefix}run alpine echo hi`",
        },
        "run.err.options": {
            "en": "Options are not accepted (`{option}`): I choose the container's settings. "
            "Write the image first, then the command, e.g. `{prefix}run alpine ls -l /`.",
            "ko": "옵션(`{option}`)은 받지 않습니다: 컨테이너 설정은 봇이 정합니다. "
            "이미지를 먼저, 그다음 명령을 쓰세요. 예: `{prefix}run alpine ls -l /`",
        },
        "run.err.verbose_managers": {
            "en": "`{prefix}run -v` (which runner ran it) is for server managers.",
            "ko": "`{prefix}run -v` (어느 러너가 실행했는지 보기)는 서버 관리자만 쓸 수 있습니다.",
        },
        "run.where.runner": {
            "en": "Ran by runner `{runner}` at {address} on node `{node}`.",
            "ko": "러너 `{runner}` ({address}) 가 노드 `{node}` 에서 실행했습니다.",
        },
        "run.where.local": {
            "en": "Ran by the bot's own process on node `{node}`.",
            "ko": "봇 자신의 프로세스가 노드 `{node}` 에서 실행했습니다.",
        },
        "run.where.lost": {
            "en": "It was on runner {address}.",
            "ko": "러너 {address} 에서 실행 중이었습니다.",
        },
        "run.err.quotes": {
            "en": "The quotes in that command are not balanced ({problem}); close every ' and \".",
            "ko": "명령의 따옴표 짝이 맞지 않습니다 ({problem}). ' 와 \" 를 모두 닫아 주세요.",
        },
        "run.err.block_and_words": {
            "en": "Put either a command or a code block after the image, not both.",
            "ko": "이미지 뒤에는 명령이나 코드 블록 중 하나만 쓰세요.",
        },
        "run.err.block_unclosed": {
            "en": "The code block is not closed: end it with ```.",
            "ko": "코드 블록이 닫히지 않았습니다: ``` 로 끝내 주세요.",
        },
        "run.err.image": {
            "en": "`{image}` is not a valid image name: {problem} Allowed images: {allowed}.",
            "ko": "`{image}` 은(는) 올바른 이미지 이름이 아닙니다: {problem} 허용된 이미지: {allowed}.",
        },
        "run.err.image.empty": {"en": "it is empty.", "ko": "비어 있습니다."},
        "run.err.image.too_long": {"en": "it is longer than 255 characters.", "ko": "255자를 넘습니다."},
        "run.err.image.characters": {
            "en": "it may only use ASCII letters, digits and . _ - / : @.",
            "ko": "ASCII 글자, 숫자와 . _ - / : @ 만 쓸 수 있습니다.",
        },
        "run.err.image.uppercase": {"en": "names must be lower case.", "ko": "이름은 소문자여야 합니다."},
        "run.err.image.name": {
            "en": "each part of the name is lower-case letters and digits joined by . _ or -.",
            "ko": "이름의 각 부분은 소문자와 숫자이며 . _ - 로만 이어집니다.",
        },
        "run.err.image.tag": {
            "en": "a tag is up to 128 letters, digits, . _ or -.",
            "ko": "태그는 128자 이하의 글자, 숫자, . _ - 입니다.",
        },
        "run.err.image.digest": {
            "en": "a digest looks like sha256: and 64 hex digits.",
            "ko": "다이제스트는 sha256: 과 16진수 64자리입니다.",
        },
        "run.err.not_allowed": {
            "en": "`{image}` is not on the list of images I may run. Allowed images: {allowed}.",
            "ko": "`{image}` 은(는) 실행할 수 있는 이미지 목록에 없습니다. 허용된 이미지: {allowed}.",
        },
        "run.err.unknown_digest": {
            "en": "`{image}` is not on this engine, and I only pull digests that the list of images names. "
            "Use a tag instead. Allowed images: {allowed}.",
            "ko": "`{image}` 은(는) 이 엔진에 없고, 이미지 목록에 적힌 다이제스트만 받아옵니다. "
            "태그를 쓰세요. 허용된 이미지: {allowed}.",
        },
        "run.err.disabled": {
            "en": "`{prefix}run` is turned off on this bot.",
            "ko": "이 봇에서는 `{prefix}run` 이 꺼져 있습니다.",
        },
        "run.err.engine_down": {
            "en": "The Docker engine is not reachable right now, so I cannot run anything. "
            "Every other command still works; try `{prefix}run` again later.",
            "ko": "지금은 Docker 엔진에 연결할 수 없어 실행할 수 없습니다. "
            "다른 명령은 모두 됩니다. 나중에 `{prefix}run` 을 다시 시도해 주세요.",
        },
        "run.err.engine_lost": {
            "en": "The Docker engine stopped answering during the run, so it did not finish. "
            "Nothing was left behind; try again in a moment.",
            "ko": "실행 중에 Docker 엔진이 응답을 멈춰 끝내지 못했습니다. 남은 것은 없습니다. "
            "잠시 뒤 다시 시도해 주세요.",
        },
        "run.err.engine_error": {
            "en": "The Docker engine refused the run: {reason}",
            "ko": "Docker 엔진이 실행을 거절했습니다: {reason}",
        },
        "run.err.runtime_missing": {
            "en": "This bot is set to use the `{runtime}` runtime, but the Docker engine does not have it.",
            "ko": "이 봇은 `{runtime}` 런타임을 쓰도록 설정되어 있지만 Docker 엔진에 없습니다.",
        },
        "run.err.already": {
            "en": "You already have a run waiting or running; wait for it to finish.",
            "ko": "이미 대기 중이거나 실행 중인 작업이 있습니다. 끝날 때까지 기다려 주세요.",
        },
        "run.err.cooldown": {
            "en": "Slow down: you can run again in {seconds} s.",
            "ko": "잠시만요: {seconds}초 뒤에 다시 실행할 수 있습니다.",
        },
        "run.err.busy": {
            "en": "The sandbox is busy ({waiting} runs waiting). Try again in {seconds} s.",
            "ko": "샌드박스가 바쁩니다 (대기 {waiting}개). {seconds}초 뒤에 다시 시도해 주세요.",
        },
        "run.err.pull_failed": {
            "en": "Could not pull `{image}`: {reason}",
            "ko": "`{image}` 을(를) 받아오지 못했습니다: {reason}",
        },
        "run.err.pull_timeout": {
            "en": "Pulling `{image}` took longer than {seconds} s; try again later.",
            "ko": "`{image}` 받아오기가 {seconds}초를 넘었습니다. 나중에 다시 시도해 주세요.",
        },
        "run.err.command.empty": {"en": "The command is empty.", "ko": "명령이 비어 있습니다."},
        "run.err.command.too_long": {
            "en": "That command is too long for the sandbox (at most 1024 words and 32 KiB).",
            "ko": "샌드박스에서 실행하기에는 명령이 너무 깁니다 (최대 1024 단어, 32 KiB).",
        },
        "run.err.command.nul": {
            "en": "The command contains a NUL character, which no program can receive.",
            "ko": "명령에 NUL 문자가 들어 있습니다. 어떤 프로그램도 이를 받을 수 없습니다.",
        },
        "run.err.restarting": {
            "en": "The sandbox is restarting, so this run did not finish. Try again in a moment.",
            "ko": "샌드박스가 다시 시작하는 중이라 실행이 끝나지 않았습니다. 잠시 뒤 다시 시도해 주세요.",
        },
        "run.err.runner_down": {
            "en": "The sandbox runner is not reachable right now, so I cannot run anything. "
            "Every other command still works; try `{prefix}run` again later.",
            "ko": "지금은 샌드박스 러너에 연결할 수 없어 실행할 수 없습니다. "
            "다른 명령은 모두 됩니다. 나중에 `{prefix}run` 을 다시 시도해 주세요.",
        },
        "run.err.runner_lost": {
            "en": "The sandbox runner stopped answering during the run, so it did not finish. "
            "Try again in a moment.",
            "ko": "실행 중에 샌드박스 러너가 응답을 멈춰 끝내지 못했습니다. 잠시 뒤 다시 시도해 주세요.",
        },
        "run.err.runner_auth": {
            "en": "The sandbox runner refused the bot's credentials, so I cannot run anything. "
            "The bot's owner should give the bot and the runner the same STUDYBOT_SANDBOX_TOKEN.",
            "ko": "샌드박스 러너가 봇의 인증 정보를 거절해 실행할 수 없습니다. "
            "봇 운영자는 봇과 러너에 같은 STUDYBOT_SANDBOX_TOKEN 을 설정해야 합니다.",
        },
        "run.err.runner_bad": {
            "en": "The sandbox runner gave an answer I could not understand ({reason}); "
            "the bot's owner will find details in the logs.",
            "ko": "샌드박스 러너의 응답을 이해하지 못했습니다 ({reason}). "
            "봇 운영자는 로그에서 자세한 내용을 볼 수 있습니다.",
        },
        "run.pulling": {"en": "⬇️ Pulling `{image}`…", "ko": "⬇️ `{image}` 받아오는 중…"},
        "run.pulling.progress": {
            "en": "⬇️ Pulling `{image}`… {done:.1f} of {total:.1f} MiB, {layers_done}/{layers} layers",
            "ko": "⬇️ `{image}` 받아오는 중… {done:.1f} / {total:.1f} MiB, 레이어 {layers_done}/{layers}",
        },
        "run.pulled": {
            "en": "⬇️ Pulled `{image}` in {seconds:.1f} s.",
            "ko": "⬇️ `{image}` 을(를) {seconds:.1f}초 만에 받았습니다.",
        },
        "run.pull_failed_short": {"en": "⬇️ Pulling `{image}` failed.", "ko": "⬇️ `{image}` 받아오기 실패."},
        "run.queued": {
            "en": "⏳ Waiting for a free sandbox: you are number {position} in the queue.",
            "ko": "⏳ 빈 샌드박스를 기다리는 중: 대기열 {position}번째입니다.",
        },
        "run.dequeued": {
            "en": "▶️ Your turn came after {seconds:.1f} s of waiting.",
            "ko": "▶️ {seconds:.1f}초 기다린 뒤 차례가 되었습니다.",
        },
        "run.title": {"en": "{image} — exit {code}", "ko": "{image} — 종료 코드 {code}"},
        "run.status": {
            "en": "**exit {code}**{signal} · {seconds:.2f} s · runtime `{runtime}`",
            "ko": "**종료 코드 {code}**{signal} · {seconds:.2f}초 · 런타임 `{runtime}`",
        },
        "run.flag.timeout": {
            "en": "⏱️ timed out: stopped after {seconds:g} s",
            "ko": "⏱️ 시간 초과: {seconds:g}초 뒤에 멈췄습니다",
        },
        "run.flag.oom": {
            "en": "🧠 killed for memory: it used more than {mib} MiB",
            "ko": "🧠 메모리 초과로 종료: {mib} MiB 를 넘게 썼습니다",
        },
        "run.flag.killed": {
            "en": "💀 killed by SIGKILL, and not by the time or output limit: the cause is unknown "
            "(the program may have killed itself, or something outside stopped it)",
            "ko": "💀 SIGKILL 로 종료되었지만 시간이나 출력 제한 때문은 아닙니다: 원인을 알 수 없습니다 "
            "(프로그램이 스스로 종료했거나 바깥에서 멈췄을 수 있습니다)",
        },
        "run.flag.truncated": {
            "en": "✂️ output truncated: it passed {kib} KiB, so the run was stopped",
            "ko": "✂️ 출력이 잘렸습니다: {kib} KiB 를 넘어서 실행을 멈췄습니다",
        },
        "run.trimmed": {
            "en": "Showing the first {shown} of {total} lines; the full output is attached as `{filename}`.",
            "ko": "{total}줄 중 처음 {shown}줄만 보입니다. 전체 출력은 `{filename}` 파일로 첨부했습니다.",
        },
        "run.binary": {
            "en": "The output is not text ({size}): its start is shown with bytes escaped, and the exact bytes "
            "are attached as `{filename}`.",
            "ko": "출력이 텍스트가 아닙니다 ({size}): 앞부분은 바이트를 이스케이프해 보여 주고, "
            "원래 바이트는 `{filename}` 파일로 첨부했습니다.",
        },
        "run.no_output": {"en": "[no output]", "ko": "[출력 없음]"},
        "run.footer": {
            "en": "limits: {seconds:g} s · {mib} MiB · {cpus:g} CPU · {pids} processes · no network",
            "ko": "제한: {seconds:g}초 · {mib} MiB · CPU {cpus:g} · 프로세스 {pids}개 · 네트워크 없음",
        },
    }
)
