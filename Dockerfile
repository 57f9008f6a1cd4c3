# syntax=docker/dockerfile:1

# ---- build: install everything, compile server and web, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build

# For native modules (argon2, better-sqlite3) when no prebuilt binary fits.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci

COPY . .
RUN npm run build \
    && npm prune --omit=dev

# ---- runtime ----
FROM node:20-bookworm-slim

WORKDIR /app

# The server reads its version from the root package.json and serves web/dist (paths relative to server/dist).
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/server/package.json ./server/
COPY --from=build /app/server/dist ./server/dist
COPY --from=build /app/web/package.json ./web/
COPY --from=build /app/web/dist ./web/dist

RUN mkdir -p /data && chown node:node /data

ENV SQLITE_PATH=/data/gateway-aggregator.db
VOLUME /data
EXPOSE 3000

USER node

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/status').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The built JS directly (npm start would check sources and rebuild); node is PID 1 and handles SIGTERM itself.
CMD ["node", "server/dist/main.js"]
