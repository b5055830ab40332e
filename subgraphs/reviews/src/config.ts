import { z } from 'zod';
import { portSchema } from '@store/core';
import { refineRequestSigning, refineServiceIdentity, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '@store/subgraph-kit';

/** Every variable the reviews subgraph reads (see `.env.example`). */
export const reviewsEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4003),
    // ROUTER_URL: where the product lookup for `addReview` goes.
    ...serviceIdentityEnv,
  })
  .superRefine(refineServiceIdentity)
  .superRefine(refineRequestSigning)
  .transform(withServiceIdentityDefaults);

export type ReviewsEnv = z.infer<typeof reviewsEnvSchema>;

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { reviewsEnvSchema as envSchema };
