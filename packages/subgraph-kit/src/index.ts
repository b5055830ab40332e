export { createSubgraphServer, type RequestInfo, type SubgraphServer, type SubgraphServerOptions } from './server.ts';
export { loadSubgraphSdl } from '@store/core';
export { requireIdentity, requireRole, isAdmin } from './access.ts';
export {
  clampFirst,
  createdAtCursorKey,
  decodeCreatedAtCursor,
  decodeCursor,
  encodeCreatedAtCursor,
  encodeCursor,
  isUuid,
  type Connection,
  type CreatedAtCursor,
  type PageArgs,
} from './pagination.ts';
export {
  refineRequestSigning,
  refineServiceIdentity,
  requestSigningOf,
  serviceIdentityEnv,
  subgraphEnvSchema,
  withServiceIdentityDefaults,
  type SubgraphEnv,
} from './env.ts';
export { createSignatureCheck, signatureFailureMessage, type RequestSigningOptions } from './request-signing.ts';
export { createServiceTokenSource, type ServiceCredentials } from './service-token.ts';
export {
  createRouterClient,
  RouterUnavailableError,
  type RouterClient,
  type RouterClientOptions,
  type RouterGraphQLError,
  type RouterUnavailableReason,
} from './router-client.ts';
