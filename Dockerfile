# syntax=docker/dockerfile:1
# Redis Config Center: one image for the admin service (default command) and the example node
# (`node dist/apps/example/main.js`) or the CLI (`node dist/apps/cli/main.js --help`).

# ---- build: every dependency, then the bundles (apps, library, web console) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The workspaces' manifests first: npm ci links them (node_modules/@rcc/*).
COPY package.json package-lock.json ./
COPY libs/redis-config/package.json ./libs/redis-config/
COPY apps/admin/package.json ./apps/admin/
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
# build:lib bundles the library's entry points with this script.
COPY scripts/bundle-lib.mjs ./scripts/
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# ---- runtime: production dependencies and the built files only, as a non-root user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/redis-config/package.json ./libs/redis-config/
COPY apps/admin/package.json ./apps/admin/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The example node loads the library as a package (node_modules/@rcc/redis-config -> libs/...).
COPY --from=build /app/libs/redis-config/dist ./libs/redis-config/dist
# The `node` user (uid 1000) comes with the base image; nothing here needs to be writable.
USER node
EXPOSE 8079 8089
# /health on the port of whichever app runs: the example sets PORT, the admin ADMIN_PORT.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||process.env.ADMIN_PORT||8079;fetch('http://127.0.0.1:'+p+'/health',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/admin/main.js"]
