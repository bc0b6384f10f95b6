# syntax=docker/dockerfile:1
# watchdeck-agent in a container. It reports the host it runs on when started with the host's
# process and network namespaces, and the log files it should follow mounted read-only:
#   docker run -d --pid=host --network=host -e WATCHDECK_URL=https://watchdeck.example.com \
#     -e WATCHDECK_TOKEN=wd_… -v /var/log/syslog:/var/log/syslog:ro \
#     -e WATCHDECK_LOG_FILES=/var/log/syslog -v watchdeck-agent:/var/lib/watchdeck-agent \
#     watchdeck/agent
# (CPU, memory and load come from /proc, which is the host's already.)

FROM python:3.11-slim-bookworm AS build
RUN python -m venv /opt/watchdeck-agent
COPY agents/ /src/agents/
RUN /opt/watchdeck-agent/bin/pip install --no-cache-dir --disable-pip-version-check "/src/agents[checks]"

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10002 agent \
    && useradd --system --uid 10002 --gid agent --no-create-home agent \
    && mkdir -p /var/lib/watchdeck-agent && chown agent:agent /var/lib/watchdeck-agent
COPY --from=build /opt/watchdeck-agent /opt/watchdeck-agent
ENV PATH=/opt/watchdeck-agent/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WATCHDECK_STATE_DIR=/var/lib/watchdeck-agent
# Unsent batches and log offsets survive a container restart.
VOLUME /var/lib/watchdeck-agent
USER agent
ENTRYPOINT ["watchdeck-agent"]
