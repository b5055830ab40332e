# One image for the router and every subgraph; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV APOLLO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY . .
# The install runs the Prisma client generation (postinstall). Dev dependencies (tests, codegen)
# are left out; tsx runs the subgraphs' TypeScript sources. The router runs compiled
# (`npm run build:router`, esbuild: a production dependency): no TypeScript loader in its memory.
RUN npm ci --omit=dev --no-audit --no-fund && npm run build:router && npm cache clean --force
ENV NODE_ENV=production APP_ENV=production HOST=0.0.0.0
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006
CMD ["node", "router/dist/index.js", "--supergraph", "schema/supergraph.graphql"]
