"""Every sentence ``!docker`` writes, in English and Korean (:mod:`bot.i18n`). The CLI's own output is the
lab's (English, as the real CLI prints it); these are the words around it."""

from __future__ import annotations

from bot.i18n import register

register(
    {
        "cmd.docker.summary": {
            "en": "Your own Docker lab: run docker commands (run, ps, logs, build …) in chat.",
            "ko": "나만의 Docker 실습실: 채팅에서 docker 명령(run, ps, logs, build …)을 실행합니다.",
        },
        "opt.docker.command": {
            "en": "The docker command, e.g. run -d --name web alpine sleep 300",
            "ko": "docker 명령 (예: run -d --name web alpine sleep 300)",
        },
        "cmd.docker.details": {
            "en": (
                "`{prefix}docker <command…>` runs a docker CLI command in your own lab: containers, images, "
                "volumes and networks that only you see, on the bot's engine, each container as locked down as "
                "`{prefix}run`'s. Write the words as in a terminal (`docker` in front is optional). For `build`, "
                "put the Dockerfile in a code block after the words, and files to `COPY` in blocks named like "
                "```` ```app.py ````. `{prefix}docker help` lists the commands, `{prefix}docker help run` shows "
                "one; `{prefix}docker status` shows what your lab holds and `{prefix}docker reset` empties it. "
                "A lab left idle is removed after a while."
            ),
            "ko": (
                "`{prefix}docker <명령…>` 은 나만의 실습실에서 docker CLI 명령을 실행합니다: 나만 보는 컨테이너, "
                "이미지, 볼륨, 네트워크가 봇의 엔진에 만들어지며, 각 컨테이너는 `{prefix}run` 과 똑같이 잠겨 있습니다. "
                "터미널에서처럼 쓰면 됩니다 (앞의 `docker` 는 생략 가능). "
                "`build` 는 명령 뒤 코드 블록에 Dockerfile 을, `COPY` 할 파일은 ```` ```app.py ```` 처럼 "
                "이름을 붙인 블록에 넣으세요. `{prefix}docker help` 는 명령 "
                "목록, `{prefix}docker help run` 은 명령 하나를 보여 줍니다. `{prefix}docker status` 는 실습실에 "
                "있는 것을, `{prefix}docker reset` 은 실습실을 비웁니다. 오래 쓰지 않은 실습실은 지워집니다."
            ),
        },
        # input problems --------------------------------------------------------------------------------
        "lab.err.quotes": {
            "en": "The quotes in that command are not balanced ({problem}); close every ' and \".",
            "ko": "명령의 따옴표 짝이 맞지 않습니다 ({problem}). ' 와 \" 를 모두 닫아 주세요.",
        },
        "lab.err.blocks_alone": {
            "en": "A code block needs a command before it, e.g. `build -t hello .` and then the Dockerfile.",
            "ko": "코드 블록 앞에 명령이 있어야 합니다. 예: `build -t hello .` 다음에 Dockerfile.",
        },
        "lab.err.blocks_not_build": {
            "en": "Code blocks go with `build` (the Dockerfile and the files it copies) and `compose` (the compose "
            "file) only.",
            "ko": "코드 블록은 `build` (Dockerfile 과 그것이 복사하는 파일) 와 `compose` (compose 파일) 에만 씁니다.",
        },
        "lab.err.no_compose_file": {
            "en": "`compose up` needs the compose file: put it in a code block after the words, e.g.\n"
            "`compose up -d` then ```` ```yaml ```` services: … ```` ``` ````",
            "ko": "`compose up` 에는 compose 파일이 필요합니다: 명령 뒤 코드 블록에 넣으세요. 예:\n"
            "`compose up -d` 다음에 ```` ```yaml ```` services: … ```` ``` ````",
        },
        "lab.err.two_compose_files": {
            "en": "Only one block may be the compose file; mark the Dockerfile ```` ```dockerfile ```` and name "
            "other files, e.g. ```` ```app.py ````.",
            "ko": "compose 파일 블록은 하나만 쓸 수 있습니다. Dockerfile 은 ```` ```dockerfile ```` 로, "
            "다른 파일은 ```` ```app.py ```` 처럼 이름을 붙이세요.",
        },
        "lab.err.no_dockerfile": {
            "en": "`build` needs a Dockerfile: put it in a code block after the words, e.g.\n"
            "`build -t hello .` then ```` ``` ```` FROM alpine … ```` ``` ````",
            "ko": "`build` 에는 Dockerfile 이 필요합니다: 명령 뒤 코드 블록에 넣으세요. 예:\n"
            "`build -t hello .` 다음에 ```` ``` ```` FROM alpine … ```` ``` ````",
        },
        "lab.err.words_after_blocks": {
            "en": "Write the command first, then the code blocks; nothing may stand between or after them.",
            "ko": "명령을 먼저 쓰고 그다음 코드 블록을 쓰세요. 블록 사이나 뒤에는 아무것도 쓸 수 없습니다.",
        },
        "lab.err.block_unclosed": {
            "en": "A code block is not closed: end it with ``` on a line of its own.",
            "ko": "코드 블록이 닫히지 않았습니다: 줄 하나에 ``` 만 써서 끝내 주세요.",
        },
        "lab.err.two_dockerfiles": {
            "en": "Only one block may be the Dockerfile; name the others by file, e.g. ```` ```app.py ````.",
            "ko": "Dockerfile 블록은 하나만 쓸 수 있습니다. "
            "다른 블록에는 ```` ```app.py ```` 처럼 파일 이름을 붙이세요.",
        },
        "lab.err.file_name": {
            "en": "`{name}` is not a file name I accept: letters, digits, `.`, `_`, `-` and `/` between folders.",
            "ko": "`{name}` 은(는) 받을 수 있는 파일 이름이 아닙니다: "
            "글자, 숫자, `.` `_` `-`, 폴더 사이의 `/` 만 됩니다.",
        },
        "lab.err.file_twice": {
            "en": "The file `{name}` is given twice.",
            "ko": "파일 `{name}` 이(가) 두 번 있습니다.",
        },
        "lab.err.file_too_big": {
            "en": "The file `{name}` is larger than {kib} KiB.",
            "ko": "파일 `{name}` 이(가) {kib} KiB 보다 큽니다.",
        },
        "lab.err.too_many_files": {
            "en": "A build takes at most {limit} files, the Dockerfile included.",
            "ko": "빌드에는 Dockerfile 을 포함해 최대 {limit}개 파일만 넣을 수 있습니다.",
        },
        "lab.err.busy": {
            "en": "Your previous `{prefix}docker` command is still running; wait for its answer.",
            "ko": "앞의 `{prefix}docker` 명령이 아직 실행 중입니다. 답이 올 때까지 기다려 주세요.",
        },
        "lab.err.disabled": {
            "en": "`{prefix}docker` is turned off on this bot.",
            "ko": "이 봇에서는 `{prefix}docker` 가 꺼져 있습니다.",
        },
        "lab.err.extra_words": {
            "en": "`{prefix}docker {word}` takes nothing after it.",
            "ko": "`{prefix}docker {word}` 뒤에는 아무것도 쓰지 않습니다.",
        },
        # the lab side failing -------------------------------------------------------------------------
        "lab.err.engine_down": {
            "en": "The Docker engine is not reachable right now, so your lab cannot answer. Try again later.",
            "ko": "지금은 Docker 엔진에 연결할 수 없어 실습실이 응답할 수 없습니다. 나중에 다시 시도해 주세요.",
        },
        "lab.err.engine_lost": {
            "en": "The Docker engine stopped answering during the command; check with `{prefix}docker ps -a`.",
            "ko": "명령 도중 Docker 엔진이 응답을 멈췄습니다. `{prefix}docker ps -a` 로 확인해 보세요.",
        },
        "lab.err.restarting": {
            "en": "The lab is restarting, so the command did not finish. Try again in a moment.",
            "ko": "실습실이 다시 시작하는 중이라 명령이 끝나지 않았습니다. 잠시 뒤 다시 시도해 주세요.",
        },
        "lab.err.runner_down": {
            "en": "The sandbox runner is not reachable right now, so your lab cannot answer. Try again later.",
            "ko": "지금은 샌드박스 러너에 연결할 수 없어 실습실이 응답할 수 없습니다. 나중에 다시 시도해 주세요.",
        },
        "lab.err.runner_lost": {
            "en": "The sandbox runner stopped answering during the command; check with `{prefix}docker ps -a`.",
            "ko": "명령 도중 샌드박스 러너가 응답을 멈췄습니다. `{prefix}docker ps -a` 로 확인해 보세요.",
        },
        "lab.err.runner_auth": {
            "en": "The sandbox runner refused the bot's credentials. The bot's owner should give the bot and the "
            "runner the same STUDYBOT_SANDBOX_TOKEN.",
            "ko": "샌드박스 러너가 봇의 인증 정보를 거절했습니다. 봇 운영자는 봇과 러너에 같은 "
            "STUDYBOT_SANDBOX_TOKEN 을 설정해야 합니다.",
        },
        "lab.err.other": {
            "en": "The lab could not do that (`{reason}`); the bot's owner will find details in the logs.",
            "ko": "실습실이 그 명령을 처리하지 못했습니다 (`{reason}`). "
            "봇 운영자는 로그에서 자세한 내용을 볼 수 있습니다.",
        },
        # refusals of the lab's policy ----------------------------------------------------------------
        "lab.refusal.flag": {
            "en": "`{detail}` is not allowed in the lab: the bot decides how containers are isolated "
            "(no privileges, host paths, devices or host networks).",
            "ko": "실습실에서는 `{detail}` 을(를) 쓸 수 없습니다: 컨테이너 격리는 봇이 정합니다 "
            "(특권, 호스트 경로, 장치, 호스트 네트워크 불가).",
        },
        "lab.refusal.quota": {
            "en": "Your lab is full: at most {limit} {what}. Remove something first (`{prefix}docker status` "
            "shows what it holds).",
            "ko": "실습실이 가득 찼습니다: {what} 최대 {limit}개. 먼저 무언가를 지우세요 "
            "(`{prefix}docker status` 로 내용을 봅니다).",
        },
        "lab.refusal.quota.image_mib": {
            "en": "Your lab's built images would pass {limit} MiB together. Remove some with `{prefix}docker rmi`.",
            "ko": "실습실에서 빌드한 이미지가 합쳐서 {limit} MiB 를 넘게 됩니다. `{prefix}docker rmi` 로 지우세요.",
        },
        "lab.refusal.quota.labs": {
            "en": "This server already has {limit} labs in use; try again when one has expired.",
            "ko": "이 서버에서 이미 실습실 {limit}개가 쓰이고 있습니다. 하나가 만료된 뒤 다시 시도해 주세요.",
        },
        "lab.refusal.quota.volume_mib": {
            "en": "Your lab's volumes hold more than {limit} MiB together, so nothing that mounts them may run. "
            "Remove a volume with `{prefix}docker volume rm` (or everything with `{prefix}docker reset`).",
            "ko": "실습실 볼륨에 합쳐서 {limit} MiB 넘게 들어 있어 볼륨을 마운트하는 컨테이너를 실행할 수 없습니다. "
            "`{prefix}docker volume rm` 으로 볼륨을 지우세요 (`{prefix}docker reset` 은 전부 지웁니다).",
        },
        "lab.refusal.quota.network_pool": {
            "en": "No addresses are left for new lab networks on this runner; try again when another lab has "
            "expired.",
            "ko": "이 러너에는 새 실습실 네트워크에 줄 주소가 남아 있지 않습니다. 다른 실습실이 만료된 뒤 다시 "
            "시도해 주세요.",
        },
        "lab.quota.running": {"en": "running containers", "ko": "실행 중인 컨테이너"},
        "lab.quota.containers": {"en": "containers", "ko": "컨테이너"},
        "lab.quota.images": {"en": "images", "ko": "이미지"},
        "lab.quota.volumes": {"en": "volumes", "ko": "볼륨"},
        "lab.quota.networks": {"en": "networks", "ko": "네트워크"},
        "lab.refusal.image_not_allowed": {
            "en": "`{detail}` is not an image the lab may use; `{prefix}run images` lists the allowed ones, and "
            "images you build are yours to use too.",
            "ko": "`{detail}` 은(는) 실습실에서 쓸 수 있는 이미지가 아닙니다. 허용된 이미지는 `{prefix}run images` "
            "로 보고, 직접 빌드한 이미지도 쓸 수 있습니다.",
        },
        "lab.refusal.build_from": {
            "en": "`FROM {detail}`: a build may start only from an allowed image or an image of your lab.",
            "ko": "`FROM {detail}`: 빌드는 허용된 이미지나 내 실습실의 이미지에서만 시작할 수 있습니다.",
        },
        "lab.refusal.build_add_url": {
            "en": "`ADD` from a URL is not allowed: builds have no network. Put the file in a code block and "
            "`COPY` it.",
            "ko": "URL 에서 `ADD` 할 수 없습니다: 빌드에는 네트워크가 없습니다. 파일을 코드 블록에 넣고 "
            "`COPY` 하세요.",
        },
        "lab.refusal.build_too_big": {
            "en": "The image grew to {size:.1f} MiB, more than the {limit:.0f} MiB the lab allows; "
            "the build was stopped.",
            "ko": "이미지가 {size:.1f} MiB 로 실습실 허용 크기 {limit:.0f} MiB 를 넘어 빌드를 멈췄습니다.",
        },
        "lab.refusal.unsupported": {
            "en": "`{detail}` is not part of the lab; `{prefix}docker help` lists what it has.",
            "ko": "`{detail}` 은(는) 실습실에 없습니다. `{prefix}docker help` 로 있는 것을 보세요.",
        },
        "lab.refusal.build_tag": {
            "en": "In the lab a build needs a name: add `-t <name>`, e.g. `{prefix}docker build -t hello .`",
            "ko": "실습실에서는 빌드에 이름이 필요합니다: `-t <이름>` 을 붙이세요. "
            "예: `{prefix}docker build -t hello .`",
        },
        "lab.refusal.lab_disabled": {
            "en": "The Docker lab is turned off on this bot.",
            "ko": "이 봇에서는 Docker 실습실이 꺼져 있습니다.",
        },
        "lab.refusal.build_steps": {
            "en": "A Dockerfile in the lab may have at most {detail} steps.",
            "ko": "실습실의 Dockerfile 은 최대 {detail}단계까지입니다.",
        },
        "lab.refusal.build_unsupported": {
            "en": "The lab's builder does not support `{detail}`.",
            "ko": "실습실의 빌더는 `{detail}` 을(를) 지원하지 않습니다.",
        },
        "lab.refusal.build_label": {
            "en": "The label `{detail}` is not allowed: labels starting with `studybot.` are the bot's own.",
            "ko": "레이블 `{detail}` 은(는) 쓸 수 없습니다: `studybot.` 으로 시작하는 레이블은 봇의 것입니다.",
        },
        "lab.refusal.build_needs_gvisor": {
            "en": "Builds need gVisor (`runsc`) on the Docker engine, and this engine does not have it.",
            "ko": "빌드에는 Docker 엔진의 gVisor(`runsc`)가 필요한데 이 엔진에는 없습니다.",
        },
        "lab.refusal.other": {
            "en": "The lab does not allow this ({code}).",
            "ko": "실습실에서 허용하지 않는 명령입니다 ({code}).",
        },
        # notes under an answer ---------------------------------------------------------------------
        "lab.note.no_tty": {
            "en": "ℹ️ Chat has no terminal: `-i`/`-t` were ignored and the container ran without one.",
            "ko": "ℹ️ 채팅에는 터미널이 없습니다: `-i`/`-t` 는 무시되었고 컨테이너는 터미널 없이 실행되었습니다.",
        },
        "lab.note.ports_not_published": {
            "en": "ℹ️ `-p` is recorded (`docker ps` shows it), but nothing is published: the lab has no way in "
            "from outside.",
            "ko": "ℹ️ `-p` 는 기록되지만 (`docker ps` 에 보임) 실제로 공개되지는 않습니다: 밖에서 실습실로 "
            "들어오는 길은 없습니다.",
        },
        "lab.note.still_running": {
            "en": "⏳ It is still running, so I stopped waiting; it goes on in the background "
            "(`{prefix}docker ps`, `{prefix}docker logs`).",
            "ko": "⏳ 아직 실행 중이라 기다리기를 멈췄습니다. 백그라운드에서 계속 실행됩니다 "
            "(`{prefix}docker ps`, `{prefix}docker logs`).",
        },
        "lab.note.step_timeout": {
            "en": "⏱️ A build step ran longer than the lab allows, so it was stopped.",
            "ko": "⏱️ 빌드 단계가 실습실 허용 시간을 넘어 멈췄습니다.",
        },
        # answers ---------------------------------------------------------------------------------------
        "lab.exit": {"en": "exit code {code}", "ko": "종료 코드 {code}"},
        "lab.no_output": {"en": "Done (no output).", "ko": "완료 (출력 없음)."},
        "lab.trimmed.tail": {
            "en": "Showing the last {shown} of {total} lines; the whole output is attached as `{filename}`.",
            "ko": "{total}줄 중 마지막 {shown}줄만 보입니다. 전체 출력은 `{filename}` 파일로 첨부했습니다.",
        },
        "lab.trimmed.head": {
            "en": "Showing the first {shown} of {total} lines; the whole output is attached as `{filename}`.",
            "ko": "{total}줄 중 처음 {shown}줄만 보입니다. 전체 출력은 `{filename}` 파일로 첨부했습니다.",
        },
        "lab.truncated": {
            "en": "✂️ The output was longer than {kib} KiB; the rest was cut.",
            "ko": "✂️ 출력이 {kib} KiB 를 넘어 나머지는 잘렸습니다.",
        },
        "lab.building": {"en": "🔨 Building…", "ko": "🔨 빌드 중…"},
        "lab.built": {
            "en": "🔨 The build finished; its answer is below.",
            "ko": "🔨 빌드가 끝났습니다. 결과는 아래에 있습니다.",
        },
        # status and reset ------------------------------------------------------------------------------
        "lab.status.title": {"en": "Your Docker lab", "ko": "나의 Docker 실습실"},
        "lab.status.empty": {
            "en": "Your lab is empty. Start with `{prefix}docker run -d --name web alpine sleep 300`.",
            "ko": "실습실이 비어 있습니다. `{prefix}docker run -d --name web alpine sleep 300` 으로 시작해 보세요.",
        },
        "lab.status.containers": {
            "en": "Containers: {count}{limit} ({running} running{running_limit})",
            "ko": "컨테이너: {count}{limit} (실행 중 {running}{running_limit})",
        },
        "lab.status.images": {"en": "Images: {count}{limit}", "ko": "이미지: {count}{limit}"},
        "lab.status.built": {
            "en": "Built images: {mib:.1f} of {limit} MiB",
            "ko": "빌드한 이미지: {limit} MiB 중 {mib:.1f} MiB",
        },
        "lab.status.volumes": {"en": "Volumes: {count}{limit}", "ko": "볼륨: {count}{limit}"},
        "lab.status.volume_size": {
            "en": "Volume contents: {mib:.1f} of {limit} MiB",
            "ko": "볼륨 내용: {limit} MiB 중 {mib:.1f} MiB",
        },
        "lab.status.volume_full": {
            "en": "Volume contents: {mib:.1f} of {limit} MiB: over the limit, so containers that mount them are "
            "stopped and cannot start",
            "ko": "볼륨 내용: {limit} MiB 중 {mib:.1f} MiB: 한도를 넘어 볼륨을 마운트하는 컨테이너는 멈췄고 "
            "시작할 수 없습니다",
        },
        "lab.status.networks": {"en": "Networks: {count}{limit}", "ko": "네트워크: {count}{limit}"},
        "lab.status.of": {"en": " of {limit}", "ko": " / {limit}"},
        "lab.status.expires": {
            "en": "Left idle, it is removed in about {minutes} min.",
            "ko": "계속 쓰지 않으면 약 {minutes}분 뒤에 지워집니다.",
        },
        "lab.status.runtime": {"en": "Runtime: `{runtime}`", "ko": "런타임: `{runtime}`"},
        "lab.reset.done": {
            "en": "🧹 Your lab is empty again: {count} objects removed.",
            "ko": "🧹 실습실을 비웠습니다: {count}개를 지웠습니다.",
        },
        "lab.reset.done_one": {
            "en": "🧹 Your lab is empty again: 1 object removed.",
            "ko": "🧹 실습실을 비웠습니다: 1개를 지웠습니다.",
        },
        "lab.reset.nothing": {"en": "🧹 Your lab was already empty.", "ko": "🧹 실습실은 이미 비어 있었습니다."},
        # help --------------------------------------------------------------------------------------------
        "lab.help.title": {"en": "Docker lab commands", "ko": "Docker 실습실 명령"},
        "lab.help.intro": {
            "en": "Write them as in a terminal after `{prefix}docker` (e.g. `{prefix}docker ps -a`). "
            "`{prefix}docker help <command>` shows one in detail.",
            "ko": "`{prefix}docker` 뒤에 터미널에서처럼 쓰세요 (예: `{prefix}docker ps -a`). "
            "`{prefix}docker help <명령>` 은 명령 하나를 자세히 보여 줍니다.",
        },
        "lab.help.lab_words": {
            "en": "`status`: what your lab holds · `reset`: remove everything in it · `help`: this list",
            "ko": "`status`: 실습실에 있는 것 · `reset`: 모두 지우기 · `help`: 이 목록",
        },
        "lab.help.unknown": {
            "en": "The lab does not know `docker {name}`. `{prefix}docker help` lists what it knows.",
            "ko": "실습실은 `docker {name}` 을(를) 모릅니다. `{prefix}docker help` 로 목록을 보세요.",
        },
        "lab.help.no_usage": {
            "en": "The option list of this command is not available yet.",
            "ko": "이 명령의 옵션 목록은 아직 볼 수 없습니다.",
        },
        "lab.help.run": {"en": "run a container (`-d` in the background)", "ko": "컨테이너 실행 (`-d`: 백그라운드)"},
        "lab.help.ps": {"en": "list containers (`-a`: stopped ones too)", "ko": "컨테이너 목록 (`-a`: 멈춘 것도)"},
        "lab.help.logs": {"en": "a container's output", "ko": "컨테이너의 출력"},
        "lab.help.exec": {"en": "run a command in a running container", "ko": "실행 중인 컨테이너에서 명령 실행"},
        "lab.help.stop": {"en": "stop containers", "ko": "컨테이너 멈추기"},
        "lab.help.start": {"en": "start stopped containers", "ko": "멈춘 컨테이너 시작"},
        "lab.help.restart": {"en": "restart containers", "ko": "컨테이너 재시작"},
        "lab.help.rm": {
            "en": "remove containers (`-f`: running ones too)", "ko": "컨테이너 지우기 (`-f`: 실행 중인 것도)"
        },
        "lab.help.images": {"en": "list images", "ko": "이미지 목록"},
        "lab.help.rmi": {"en": "remove images", "ko": "이미지 지우기"},
        "lab.help.pull": {"en": "get an allowed image", "ko": "허용된 이미지 받기"},
        "lab.help.tag": {"en": "give an image another name", "ko": "이미지에 다른 이름 붙이기"},
        "lab.help.inspect": {"en": "the details of an object, as JSON", "ko": "객체의 자세한 정보 (JSON)"},
        "lab.help.build": {
            "en": "build an image from a Dockerfile in a code block",
            "ko": "코드 블록의 Dockerfile 로 이미지 빌드",
        },
        "lab.help.volume": {"en": "volumes: create, ls, rm, inspect", "ko": "볼륨: create, ls, rm, inspect"},
        "lab.help.network": {"en": "networks: create, ls, rm, inspect", "ko": "네트워크: create, ls, rm, inspect"},
        "lab.help.compose": {
            "en": "`up [-d]`, `down [-v]`, `ps`, `logs` with the compose file in a ```` ```yaml ```` block",
            "ko": "`up [-d]`, `down [-v]`, `ps`, `logs` (compose 파일은 ```` ```yaml ```` 블록에)",
        },
    }
)
