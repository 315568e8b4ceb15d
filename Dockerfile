# snowflake-auth-mock as a container: `serve` on 0.0.0.0:4010 with the control API, for clients in any
# language. Build:  docker build -t snowflake-auth-mock .   (docs: README "Container")
#
# BASE selects the Node 22 image both stages start from. The default is the official slim image; CI,
# which can pull no registry image, passes a base it made offline (scripts/offline-base.sh). Every
# instruction is in exec form and needs nothing but `node` and npm's files, so a base without a
# shell works too.
ARG BASE=node:22-slim

FROM ${BASE} AS build
WORKDIR /build
# npm runs through node so the base needs neither a shell nor /usr/bin/env. Dependencies first: this
# layer is reused until the lockfile changes. --ignore-scripts: nothing here needs an install script
# (the `node` devDependency would otherwise download a second Node).
COPY package.json package-lock.json ./
RUN ["node", "/usr/local/lib/node_modules/npm/bin/npm-cli.js", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY api ./api
COPY cli ./cli
COPY contracts ./contracts
COPY domain ./domain
COPY handlers ./handlers
COPY http ./http
COPY record ./record
COPY server ./server
COPY testcontainers ./testcontainers
RUN ["node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--declaration", "false", "--sourceMap", "false"]
RUN ["node", "/usr/local/lib/node_modules/npm/bin/npm-cli.js", "prune", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
# /tls: private to the runtime user (serve refuses a TLS directory others can write).
RUN ["node", "-e", "require('node:fs').mkdirSync('/build/tls', { mode: 0o700 })"]
# /run/snowflake-auth-mock: where serve writes its URL for the health check. Sticky and writable by
# all, like /tmp, so any uid can run the image (serve writes through a random, exclusively created name).
RUN ["node", "-e", "const fs = require('node:fs'); fs.mkdirSync('/build/run'); fs.chmodSync('/build/run', 0o1777)"]

FROM ${BASE}
LABEL org.opencontainers.image.title="snowflake-auth-mock" \
      org.opencontainers.image.description="Offline mock of Snowflake authentication (key-pair JWT, PAT, OAuth, SQL/REST API, drivers' login)" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY package.json LICENSE ./
COPY bin ./bin
COPY fixtures ./fixtures
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY contracts/endpoints ./contracts/endpoints
COPY server/inspector ./server/inspector
# The TLS directory (`serve --https` writes its CA and certificate here) belongs to the user below.
COPY --from=build --chown=1000:1000 /build/tls /tls
COPY --from=build --chown=1000:1000 /build/run /run/snowflake-auth-mock

# Configuration is by environment (every `serve` flag as SNOWFLAKE_MOCK_<FLAG>; the world as YAML or
# JSON text in SNOWFLAKE_MOCK_WORLD or a mounted file in SNOWFLAKE_MOCK_WORLD_FILE).
#
# The control API (clock, journal, reset, world, faults) is on, on all interfaces. Outside a
# container `serve` refuses that without --allow-remote-control; here a port is only reachable when
# bound to all interfaces, and it is reachable only where the user publishes it (`-p 127.0.0.1:4010:4010`
# keeps it on the host's loopback). What it can change is the mock's own fake state: no real account,
# data or secret is behind it. Turn it off with SNOWFLAKE_MOCK_CONTROL=false.
ENV NODE_ENV=production \
    SNOWFLAKE_MOCK_HOST=0.0.0.0 \
    SNOWFLAKE_MOCK_PORT=4010 \
    SNOWFLAKE_MOCK_CONTROL=true \
    SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL=true \
    SNOWFLAKE_MOCK_TLS_DIR=/tls \
    SNOWFLAKE_MOCK_URL_FILE=/run/snowflake-auth-mock/url
# uid 1000 is the `node` user of the official image and owns /tls (another uid can serve plain HTTP,
# and HTTPS with SNOWFLAKE_MOCK_TLS_DIR set to a directory it owns).
USER 1000:1000
EXPOSE 4010
# Liveness: any HTTP answer from the server itself, wherever serve says it listens (see bin/healthcheck.js).
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 CMD ["node", "/app/bin/healthcheck.js"]
# node is PID 1: `serve` handles SIGTERM itself (closes the server, exits 0), so `docker stop` is prompt.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/snowflake-auth-mock.js"]
CMD ["serve"]
