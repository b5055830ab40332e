# One image for the router and every subgraph; docker-compose.yml picks the command.

# Build stage: every dependency (the explorer needs Vite, a dev dependency). Builds what the image
# runs as plain JavaScript, with no TypeScript loader in the running process: the router
# (router/dist), its explorer (router/explorer/dist, which the router serves at /explorer) and
# each subgraph (subgraphs/<name>/dist). The outputs are gathered under /out at their paths.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV APOLLO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY . .
RUN npm ci --no-audit --no-fund \
    && npm run build:router \
    && npm run build:explorer \
    && npm run build:subgraphs \
    && mkdir /out \
    && cp -r --parents router/dist router/explorer/dist subgraphs/*/dist /out/

# Final stage: production dependencies only (their install generates the Prisma clients, the
# root postinstall), plus the built outputs. The sources stay: `npm run migrate` (tsx, a
# production dependency) applies each subgraph's migrations before it starts, and the subgraphs
# read their schema.graphql beside dist/.
FROM node:20-bookworm-slim
WORKDIR /app
ENV APOLLO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /out/ ./
ENV NODE_ENV=production APP_ENV=production HOST=0.0.0.0
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006
CMD ["node", "router/dist/index.js", "--supergraph", "schema/supergraph.graphql"]
