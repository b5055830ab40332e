import { z } from 'zod';
import { DEV_JWT_SECRET, portSchema } from '@store/core';
import { subgraphEnvSchema } from '@store/subgraph-kit';

const MIN_SECRET_LENGTH = 32;

/** Every variable the orders subgraph reads (see `.env.example`). */
export const ordersEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4005),
    /** Where `placeOrder` asks for catalog prices: the one endpoint, like any client. */
    ROUTER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000/graphql'),
    /** The platform's HS256 secret, used to mint this service's token. */
    JWT_SECRET: z.string().min(1).optional(),
    /** A pre-minted service token; when set it is sent as is and JWT_SECRET is not used. */
    SERVICE_TOKEN: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    // A production process must not sign with the public development secret (anyone could mint
    // tokens), nor with one short enough to guess.
    if (env.APP_ENV !== 'production' || env.SERVICE_TOKEN) return;
    if (!env.JWT_SECRET || env.JWT_SECRET === DEV_JWT_SECRET || env.JWT_SECRET.length < MIN_SECRET_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: `in production set SERVICE_TOKEN, or a JWT_SECRET of at least ${MIN_SECRET_LENGTH} characters that is not the development default`,
      });
    }
  })
  .transform((env) => ({ ...env, JWT_SECRET: env.JWT_SECRET ?? DEV_JWT_SECRET }));

export type OrdersEnv = z.infer<typeof ordersEnvSchema>;

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { ordersEnvSchema as envSchema };
