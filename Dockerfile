# policywatch: one image for every role (`--role all|watcher|sender`); see compose.yaml and the
# README's "Running several processes". Not built on the development machines (no container
# engine there): see the README for what was and was not run.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# Only what the package needs (.dockerignore keeps tests, benchmarks and local files out).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY matcher ./matcher
COPY store ./store
COPY watchers ./watchers
RUN pip install . && rm -rf /src

# Not root. A fixed uid, so a mounted data folder can be given to it.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin policywatch
USER policywatch
WORKDIR /home/policywatch
# Without DATABASE_URL the SQLite file lives here: mount a volume on it to keep it
# (docker run -v policywatch-data:/home/policywatch/.local/share/policywatch ...); the folder
# exists in the image so that a new volume belongs to this user.
RUN mkdir -p /home/policywatch/.local/share/policywatch

ENTRYPOINT ["policywatch", "run"]
CMD ["--role", "all"]
