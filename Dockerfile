# workbench AML scoring API. Same install steps as the Makefile:
#   python -m venv .venv && .venv/bin/pip install -e .
# Build: docker build -t workbench-aml .   Run: docker run -p 8000:8000 workbench-aml

# ---- build stage: compilers and the virtualenv ----------------------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libgomp1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY workbench ./workbench
COPY notebooks ./notebooks
RUN python -m venv .venv && .venv/bin/pip install -e .

# ---- runtime stage: the venv and the source, no compilers, non-root -------------------------
FROM python:3.11-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system workbench && useradd --system --gid workbench --create-home workbench
WORKDIR /app
COPY --from=build --chown=workbench:workbench /app /app
ENV PATH="/app/.venv/bin:$PATH" WORKBENCH_HOME=/data PYTHONDONTWRITEBYTECODE=1 \
    OMP_NUM_THREADS=2
RUN mkdir -p /data && chown workbench:workbench /data
USER workbench
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]
CMD ["workbench", "serve", "aml", "--host", "0.0.0.0", "--port", "8000"]
