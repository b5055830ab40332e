export { appEnvSchema, booleanFlagSchema, ConfigError, loadEnvOrExit, parseEnv, portSchema, postgresUrlSchema, type AppEnv } from './config.ts';
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger.ts';
export {
  badUserInput,
  conflict,
  createErrorMasker,
  ErrorCode,
  forbidden,
  INTERNAL_ERROR_MESSAGE,
  notFound,
  serviceUnavailable,
  unauthenticated,
  type ErrorDetails,
} from './errors.ts';
export {
  closeGracefully,
  createGraphQLHandler,
  createHttpServer,
  DEFAULT_MAX_BODY_BYTES,
  discardRestOfBody,
  HttpError,
  listen,
  onShutdownSignal,
  sendGraphQLError,
  sendJson,
  type GraphQLHandlerOptions,
  type PreparedHttpRequest,
  type PrepareRequestResult,
  type RequestHandler,
  type Route,
  type RunningServer,
} from './http.ts';
export { decodeIdentity, encodeIdentity, IDENTITY_HEADER, identitySchema, type Identity } from './identity.ts';
export {
  createTokenVerifier,
  DEV_JWT_SECRET,
  JWT_AUDIENCE,
  JWT_ISSUER,
  mintServiceToken,
  scopesForRole,
  signAccessToken,
  type SigningKey,
  type TokenCheck,
  type VerifyingKey,
} from './jwt.ts';
export {
  createRequestSigner,
  createRequestVerifier,
  DEFAULT_REPLAY_CACHE_SIZE,
  DEFAULT_SIGNATURE_TOLERANCE_MS,
  parseSigningSecrets,
  SIGNATURE_HEADER,
  type NonceStore,
  type RequestSigner,
  type RequestVerifier,
  type RequestVerifierOptions,
  type SignatureCheck,
  type SignatureFailureCode,
  type SignedRequestParts,
} from './signing.ts';
export { listSubgraphDirs, loadSubgraphSdl, subgraphDevPort } from './contract.ts';
