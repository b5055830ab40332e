import { z } from 'zod';
import { portSchema } from '@store/core';
import { refineRequestSigning, refineServiceIdentity, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '@store/subgraph-kit';

/** Every variable the orders subgraph reads (see `.env.example`). */
export const ordersEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4005),
    // ROUTER_URL: where `placeOrder` asks for catalog prices.
    ...serviceIdentityEnv,
  })
  .superRefine(refineServiceIdentity)
  .superRefine(refineRequestSigning)
  .transform(withServiceIdentityDefaults);

export type OrdersEnv = z.infer<typeof ordersEnvSchema>;

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { ordersEnvSchema as envSchema };
