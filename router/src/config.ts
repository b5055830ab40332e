import { z } from 'zod';
import { appEnvSchema, booleanFlagSchema, DEV_JWT_SECRET, parseEnv, portSchema, type AppEnv, type LogLevel, type VerifyingKey } from '@store/core';
import { normalizeOrigin, type CorsOrigins } from './cors.ts';

/** `SUBGRAPH_<NAME>_URL`: overrides the URL of subgraph `<name>` from the supergraph. */
export const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_[A-Z0-9_]+_URL$/;
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
  introspection: boolean;
  /** Browser origins allowed to call the router (`CORS_ORIGINS`; development: any loopback origin). */
  corsOrigins: CorsOrigins;
  /** The self-hosted explorer at /explorer (`EXPLORER`; on in development, off in production). */
  explorer: boolean;
  /** `x-store-query-plan` → `extensions.queryPlan`: development only, never in production. */
  exposeQueryPlans: boolean;
  /** `SUBGRAPH_<NAME>_URL` variables, by variable name; matched against the supergraph at start. */
  subgraphUrlOverrides: Readonly<Record<string, string>>;
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
    INTROSPECTION: unsetIfEmpty(booleanFlagSchema.optional()),
    CORS_ORIGINS: unsetIfEmpty(corsOriginsSchema.optional()),
    EXPLORER: unsetIfEmpty(onOffSchema.optional()),
  })
  .superRefine((env, ctx) => {
    const keys = (['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL'] as const).filter((name) => env[name] !== undefined);
    if (keys.length > 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL (found ${keys.join(', ')})` });
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
    },
    { when: () => true },
  )
  .transform((env): RouterConfig => {
    const subgraphUrlOverrides: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (SUBGRAPH_URL_VARIABLE.test(name) && typeof value === 'string' && value !== '') subgraphUrlOverrides[name] = value;
    }
    return {
      appEnv: env.APP_ENV,
      port: env.PORT,
      host: env.HOST,
      logLevel: env.LOG_LEVEL,
      verifyingKey: verifyingKeyOf(env),
      maxBodyBytes: env.MAX_BODY_BYTES,
      subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
      // The explorer needs introspection: EXPLORER=on turns it on unless INTROSPECTION says no.
      introspection: env.INTROSPECTION ?? (env.APP_ENV === 'development' || env.EXPLORER === true),
      corsOrigins: env.CORS_ORIGINS ?? (env.APP_ENV === 'development' ? 'loopback' : []),
      explorer: env.EXPLORER ?? env.APP_ENV === 'development',
      exposeQueryPlans: env.APP_ENV === 'development',
      subgraphUrlOverrides,
    };
  });

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
