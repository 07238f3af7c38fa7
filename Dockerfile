# salesbot-engine container image: the headless bot, no console. Used by Heroku (heroku.yml) and by plain Docker:
#   docker build -t salesbot-engine .
#   docker run --rm -e BOT_TOKEN=... -e DATABASE_URL=postgres://... salesbot-engine          # `run`
#   docker run --rm -e DATABASE_URL=postgres://... salesbot-engine check                      # any CLI command
# It lives at the repository root because Heroku always uses the Dockerfile's own directory as the build
# context. Configuration is the environment only (BOT_TOKEN, DATABASE_URL, MANAGER_CHAT_ID, PORT, LOG_*, ...):
# the image sets none of it. Without DATABASE_URL the engine uses SQLite under $HOME, which a container
# (or a Heroku dyno) loses on restart: give it PostgreSQL.

# ---- build: the -dev packages, a Release build of the engine only -------------------------------------
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential cmake ninja-build pkg-config \
        qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-l10n-tools \
        libpq-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the engine's build reads (tests/, console/, docs/ stay out, so editing them rebuilds nothing).
COPY CMakeLists.txt ./
COPY packaging/ packaging/
COPY shared/ shared/
COPY engine/ engine/
COPY resources/ resources/
COPY translations/ translations/
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DSALESBOT_BUILD_CONSOLE=OFF -DSALESBOT_BUILD_TESTS=OFF \
 && cmake --build build \
 && strip build/engine/salesbot-engine \
 && build/engine/salesbot-engine --version

# ---- runtime: only the shared libraries the engine loads ----------------------------------------------
FROM debian:12-slim
# The same list the salesbot-engine .deb gets from dpkg-shlibdeps, plus the Qt SQL driver plugins
# (loaded at run time, so no linker sees them) and the CA certificates for https to Telegram.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libqt6core6 libqt6network6 libqt6sql6 libqt6sql6-psql libqt6sql6-sqlite \
        libpq5 libsqlite3-0 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/salesbot \
        --shell /usr/sbin/nologin salesbot
COPY --from=build /src/build/engine/salesbot-engine /usr/bin/salesbot-engine
# Qt wants a UTF-8 locale; C.UTF-8 is built into Debian's glibc.
ENV LANG=C.UTF-8 HOME=/var/lib/salesbot
USER 10001:10001
WORKDIR /var/lib/salesbot
# Exec form: the engine is PID 1 and gets SIGTERM itself (it stops taking updates, finishes what is in
# flight and exits 0 within 10 s; Heroku waits 30 s before SIGKILL). `run` migrates the schema first.
ENTRYPOINT ["/usr/bin/salesbot-engine"]
CMD ["run"]
