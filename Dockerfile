# syntax=docker/dockerfile:1
# Build stage: install the package and its dependencies into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install .

# Runtime stage: the virtualenv, the migrations and a non-root user; nothing else.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    QCREDIT_HOST=0.0.0.0 \
    QCREDIT_PORT=8000 \
    QCREDIT_DATABASE_URL=sqlite+aiosqlite:////data/qcredit.db
RUN useradd --system --uid 10001 --home-dir /app qcredit \
    && mkdir -p /app /data && chown qcredit /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations
USER qcredit
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/readyz'); sys.exit(0)"
# Migrate (a no-op when current) then serve; set QCREDIT_DATABASE_URL to PostgreSQL in production.
# Replicas started together are safe: `qcredit migrate` holds a PostgreSQL advisory lock, one
# migrates and the others wait, then find the schema current.
# Rolling deployments: run the new image once as a one-shot job before replacing replicas,
#   docker run --rm -e QCREDIT_DATABASE_URL=... qcredit qcredit migrate
# (a Kubernetes Job / init container, a compose service with `restart: "no"`), then start the
# replicas with the command `qcredit serve` so none of them changes the schema under the others.
CMD ["sh", "-c", "qcredit migrate && exec qcredit serve"]
