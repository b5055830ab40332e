import { PrismaPg } from '@prisma/adapter-pg';

/**
 * Options for a generated Prisma 7 client: the `pg` driver adapter (no native engine), with a
 * bounded pool. Each subgraph passes these to its own generated `PrismaClient`.
 */
export function createPrismaClientOptions(databaseUrl: string, options: { max?: number } = {}) {
  return { adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 }) };
}
