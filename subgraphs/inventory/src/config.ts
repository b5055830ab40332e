import { z } from 'zod';
import { portSchema } from '@store/core';
import { refineRequestSigning, refineServiceIdentity, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '@store/subgraph-kit';

/** Every variable the inventory subgraph reads (see `.env.example`). */
export const inventoryEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4004),
    // ROUTER_URL: where the product lookup for `restock` goes.
    ...serviceIdentityEnv,
  })
  .superRefine(refineServiceIdentity)
  .superRefine(refineRequestSigning)
  .transform(withServiceIdentityDefaults);

export type InventoryEnv = z.infer<typeof inventoryEnvSchema>;

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { inventoryEnvSchema as envSchema };
