export { createSubgraphServer, type RequestInfo, type SubgraphServer, type SubgraphServerOptions } from './server.ts';
export { loadSubgraphSdl } from '@store/core';
export { requireIdentity, requireRole, isAdmin } from './access.ts';
export { clampFirst, decodeCursor, encodeCursor, isUuid, type Connection, type PageArgs } from './pagination.ts';
export { subgraphEnvSchema, type SubgraphEnv } from './env.ts';
