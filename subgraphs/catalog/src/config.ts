import { portSchema } from '@store/core';
import { refineRequestSigning, subgraphEnvSchema } from '@store/subgraph-kit';

/** The catalog's environment: the common subgraph variables, on port 4002 by default. */
export const envSchema = subgraphEnvSchema.extend({ PORT: portSchema.default(4002) }).superRefine(refineRequestSigning);
