import { z } from 'zod';
import { appEnvSchema, booleanFlagSchema, DEV_JWT_SECRET, parseEnv, parseSigningSecrets, portSchema, type AppEnv, type LogLevel, type VerifyingKey } from '@store/core';
import { normalizeOrigin, type CorsOrigins } from './cors.ts';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './limits/operation-limits.ts';
import { AUTHORIZATION_MODES, type AuthorizationMode } from './authorization/index.ts';
import { PERSISTED_OPERATIONS_MODES, type PersistedOperationsMode } from './operations/persisted-operations.ts';
import type { RateLimitFailureMode, RateLimitKey } from './rate-limit/limiter.ts';
import { parseRateLimitSpec, type RateLimitPolicy } from './rate-limit/policy.ts';

/** `SUBGRAPH_<NAME>_URL`: overrides the URL of subgraph `<name>` from the supergraph. */
export const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_[A-Z0-9_]+_URL$/;
/** `SUBGRAPH_<NAME>_SIGNING_SECRET`: the router signs its requests to subgraph `<name>` with it. */
export const SUBGRAPH_SIGNING_SECRET_VARIABLE = /^SUBGRAPH_[A-Z0-9_]+_SIGNING_SECRET$/;
const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** An empty variable (`FOO=`) counts as unset, as it does in most deployment tools. */
const unsetIfEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** `on`/`off` (or `true`/`false`/`1`/`0`). */
const onOffSchema = z.enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'expected on or off' }).transform((v) => v === 'on' || v === 'true' || v === '1');

