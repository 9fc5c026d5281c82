# Docker Study Bot image: the chat bot and the sandbox runner share it (compose runs each as its own service).
#
#   docker build -t studybot .
#   docker build --build-arg BASE_IMAGE=my-debian-python:12 --build-arg PIP_OPTIONS=--no-index -t studybot .
#
# BASE_IMAGE needs Python 3.11+ with the venv module. PIP_OPTIONS is passed to pip; with `--no-index`
# it installs only from ./wheels (fill it with `pip wheel -w wheels .` for offline builds).
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
LABEL studybot.image=build
ARG PIP_OPTIONS=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY wheels/ ./wheels/
COPY pyproject.toml README.md ./
COPY bot/ ./bot/
COPY cogs/ ./cogs/
RUN python3 -m venv /opt/studybot \
 && /opt/studybot/bin/pip install ${PIP_OPTIONS} --find-links ./wheels . \
 && find /opt/studybot -name '__pycache__' -prune -exec rm -rf {} +

FROM ${BASE_IMAGE}
LABEL studybot.image=final \
      org.opencontainers.image.title="Docker Study Bot" \
      org.opencontainers.image.description="Discord/Slack bot for learning Docker: explain, quizzes, sandboxed !run"
# Docker's official reference (Debian's docker-doc) is !explain's second source. Slim bases exclude
# /usr/share/doc from packages, so it is included back; without network the bot answers from the notes alone.
RUN echo 'path-include=/usr/share/doc/docker-doc/*' > /etc/dpkg/dpkg.cfg.d/zz-docker-doc \
 && { (apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-doc >/dev/null \
       && rm -rf /var/lib/apt/lists/*) \
      || echo "docker-doc not installed: !explain will answer from the notes only" >&2; }
RUN (getent group studybot || groupadd --system --gid 10001 studybot) \
 && (getent passwd studybot || useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/studybot \
      --shell /usr/sbin/nologin studybot) \
 && mkdir -p /var/lib/studybot && chown studybot:studybot /var/lib/studybot
COPY --from=build /opt/studybot /opt/studybot
COPY data/ /app/data/
ENV PATH=/opt/studybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    STUDYBOT_DATA_DIR=/app/data \
    STUDYBOT_DB_PATH=/var/lib/studybot/studybot.sqlite3
WORKDIR /var/lib/studybot
USER 10001:10001
VOLUME ["/var/lib/studybot"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "-m", "bot", "health"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
