# testgen-bot: the webhook receiver and/or workers (see deploy/docker-compose.yml).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN python -m venv /opt/testgen && /opt/testgen/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/testgen/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TESTGEN_DATA_DIR=/data \
    TESTGEN_HOST=0.0.0.0 \
    TESTGEN_PORT=8080 \
    LOG_FORMAT=json
COPY --from=build /opt/testgen /opt/testgen
RUN useradd --system --uid 10001 --home-dir /data --create-home testgen
USER testgen
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('TESTGEN_PORT', '8080')}/health\", timeout=2)"]
ENTRYPOINT ["testgen"]
CMD ["serve"]
