import { z } from 'zod';
import { appEnvSchema, portSchema, postgresUrlSchema } from '@store/core';

/** Variables every subgraph reads (each subgraph extends this with its own). */
export const subgraphEnvSchema = z.object({
  APP_ENV: appEnvSchema,
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: postgresUrlSchema,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type SubgraphEnv = z.infer<typeof subgraphEnvSchema>;
export { portSchema };
