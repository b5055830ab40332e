import { z } from 'zod';
import { appEnvSchema, DEV_JWT_SECRET, parseSigningSecrets, portSchema, postgresUrlSchema } from '@store/core';
import type { RequestSigningOptions } from './request-signing.ts';

/** An empty variable (`FOO=`) counts as unset, as it does in most deployment tools. */
const unsetIfEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * `off`: every request goes through Apollo Server's pipeline, none through the kit's fast path
 * (fast-path.ts) — to compare the two, or as an escape hatch. Default `on`.
 */
const fastPathSetting = unsetIfEmpty(z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'));

/** Variables every subgraph reads (each subgraph extends this with its own). */
export const subgraphEnvSchema = z.object({
  APP_ENV: appEnvSchema,
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: postgresUrlSchema,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /**
   * The secret(s) the router signs this subgraph's requests with (the router's
   * `SUBGRAPH_<NAME>_SIGNING_SECRET`); comma-separated to accept a new and an old one while rotating.
   */
  ROUTER_SIGNING_SECRET: unsetIfEmpty(z.string().optional()),
  /** `on`: serve unsigned requests (development only, refused in production). */
  ALLOW_UNSIGNED_REQUESTS: unsetIfEmpty(z.enum(['on', 'off'], { error: 'expected on or off' }).default('off')),
  /**
   * Redis shared by the subgraph's replicas: the nonces of accepted router requests are kept there,
   * so a request replayed to another replica is refused too. Unset: each process keeps its own.
   */
  REDIS_URL: unsetIfEmpty(z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL, e.g. redis://redis:6379' }).optional()),
  SUBGRAPH_FAST_PATH: fastPathSetting,
});
export type SubgraphEnv = z.infer<typeof subgraphEnvSchema>;
export { portSchema };

/**
 * Variables of a subgraph that calls other subgraphs through the router, as its own SERVICE
 * identity. Spread into `subgraphEnvSchema.extend({...})`, then `.superRefine(refineServiceIdentity)`
 * and `.transform(withServiceIdentityDefaults)`.
 */
export const serviceIdentityEnv = {
  /** Where the calls go: the one endpoint, like any client. */
  ROUTER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000/graphql'),
  /** The platform's HS256 secret, used to mint this service's token. */
  JWT_SECRET: z.string().min(1).optional(),
  /** A pre-minted service token; when set it is sent as is and JWT_SECRET is not used. */
  SERVICE_TOKEN: z.string().min(1).optional(),
};

export const MIN_JWT_SECRET_LENGTH = 32;

interface ServiceIdentityVariables {
  APP_ENV: z.infer<typeof appEnvSchema>;
  JWT_SECRET?: string | undefined;
  SERVICE_TOKEN?: string | undefined;
}

/**
 * A production process must not sign with the public development secret (anyone could mint
 * tokens), nor with one short enough to guess: it needs SERVICE_TOKEN or a strong JWT_SECRET.
 */
export function refineServiceIdentity(env: ServiceIdentityVariables, ctx: z.RefinementCtx): void {
  if (env.APP_ENV !== 'production' || env.SERVICE_TOKEN) return;
  if (!env.JWT_SECRET || env.JWT_SECRET === DEV_JWT_SECRET || env.JWT_SECRET.length < MIN_JWT_SECRET_LENGTH) {
    ctx.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message: `in production set SERVICE_TOKEN, or a JWT_SECRET of at least ${MIN_JWT_SECRET_LENGTH} characters that is not the development default`,
    });
  }
}

/** JWT_SECRET defaults to the development secret (`refineServiceIdentity` refuses it in production). */
export function withServiceIdentityDefaults<E extends { JWT_SECRET?: string | undefined }>(env: E): Omit<E, 'JWT_SECRET'> & { JWT_SECRET: string } {
  return { ...env, JWT_SECRET: env.JWT_SECRET ?? DEV_JWT_SECRET };
}

export const MIN_SIGNING_SECRET_LENGTH = 32;

interface RequestSigningVariables {
  APP_ENV: z.infer<typeof appEnvSchema>;
  ROUTER_SIGNING_SECRET?: string | undefined;
  ALLOW_UNSIGNED_REQUESTS: 'on' | 'off';
}

/**
 * A subgraph serves only the router: it needs ROUTER_SIGNING_SECRET, unless a developer turns
 * signing off on purpose (ALLOW_UNSIGNED_REQUESTS=on), which production refuses. Production also
 * refuses short secrets. Spread into every subgraph schema with `.superRefine(refineRequestSigning)`.
 * Issues about the secret carry no path, so its value never appears in the error.
 */
export function refineRequestSigning(env: RequestSigningVariables, ctx: z.RefinementCtx): void {
  const secrets = parseSigningSecrets(env.ROUTER_SIGNING_SECRET);
  const unsigned = env.ALLOW_UNSIGNED_REQUESTS === 'on';
  if (unsigned && env.APP_ENV === 'production') {
    ctx.addIssue({ code: 'custom', path: ['ALLOW_UNSIGNED_REQUESTS'], message: 'production never serves unsigned requests; set ROUTER_SIGNING_SECRET instead' });
  } else if (unsigned && secrets.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['ALLOW_UNSIGNED_REQUESTS'], message: 'set either ROUTER_SIGNING_SECRET or ALLOW_UNSIGNED_REQUESTS=on, not both' });
  } else if (!unsigned && secrets.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['ROUTER_SIGNING_SECRET'],
      message:
        "required: the secret the router signs this subgraph's requests with (the router's SUBGRAPH_<NAME>_SIGNING_SECRET); for local development without signing, set ALLOW_UNSIGNED_REQUESTS=on",
    });
  }
  if (env.APP_ENV === 'production' && secrets.some((secret) => secret.length < MIN_SIGNING_SECRET_LENGTH)) {
    ctx.addIssue({ code: 'custom', path: [], message: `ROUTER_SIGNING_SECRET: every secret must be at least ${MIN_SIGNING_SECRET_LENGTH} characters in production` });
  }
}

/** The `requestSigning` option of `createSubgraphServer` from a parsed (refined) environment. */
export function requestSigningOf(env: { ROUTER_SIGNING_SECRET?: string | undefined; ALLOW_UNSIGNED_REQUESTS: 'on' | 'off'; REDIS_URL?: string | undefined }): RequestSigningOptions {
  if (env.ALLOW_UNSIGNED_REQUESTS === 'on') return { allowUnsigned: true };
  return { secrets: parseSigningSecrets(env.ROUTER_SIGNING_SECRET), ...(env.REDIS_URL !== undefined && { redisUrl: env.REDIS_URL }) };
}

/**
 * Whether `SUBGRAPH_FAST_PATH` leaves the fast path on: `createSubgraphServer`'s default, so that
 * no subgraph has to pass the setting along (each one's `loadEnvOrExit` has already refused a bad
 * value at start, through `subgraphEnvSchema`).
 */
export function fastPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const parsed = fastPathSetting.safeParse(env.SUBGRAPH_FAST_PATH);
  if (!parsed.success) throw new Error(`SUBGRAPH_FAST_PATH: expected on or off (or unset for on), got ${JSON.stringify(env.SUBGRAPH_FAST_PATH)}`);
  return parsed.data === 'on';
}
