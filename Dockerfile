# Production image for `glowpath api`, `glowpath worker` and `glowpath migrate`.
# No signing key is baked in: run `api` with GLOWPATH_SECRET_KEY set. Without one it refuses to
# start (it listens on 0.0.0.0, where the public development key would let anyone sign a token);
# `worker` signs no token and needs none.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# The exact versions and hashes of requirements.lock (`make lock`): the runtime and the `otel`
# and `s3` extras, so GLOWPATH_OTEL_ENABLED=true and GLOWPATH_PHOTO_STORE=s3 work in the image.
# Nothing newer slips in.
COPY requirements.lock ./
RUN pip wheel --wheel-dir /wheels --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY schema ./schema
COPY workflows ./workflows
COPY server ./server
RUN pip wheel --wheel-dir /wheels --no-deps .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GLOWPATH_DATA_DIR=/home/glowpath/var \
    GLOWPATH_HTTP_HOST=0.0.0.0
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin glowpath
USER glowpath
WORKDIR /home/glowpath
# Owned by the user: a volume mounted here (the local photo store's default) starts writable.
RUN mkdir -p -m 700 /home/glowpath/var/photos
# 8000: the API (/graphql only when GLOWPATH_OPS_PORT is set); 8001: the operations port
# (/healthz, /readyz, /metrics of the API and the worker); 9464: Temporal SDK metrics.
EXPOSE 8000 8001 9464
# SIGTERM lets the API and the worker finish in-flight work and leave the task queue cleanly.
STOPSIGNAL SIGTERM
CMD ["glowpath", "api"]
