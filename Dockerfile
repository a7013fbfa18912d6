# syntax=docker/dockerfile:1.7
# Skillyug: Strapi (admin + API + live plugin) and the Astro site in one image.
# Build: docker build -t skillyug .   Run: docker run --env-file .env -p 1337:1337 -p 4321:4321 skillyug
# Production runs it as two ECS services, `node scripts/start.mjs cms` and `… site` (docs/operations.md).
# The build needs no secret (scripts/build.mjs); the runtime refuses to start without them.
# CI replays these stages as written, without an image builder, and starts the result (scripts/image-check.mjs).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 and sharp fall back to building from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY config/package.json config/
COPY cms/package.json cms/
COPY src-plugins/live/package.json src-plugins/live/
COPY site/package.json site/
COPY infra/package.json infra/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV STRAPI_TELEMETRY_DISABLED=true
RUN NODE_ENV=production npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    STRAPI_TELEMETRY_DISABLED=true \
    HOST=0.0.0.0 \
    PORT=1337 \
    SITE_HOST=0.0.0.0 \
    SITE_PORT=4321
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/config ./config
COPY --from=build --chown=node:node /app/src-plugins ./src-plugins
COPY --from=build --chown=node:node /app/cms ./cms
COPY --from=build --chown=node:node /app/site/package.json ./site/package.json
# The server bundle imports Astro's runtime dependencies; the ones npm could not hoist live here.
COPY --from=build --chown=node:node /app/site/node_modules ./site/node_modules
COPY --from=build --chown=node:node /app/site/dist ./site/dist
COPY --from=build --chown=node:node /app/site/server.mjs ./site/server.mjs
# The Node server's own modules (health routes, request log) beside it.
COPY --from=build --chown=node:node /app/site/server ./site/server
COPY --from=build --chown=node:node /app/site/server ./site/server
COPY --from=build --chown=node:node /app/database ./database
COPY --from=build --chown=node:node /app/scripts ./scripts
RUN mkdir -p cms/public/uploads cms/.tmp cms/.data && chown -R node:node cms/public/uploads cms/.tmp cms/.data
USER node
# Strapi and the site. Not 1935: the local RTMP ingest (LIVE_PROVIDER=local) is a single-process
# development feature and production ingests through Amazon IVS; to try it in a container, publish it
# yourself: docker run … -p 1935:1935 skillyug.
EXPOSE 1337 4321
# Liveness of both processes (GET /api/health: the process answers; it checks no dependency, so a
# database outage never gets the container restarted — readiness, /api/ready, is the load balancer's).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "const e = process.env; Promise.all([fetch('http://127.0.0.1:' + e.PORT + '/api/health'), fetch('http://127.0.0.1:' + e.SITE_PORT + '/api/health')]).then((r) => process.exit(r.every((x) => x.ok) ? 0 : 1)).catch(() => process.exit(1))"
CMD ["node", "scripts/start.mjs"]
