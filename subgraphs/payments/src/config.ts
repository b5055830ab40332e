import { z } from 'zod';
import { portSchema } from '@store/core';
import { refineRequestSigning, refineServiceIdentity, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '@store/subgraph-kit';

/** Every variable the payments subgraph reads (see `.env.example`). */
export const paymentsEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4006),
    // ROUTER_URL: where order look-ups and `markOrderPaid` go.
    ...serviceIdentityEnv,
    /** How long a charge may take at the provider before the payment is FAILED (provider_timeout). */
    PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(2000),
  })
  .superRefine(refineServiceIdentity)
  .superRefine(refineRequestSigning)
  .transform(withServiceIdentityDefaults);

export type PaymentsEnv = z.infer<typeof paymentsEnvSchema>;

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { paymentsEnvSchema as envSchema };
