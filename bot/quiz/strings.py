"""Every sentence the quiz feature writes (en + ko), registered with :mod:`bot.i18n`."""

from __future__ import annotations

from bot.i18n import register

register(
    {
        # commands
        "cmd.quiz.summary": {
            "en": "Start or stop a quiz round here, list topics, get a hint, do a lab exercise, manage schedules.",
            "ko": "이 채널에서 퀴즈 라운드를 시작하거나 멈추고, 주제·힌트·실습 문제·예약을 다룹니다.",
        },
        "cmd.quiz.details": {
            "en": "`{prefix}quiz [n] [topic]` starts n questions (default 5). `{prefix}quiz stop`, "
            "`{prefix}quiz topics`, `{prefix}quiz hint`.\nLab exercises in your own `{prefix}docker` lab: "
            "`{prefix}quiz lab [topic]`, then `{prefix}quiz check` or `{prefix}quiz skip`.\n"
            "Managers: `{prefix}quiz schedule #channel daily "
            "09:00 Asia/Seoul [mon-fri] [n]`, `{prefix}quiz schedule list`, `{prefix}quiz schedule remove ID`.",
            "ko": "`{prefix}quiz [n] [주제]` 로 n문제(기본 5) 라운드를 시작합니다. `{prefix}quiz stop`, "
            "`{prefix}quiz topics`, `{prefix}quiz hint`.\n내 `{prefix}docker` 실습장에서 푸는 실습 문제: "
            "`{prefix}quiz lab [주제]`, 그다음 `{prefix}quiz check` 또는 `{prefix}quiz skip`.\n"
            "관리자: `{prefix}quiz schedule #채널 daily 09:00 "
            "Asia/Seoul [mon-fri] [n]`, `{prefix}quiz schedule list`, `{prefix}quiz schedule remove ID`.",
        },
        "cmd.stats.summary": {
            "en": "Quiz stats for you or another member: accuracy, topics, streaks.",
            "ko": "나 또는 다른 멤버의 퀴즈 통계: 정답률, 주제별 성적, 연속 학습일.",
        },
        "cmd.leaderboard.summary": {
            "en": "Top quiz scores in this server, this week or all time.",
            "ko": "이 서버의 퀴즈 점수 순위 (이번 주 또는 전체).",
        },
        "cmd.review.summary": {
            "en": "Review the quiz questions due for you (spaced repetition), privately.",
            "ko": "복습할 때가 된 내 퀴즈 문제를 혼자 풀어 봅니다 (간격 반복).",
        },
        "opt.quiz.options": {
            "en": "e.g. `5 images`, `stop`, `topics`, `hint`, `schedule #study daily 09:00 Asia/Seoul mon-fri 3`",
            "ko": "예: `5 이미지`, `stop`, `topics`, `hint`, `schedule #study daily 09:00 Asia/Seoul mon-fri 3`",
        },
        "opt.stats.member": {"en": "Whose stats (default: yours)", "ko": "누구의 통계인지 (기본: 나)"},
        "opt.leaderboard.period": {"en": "This week or all time", "ko": "이번 주 또는 전체"},
        # starting and stopping
        "quiz.bad_count": {
            "en": "The number of questions must be from 1 to {max}.",
            "ko": "문제 수는 1에서 {max} 사이여야 합니다.",
        },
        "quiz.unknown_topic": {
            "en": "No questions on `{topic}`. Topics: {topics}",
            "ko": "`{topic}` 에 대한 문제가 없습니다. 주제: {topics}",
        },
        "quiz.no_questions": {"en": "There are no quiz questions loaded.", "ko": "불러온 퀴즈 문제가 없습니다."},
        "quiz.already_running": {
            "en": "A quiz is already running in this channel. `{prefix}quiz stop` ends it.",
            "ko": "이 채널에서 이미 퀴즈가 진행 중입니다. `{prefix}quiz stop` 으로 끝낼 수 있습니다.",
        },
        "quiz.not_running": {
            "en": "No quiz is running in this channel.",
            "ko": "이 채널에서 진행 중인 퀴즈가 없습니다.",
        },
        "quiz.starting": {
            "en": "Quiz: {count} questions{topic}, {seconds} s each. Answer with the buttons or by typing.",
            "ko": "퀴즈: {count}문제{topic}, 문제당 {seconds}초. 버튼이나 채팅으로 답하세요.",
        },
        "quiz.starting_one": {
            "en": "Quiz: 1 question{topic}, {seconds} s. Answer with the buttons or by typing.",
            "ko": "퀴즈: 1문제{topic}, {seconds}초. 버튼이나 채팅으로 답하세요.",
        },
        "quiz.starting_topic": {"en": " on {topic}", "ko": " ({topic})"},
        "quiz.scheduled_intro": {"en": "⏰ Scheduled quiz!", "ko": "⏰ 예약된 퀴즈입니다!"},
        "quiz.stopping": {"en": "Stopping the quiz.", "ko": "퀴즈를 멈춥니다."},
        "quiz.topics.title": {"en": "Quiz topics", "ko": "퀴즈 주제"},
        "quiz.topics.line": {"en": "`{topic}` — {count} questions", "ko": "`{topic}` — {count}문제"},
        "quiz.topics.line_one": {"en": "`{topic}` — 1 question", "ko": "`{topic}` — 1문제"},
        "quiz.topics.footer": {
            "en": "{prefix}quiz 5 <topic> starts a round on one topic.",
            "ko": "{prefix}quiz 5 <주제> 로 한 주제만 풀 수 있습니다.",
        },
        "quiz.topics.bank_errors": {
            "en": "{count} question file(s) failed to load; see the bot log.",
            "ko": "문제 파일 {count}개를 불러오지 못했습니다. 봇 로그를 확인하세요.",
        },
        # a question
        "quiz.question.title": {
            "en": "Question {position}/{total} · {topic}", "ko": "문제 {position}/{total} · {topic}"
        },
        "quiz.question.footer": {
            "en": "{seconds} s · {prefix}quiz hint for a hint",
            "ko": "{seconds}초 · 힌트는 {prefix}quiz hint",
        },
        "quiz.question.type_it": {"en": "Type your answer in the channel.", "ko": "채널에 답을 입력하세요."},
        "quiz.question.true_false": {"en": "True or false?", "ko": "참일까요, 거짓일까요?"},
        "quiz.question.closed": {"en": "Closed.", "ko": "마감되었습니다."},
        "quiz.choice.true": {"en": "True", "ko": "참"},
        "quiz.choice.false": {"en": "False", "ko": "거짓"},
        "quiz.choice.type": {"en": "✍️ Answer", "ko": "✍️ 답 입력"},
        "quiz.choice.type_box": {"en": "Your answer", "ko": "내 답"},
        "quiz.schedule.unknown_channel": {
            "en": "There is no channel {channel} in this server that I can post to.",
            "ko": "이 서버에는 제가 글을 올릴 수 있는 {channel} 채널이 없습니다.",
        },
        # answering
        "quiz.answer.recorded_choice": {
            "en": "Your answer **{choice}** is locked in.",
            "ko": "**{choice}** (으)로 답을 제출했습니다.",
        },
        "quiz.answer.recorded_text": {
            "en": "{name}, your answer is in.",
            "ko": "{name} 님의 답을 받았습니다.",
        },
        "quiz.answer.already_answered": {
            "en": "You already answered this question.",
            "ko": "이 문제에는 이미 답했습니다.",
        },
        "quiz.answer.closed": {"en": "This question is already closed.", "ko": "이미 마감된 문제입니다."},
        "quiz.answer.ended": {"en": "This quiz has ended.", "ko": "이 퀴즈는 끝났습니다."},
        "quiz.answer.type_in_channel": {
            "en": "Type your answer in the channel.",
            "ko": "채널에 답을 입력하세요.",
        },
        "quiz.answer.empty": {"en": "That answer is empty.", "ko": "빈 답입니다."},
        # hints
        "quiz.hint.none": {"en": "No hints for this question.", "ko": "이 문제에는 힌트가 없습니다."},
        "quiz.hint.no_more": {"en": "No more hints for this question.", "ko": "이 문제의 힌트를 모두 봤습니다."},
        "quiz.hint.no_question": {
            "en": "No question is open in this channel.",
            "ko": "이 채널에 열린 문제가 없습니다.",
        },
        "quiz.hint.text": {
            "en": "💡 Hint {number}/{total}: {hint} (a right answer now earns at most {points} points)",
            "ko": "💡 힌트 {number}/{total}: {hint} (이제 정답은 최대 {points}점)",
        },
        # reveal and summary
        "quiz.reveal.title": {"en": "Answer: {answer}", "ko": "정답: {answer}"},
        "quiz.reveal.notes": {"en": "📖 More in the notes: `{command}`", "ko": "📖 노트에서 더 보기: `{command}`"},
        "quiz.reveal.right": {"en": "✅ {name} +{points}", "ko": "✅ {name} +{points}"},
        "quiz.reveal.near": {
            "en": "✅ {name} +{points} (accepted `{given}` as `{answer}`)",
            "ko": "✅ {name} +{points} (`{given}` 을(를) `{answer}` 로 인정)",
        },
        "quiz.reveal.nobody": {"en": "Nobody got this one.", "ko": "아무도 맞히지 못했습니다."},
        "quiz.reveal.wrong": {"en": "{count} wrong answer(s).", "ko": "오답 {count}개."},
        "quiz.summary.title": {"en": "Quiz over", "ko": "퀴즈 끝"},
        "quiz.summary.stopped": {"en": "Quiz stopped", "ko": "퀴즈 중단"},
        "quiz.summary.line": {
            "en": "{rank}. {name} — {points} points ({correct}/{total})",
            "ko": "{rank}. {name} — {points}점 ({correct}/{total})",
        },
        "quiz.summary.nobody": {"en": "Nobody answered.", "ko": "아무도 답하지 않았습니다."},
        "quiz.summary.footer": {
            "en": "{prefix}stats, {prefix}leaderboard, {prefix}review",
            "ko": "{prefix}stats, {prefix}leaderboard, {prefix}review",
        },
        # schedules
        "quiz.schedule.managers_only": {
            "en": "Only members who can manage the server may change quiz schedules.",
            "ko": "퀴즈 예약은 서버 관리 권한이 있는 멤버만 바꿀 수 있습니다.",
        },
        "quiz.schedule.usage_hint": {
            "en": "Give a channel, a time and a time zone, e.g. `#study daily 09:00 Asia/Seoul mon-fri 3`.",
            "ko": "채널, 시각, 시간대를 주세요. 예: `#study daily 09:00 Asia/Seoul mon-fri 3`.",
        },
        "quiz.schedule.bad_channel": {
            "en": "That is not a channel: use #name, a channel mention or an id.",
            "ko": "채널이 아닙니다. #이름, 채널 멘션, 또는 id 를 쓰세요.",
        },
        "quiz.schedule.bad_time": {
            "en": "`{value}` is not a time of day: use HH:MM from 00:00 to 23:59.",
            "ko": "`{value}` 은(는) 올바른 시각이 아닙니다. 00:00 ~ 23:59 사이의 HH:MM 으로 쓰세요.",
        },
        "quiz.schedule.bad_zone": {
            "en": "Unknown time zone `{value}`: use a name like Asia/Seoul, Europe/Berlin or UTC.",
            "ko": "알 수 없는 시간대 `{value}` 입니다. Asia/Seoul, Europe/Berlin, UTC 같은 이름을 쓰세요.",
        },
        "quiz.schedule.zone_hint": {"en": " Did you mean `{zone}`?", "ko": " 혹시 `{zone}` 인가요?"},
        "quiz.schedule.bad_days": {
            "en": "`{value}` is not a set of days: use e.g. mon-fri, mon,wed,fri, weekends or daily.",
            "ko": "`{value}` 은(는) 요일 지정이 아닙니다. 예: mon-fri, mon,wed,fri, weekends, daily, 월-금.",
        },
        "quiz.schedule.no_days": {
            "en": "That selects no days: give at least one day, e.g. mon-fri.",
            "ko": "선택된 요일이 없습니다. 하루 이상 지정하세요. 예: mon-fri.",
        },
        "quiz.schedule.bad_count": {
            "en": "`{value}` is not a number of questions from 1 to {max}.",
            "ko": "`{value}` 은(는) 1~{max} 사이의 문제 수가 아닙니다.",
        },
        "quiz.schedule.extra": {
            "en": "I don't understand `{value}` at the end.", "ko": "끝의 `{value}` 를 알 수 없습니다."
        },
        "quiz.schedule.added": {
            "en": "Schedule #{id}: {count} question(s) in {channel} at {time} {tz} ({days}). Next: {next}.",
            "ko": "예약 #{id}: {channel} 에 {time} {tz} ({days}) {count}문제. 다음: {next}.",
        },
        "quiz.schedule.list_title": {"en": "Quiz schedules", "ko": "퀴즈 예약"},
        "quiz.schedule.list_line": {
            "en": "#{id} · {channel} · {time} {tz} · {days} · {count} question(s) · next {next}",
            "ko": "#{id} · {channel} · {time} {tz} · {days} · {count}문제 · 다음 {next}",
        },
        "quiz.schedule.none": {"en": "No quiz schedules here yet.", "ko": "아직 퀴즈 예약이 없습니다."},
        "quiz.schedule.removed": {"en": "Schedule #{id} removed.", "ko": "예약 #{id} 을(를) 지웠습니다."},
        "quiz.schedule.not_found": {
            "en": "There is no schedule #{id} here.", "ko": "여기에는 예약 #{id} 이(가) 없습니다."
        },
        "quiz.schedule.bad_id": {"en": "Give the schedule number from `{prefix}quiz schedule list`.",
                                 "ko": "`{prefix}quiz schedule list` 에 나오는 예약 번호를 주세요."},
        "quiz.schedule.too_many": {
            "en": "This server already has {max} schedules; remove one first.",
            "ko": "이 서버에는 이미 예약이 {max}개 있습니다. 먼저 하나를 지우세요.",
        },
        # stats and leaderboard
        "quiz.stats.title": {"en": "Quiz stats · {name}", "ko": "퀴즈 통계 · {name}"},
        "quiz.stats.none": {"en": "No quiz answers from {name} yet.", "ko": "{name} 님의 퀴즈 기록이 아직 없습니다."},
        "quiz.stats.unknown_member": {
            "en": "I don't know a member called `{name}` here.",
            "ko": "여기서 `{name}` 이라는 멤버를 찾지 못했습니다.",
        },
        "quiz.stats.totals": {
            "en": "Answered **{answered}**, correct **{correct}** ({accuracy}%), points **{points}**",
            "ko": "푼 문제 **{answered}**, 정답 **{correct}** ({accuracy}%), 점수 **{points}**",
        },
        "quiz.stats.streak": {
            "en": "🔥 Streak: **{current}** day(s) now, longest **{longest}**",
            "ko": "🔥 연속 학습: 현재 **{current}**일, 최장 **{longest}**일",
        },
        "quiz.stats.topic_line": {"en": "`{topic}` {correct}/{answered} ({accuracy}%)",
                                  "ko": "`{topic}` {correct}/{answered} ({accuracy}%)"},
        "quiz.stats.by_topic": {"en": "By topic:", "ko": "주제별:"},
        "quiz.stats.weakest": {"en": "Weakest: {topics}", "ko": "약한 주제: {topics}"},
        "quiz.leaderboard.title_week": {"en": "Leaderboard · last 7 days", "ko": "순위 · 최근 7일"},
        "quiz.leaderboard.title_all": {"en": "Leaderboard · all time", "ko": "순위 · 전체"},
        "quiz.leaderboard.line": {
            "en": "{rank}. {name} — {points} points, {correct} correct",
            "ko": "{rank}. {name} — {points}점, 정답 {correct}개",
        },
        "quiz.leaderboard.empty": {"en": "No quiz answers yet.", "ko": "아직 퀴즈 기록이 없습니다."},
        "quiz.leaderboard.bad_period": {"en": "Use `week` or `all`.", "ko": "`week` 또는 `all` 을 쓰세요."},
        # review
        "quiz.review.none": {
            "en": "Nothing to review right now. Your next review is {next}.",
            "ko": "지금 복습할 문제가 없습니다. 다음 복습: {next}.",
        },
        "quiz.review.nothing_yet": {
            "en": "Nothing to review yet: answer some quiz questions first ({prefix}quiz).",
            "ko": "아직 복습할 문제가 없습니다. 먼저 퀴즈를 풀어 보세요 ({prefix}quiz).",
        },
        "quiz.review.title": {"en": "Review · {due} due", "ko": "복습 · {due}문제 남음"},
        "quiz.review.show": {"en": "Show answer", "ko": "정답 보기"},
        "quiz.review.self_grade": {"en": "How well did you know it?", "ko": "얼마나 잘 알았나요?"},
        "quiz.review.again": {"en": "Again", "ko": "다시"},
        "quiz.review.hard": {"en": "Hard", "ko": "어려움"},
        "quiz.review.good": {"en": "Good", "ko": "알맞음"},
        "quiz.review.easy": {"en": "Easy", "ko": "쉬움"},
        "quiz.review.right": {"en": "✅ Right: {answer}", "ko": "✅ 정답: {answer}"},
        "quiz.review.wrong": {"en": "❌ Not quite. The answer: {answer}", "ko": "❌ 아쉽네요. 정답: {answer}"},
        "quiz.review.answer": {"en": "Answer: {answer}", "ko": "정답: {answer}"},
        "quiz.review.next": {"en": "Next review of this one: {when}.", "ko": "이 문제의 다음 복습: {when}."},
        "quiz.review.gone": {
            "en": "That question is no longer in the quiz bank.",
            "ko": "그 문제는 더 이상 문제 은행에 없습니다.",
        },
        "quiz.review.not_due": {"en": "That card is not due any more.", "ko": "그 문제는 지금 복습할 차례가 아닙니다."},
        "quiz.when.now": {"en": "now", "ko": "지금"},
        "quiz.when.soon": {"en": "in less than a minute", "ko": "1분 이내"},
        "quiz.when.minutes": {"en": "in {n} min", "ko": "{n}분 뒤"},
        "quiz.when.hours": {"en": "in {n} h", "ko": "{n}시간 뒤"},
        "quiz.when.days": {"en": "in {n} day(s)", "ko": "{n}일 뒤"},
        "quiz.review.done": {"en": "That was the last due card. 🎉", "ko": "복습할 문제를 모두 풀었습니다. 🎉"},
    }
)
