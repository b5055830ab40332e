import { z } from 'zod';
import { appEnvSchema, DEV_JWT_SECRET, portSchema, postgresUrlSchema } from '@store/core';

/** Variables every subgraph reads (each subgraph extends this with its own). */
export const subgraphEnvSchema = z.object({
  APP_ENV: appEnvSchema,
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: postgresUrlSchema,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
