# Production image for `glowpath api`, `glowpath worker` and `glowpath migrate`.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY schema ./schema
COPY workflows ./workflows
COPY server ./server
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GLOWPATH_DATA_DIR=/home/glowpath/var \
    GLOWPATH_HTTP_HOST=0.0.0.0
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin glowpath
USER glowpath
WORKDIR /home/glowpath
EXPOSE 8000
# SIGTERM lets the API and the worker finish in-flight work and leave the task queue cleanly.
STOPSIGNAL SIGTERM
CMD ["glowpath", "api"]