/** `CORS_ORIGINS`: comma-separated origins such as `https://shop.example,http://127.0.0.1:3000`. */
const corsOriginsSchema = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const item of value.split(',').map((o) => o.trim()).filter((o) => o !== '')) {
    const origin = normalizeOrigin(item);
    if (origin === null) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin (expected scheme://host[:port], e.g. http://127.0.0.1:3000)` });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});

/** `RATE_LIMIT`: `off` or `<requests>/<window>` such as `600/1m`. */
const rateLimitSchema = z.string().transform((value, ctx) => {
  const parsed = parseRateLimitSpec(value);
  if (parsed.ok) return parsed.policy;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});
/** Production's default budget per user (or per IP for anonymous requests). */
export const PRODUCTION_RATE_LIMIT: RateLimitPolicy = { max: 600, windowMs: 60_000 };
const redisUrlSchema = z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL, e.g. redis://redis:6379' });
/** `TRUST_PROXY`: `off`, `on` (one proxy) or how many proxies in front append `X-Forwarded-For`. */
const trustProxySchema = z
  .string()
  .regex(/^(on|off|true|false|\d{1,2})$/, 'expected off, on, or the number of trusted proxies in front of the router (e.g. 1)')
  .transform((value) => (value === 'on' || value === 'true' ? 1 : value === 'off' || value === 'false' ? 0 : Number(value)));

/** A limit: a positive integer, or `off` (also `0`) for none. */
const limitSchema = z
  .string()
  .regex(/^(off|[0-9]+)$/, 'expected a positive integer, or off')
  .transform((value) => (value === 'off' || Number(value) === 0 ? null : Number(value)));

/** Operation limits, demand control and the request deadline (see src/limits/). */
export interface RouterLimitsConfig {
  /** `MAX_DEPTH`, `MAX_ALIASES`, `MAX_ROOT_FIELDS`, `MAX_DIRECTIVES`, `MAX_TOKENS`; `null` is off. */
  operationLimits: OperationLimits;
  /** `MAX_COST`: largest estimated cost (`@cost`/`@listSize`) accepted; `null` (development default) is off. */
  maxCost: number | null;
  /** `COST_DEFAULT_LIST_SIZE`: size assumed for list fields without `@listSize`. */
  defaultListSize: number;
  /** `REQUEST_TIMEOUT_MS`: deadline for a request's execution; `null` is none. */
  requestTimeoutMs: number | null;
}

/** Stricter limits the store runs with under APP_ENV=production (each variable still overrides). */
export const PRODUCTION_LIMITS: Omit<RouterLimitsConfig, 'requestTimeoutMs' | 'defaultListSize'> = {
  operationLimits: { maxDepth: 10, maxAliases: 15, maxRootFields: 10, maxDirectives: 20, maxTokens: 2_000 },
  maxCost: 10_000,
};

/** Per-caller request budgets (`RATE_LIMIT*`); `null` when off. */
export interface RateLimitConfig extends RateLimitPolicy {
  key: RateLimitKey;
  onRedisFailure: RateLimitFailureMode;
}

/** What the router runs with, parsed once from the environment. */
export interface RouterConfig {
  appEnv: AppEnv;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** How bearer tokens are verified: exactly one of HS256 secret, RS256 public key, RS256 JWKS. */
  verifyingKey: VerifyingKey;
  maxBodyBytes: number;
  subgraphTimeoutMs: number;
  /** `SUBGRAPH_DEDUPLICATION`: identical queries in flight to a subgraph share one request (off by default). */
  subgraphDeduplication: boolean;
  /** `SUBGRAPH_BATCHING`: the subgraph requests of concurrent query operations made in one event-loop turn go out together (on by default). */
  subgraphBatching: boolean;
  /** Operation limits, demand control and the request deadline: permissive in development, stricter in production. */
  limits: RouterLimitsConfig;
  introspection: boolean;
  /** Browser origins allowed to call the router (`CORS_ORIGINS`; development: any loopback origin). */
  corsOrigins: CorsOrigins;
  /** The self-hosted explorer at /explorer (`EXPLORER`; on in development, off in production). */
  explorer: boolean;
  /** `x-store-query-plan` → `extensions.queryPlan`: development only, never in production. */
  exposeQueryPlans: boolean;
  /** `AUTHORIZATION_MODE`: how `@authenticated` / `@requiresScopes` / `@policy` are enforced (`filter` everywhere by default). */
  authorizationMode: AuthorizationMode;
  /** `SUBGRAPH_<NAME>_URL` variables, by variable name; matched against the supergraph at start. */
  subgraphUrlOverrides: Readonly<Record<string, string>>;
  /** `RATE_LIMIT`, `RATE_LIMIT_KEY`, `RATE_LIMIT_ON_REDIS_FAILURE`: off in development, 600/1m in production. */
  rateLimit: RateLimitConfig | null;
  /** `REDIS_URL`: state shared by router replicas (rate-limit counters); `null` keeps it in memory. */
  redisUrl: string | null;
  /** `TRUST_PROXY`: proxies whose `X-Forwarded-For` entries name the client; 0 uses the socket address. */
  trustedProxyHops: number;
  /** `PERSISTED_OPERATIONS` (default `apq`) and `PERSISTED_OPERATIONS_MANIFESTS` (files, comma-separated). */
  persistedOperations: { mode: PersistedOperationsMode; manifestFiles: string[] };
  /** `USAGE_LOG_FILE`, `USAGE_LOG_FLUSH_MS`, `USAGE_LOG_SAMPLE_RATE`; `null` (no file) is off. */
  usageLog: { file: string; flushIntervalMs: number; sampleRate: number } | null;
  /** `SUBGRAPH_<NAME>_SIGNING_SECRET` variables, by variable name; matched against the supergraph at start. */
  subgraphSigningSecrets: Readonly<Record<string, string>>;
}

/**
 * The router's one environment schema. Every variable is optional in development; production
 * refuses to start without a real token-verification key.
 */
export const routerEnvSchema = z
  .looseObject({
    APP_ENV: unsetIfEmpty(appEnvSchema),
    PORT: unsetIfEmpty(portSchema.default(4000)),
    HOST: unsetIfEmpty(z.string().default('127.0.0.1')),
    LOG_LEVEL: unsetIfEmpty(z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
    JWT_SECRET: unsetIfEmpty(z.string().optional()),
    // Deployment tools often flatten a PEM to one line with literal "\n".
    JWT_PUBLIC_KEY: unsetIfEmpty(
      z
        .string()
        .transform((pem) => pem.replace(/\\n/g, '\n').trim())
        .refine((pem) => pem.startsWith('-----BEGIN PUBLIC KEY-----'), 'expected an SPKI PEM starting with "-----BEGIN PUBLIC KEY-----"')
        .optional(),
    ),
    JWT_JWKS_URL: unsetIfEmpty(httpUrlSchema.optional()),
    MAX_BODY_BYTES: unsetIfEmpty(z.coerce.number().int().positive().default(1024 * 1024)),
    SUBGRAPH_TIMEOUT_MS: unsetIfEmpty(z.coerce.number().int().positive().default(10_000)),
    SUBGRAPH_DEDUPLICATION: unsetIfEmpty(onOffSchema.default(false)),
    SUBGRAPH_BATCHING: unsetIfEmpty(onOffSchema.default(true)),
    MAX_DEPTH: unsetIfEmpty(limitSchema.optional()),
    MAX_ALIASES: unsetIfEmpty(limitSchema.optional()),
    MAX_ROOT_FIELDS: unsetIfEmpty(limitSchema.optional()),
    MAX_DIRECTIVES: unsetIfEmpty(limitSchema.optional()),
    MAX_TOKENS: unsetIfEmpty(limitSchema.optional()),
    MAX_COST: unsetIfEmpty(limitSchema.optional()),
    COST_DEFAULT_LIST_SIZE: unsetIfEmpty(z.coerce.number().int().positive().default(10)),
    REQUEST_TIMEOUT_MS: unsetIfEmpty(limitSchema.default(30_000)),
    INTROSPECTION: unsetIfEmpty(booleanFlagSchema.optional()),
    CORS_ORIGINS: unsetIfEmpty(corsOriginsSchema.optional()),
    EXPLORER: unsetIfEmpty(onOffSchema.optional()),
    AUTHORIZATION_MODE: unsetIfEmpty(z.enum(AUTHORIZATION_MODES, { error: `expected one of ${AUTHORIZATION_MODES.join(', ')}` }).default('filter')),
    RATE_LIMIT: unsetIfEmpty(rateLimitSchema.optional()),
    RATE_LIMIT_KEY: unsetIfEmpty(z.enum(['user-or-ip', 'ip'], { error: 'expected user-or-ip or ip' }).default('user-or-ip')),
    RATE_LIMIT_ON_REDIS_FAILURE: unsetIfEmpty(z.enum(['open', 'closed'], { error: 'expected open (let requests through) or closed (refuse them)' }).default('open')),
    REDIS_URL: unsetIfEmpty(redisUrlSchema.optional()),
    TRUST_PROXY: unsetIfEmpty(trustProxySchema.default(0)),
    PERSISTED_OPERATIONS: unsetIfEmpty(z.enum(PERSISTED_OPERATIONS_MODES, { error: 'expected off, apq or safelist' }).default('apq')),
    PERSISTED_OPERATIONS_MANIFESTS: unsetIfEmpty(
      z
        .string()
        .transform((value) => value.split(',').map((file) => file.trim()).filter((file) => file !== ''))
        .optional(),
    ),
    USAGE_LOG_FILE: unsetIfEmpty(z.string().optional()),
    USAGE_LOG_FLUSH_MS: unsetIfEmpty(z.coerce.number().int().positive().default(10_000)),
    USAGE_LOG_SAMPLE_RATE: unsetIfEmpty(z.coerce.number().min(0).max(1, 'expected a share between 0 and 1').default(1)),
  })
  .superRefine((env, ctx) => {
    const keys = (['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL'] as const).filter((name) => env[name] !== undefined);
    if (keys.length > 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL (found ${keys.join(', ')})` });
    }
    if (env.PERSISTED_OPERATIONS === 'safelist' && (env.PERSISTED_OPERATIONS_MANIFESTS ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['PERSISTED_OPERATIONS_MANIFESTS'], message: 'required with PERSISTED_OPERATIONS=safelist (the persisted-operations.json files whose operations may run)' });
    }
    if (env.APP_ENV === 'production') {
      if (keys.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message: `required in production (at least ${MIN_PRODUCTION_SECRET_LENGTH} characters), unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set`,
        });
      }
      // An empty path keeps the secret's value out of the error message.
      if (env.JWT_SECRET === DEV_JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: [], message: 'JWT_SECRET is the development secret, which production refuses' });
      } else if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < MIN_PRODUCTION_SECRET_LENGTH) {
        ctx.addIssue({ code: 'custom', path: [], message: `JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production` });
      }
    }
  })
  // Checked even when other variables are bad, so one run lists every problem.
  .superRefine(
    (env, ctx) => {
      for (const [name, value] of Object.entries(env)) {
        if (!SUBGRAPH_URL_VARIABLE.test(name) || value === '' || value === undefined) continue;
        if (!httpUrlSchema.safeParse(value).success) ctx.addIssue({ code: 'custom', path: [name], message: 'expected an http:// or https:// URL' });
      }
      // An empty path keeps the secret's value out of the error message.
      if (env.APP_ENV !== 'production') return;
      for (const [name, value] of Object.entries(env)) {
        if (!SUBGRAPH_SIGNING_SECRET_VARIABLE.test(name) || typeof value !== 'string' || value === '') continue;
        const signingSecret = parseSigningSecrets(value)[0];
        if (signingSecret !== undefined && signingSecret.length < MIN_PRODUCTION_SECRET_LENGTH) {
          ctx.addIssue({ code: 'custom', path: [], message: `${name} must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production` });
        }
      }
    },
    { when: () => true },
  )
  .transform((env): RouterConfig => {
    const subgraphUrlOverrides: Record<string, string> = {};
    const subgraphSigningSecrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (SUBGRAPH_URL_VARIABLE.test(name) && typeof value === 'string' && value !== '') subgraphUrlOverrides[name] = value;
      // Several comma-separated secrets are the subgraph's rotation list: the router signs with the first.
      const signingSecret = SUBGRAPH_SIGNING_SECRET_VARIABLE.test(name) && typeof value === 'string' ? parseSigningSecrets(value)[0] : undefined;
      if (signingSecret !== undefined) subgraphSigningSecrets[name] = signingSecret;
    }
    return {
      appEnv: env.APP_ENV,
      port: env.PORT,
      host: env.HOST,
      logLevel: env.LOG_LEVEL,
      verifyingKey: verifyingKeyOf(env),
      maxBodyBytes: env.MAX_BODY_BYTES,
      subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
      subgraphDeduplication: env.SUBGRAPH_DEDUPLICATION,
      subgraphBatching: env.SUBGRAPH_BATCHING,
      limits: limitsConfigOf(env),
      // The explorer needs introspection: EXPLORER=on turns it on unless INTROSPECTION says no.
      introspection: env.INTROSPECTION ?? (env.APP_ENV === 'development' || env.EXPLORER === true),
      corsOrigins: env.CORS_ORIGINS ?? (env.APP_ENV === 'development' ? 'loopback' : []),
      explorer: env.EXPLORER ?? env.APP_ENV === 'development',
      exposeQueryPlans: env.APP_ENV === 'development',
      authorizationMode: env.AUTHORIZATION_MODE,
      subgraphUrlOverrides,
      subgraphSigningSecrets,
      rateLimit: rateLimitConfigOf(env),
      redisUrl: env.REDIS_URL ?? null,
      trustedProxyHops: env.TRUST_PROXY,
      persistedOperations: { mode: env.PERSISTED_OPERATIONS, manifestFiles: env.PERSISTED_OPERATIONS_MANIFESTS ?? [] },
      usageLog: env.USAGE_LOG_FILE === undefined ? null : { file: env.USAGE_LOG_FILE, flushIntervalMs: env.USAGE_LOG_FLUSH_MS, sampleRate: env.USAGE_LOG_SAMPLE_RATE },
    };
  });

function rateLimitConfigOf(env: {
  APP_ENV: AppEnv;
  RATE_LIMIT?: RateLimitPolicy | null | undefined;
  RATE_LIMIT_KEY: RateLimitKey;
  RATE_LIMIT_ON_REDIS_FAILURE: RateLimitFailureMode;
}): RateLimitConfig | null {
  // Off by default outside production: any supergraph, many connections from one IP (benchmarks).
  const policy = env.RATE_LIMIT === undefined ? (env.APP_ENV === 'production' ? PRODUCTION_RATE_LIMIT : null) : env.RATE_LIMIT;
  return policy === null ? null : { ...policy, key: env.RATE_LIMIT_KEY, onRedisFailure: env.RATE_LIMIT_ON_REDIS_FAILURE };
}

function verifyingKeyOf(env: { JWT_SECRET?: string | undefined; JWT_PUBLIC_KEY?: string | undefined; JWT_JWKS_URL?: string | undefined }): VerifyingKey {
  if (env.JWT_PUBLIC_KEY !== undefined) return { alg: 'RS256', publicKeyPem: env.JWT_PUBLIC_KEY };
  if (env.JWT_JWKS_URL !== undefined) return { alg: 'RS256', jwksUrl: env.JWT_JWKS_URL };
  // Development only: production without a key was refused above.
  return { alg: 'HS256', secret: env.JWT_SECRET ?? DEV_JWT_SECRET };
}

/** Parses the router's environment; throws a `ConfigError` naming every bad variable. */
export function parseRouterEnv(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  return parseEnv(routerEnvSchema, env);
}

type LimitVariable = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_ROOT_FIELDS' | 'MAX_DIRECTIVES' | 'MAX_TOKENS' | 'MAX_COST';

/** Each limit from its variable, else the production or the permissive default. */
function limitsConfigOf(env: { APP_ENV: AppEnv; COST_DEFAULT_LIST_SIZE: number; REQUEST_TIMEOUT_MS: number | null } & { [K in LimitVariable]?: number | null | undefined }): RouterLimitsConfig {
  const production = env.APP_ENV === 'production';
  const base = production ? PRODUCTION_LIMITS.operationLimits : DEFAULT_OPERATION_LIMITS;
  const pick = (value: number | null | undefined, fallback: number | null) => (value === undefined ? fallback : value);
  return {
    operationLimits: {
      maxDepth: pick(env.MAX_DEPTH, base.maxDepth),
      maxAliases: pick(env.MAX_ALIASES, base.maxAliases),
      maxRootFields: pick(env.MAX_ROOT_FIELDS, base.maxRootFields),
      maxDirectives: pick(env.MAX_DIRECTIVES, base.maxDirectives),
      maxTokens: pick(env.MAX_TOKENS, base.maxTokens),
    },
    maxCost: pick(env.MAX_COST, production ? PRODUCTION_LIMITS.maxCost : null),
    defaultListSize: env.COST_DEFAULT_LIST_SIZE,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  };
}
