import { PrismaPg } from '@prisma/adapter-pg';

/** One SQL statement a Prisma client sent (tests count these to prove there is no N+1). */
export interface SqlQueryEvent {
  sql: string;
  durationMs: number;
}

export interface PrismaClientOptions {
  /** Pool size. Default 10. */
  max?: number;
  /** Called for every SQL statement (turns on Prisma's query events). */
  onQuery?: (event: SqlQueryEvent) => void;
}

/**
 * Options for a generated Prisma 7 client: the `pg` driver adapter (no native engine), with a
 * bounded pool. Each subgraph passes these to its own generated `PrismaClient`, then calls
 * `observeQueries` with the same options.
 */
export function createPrismaClientOptions(databaseUrl: string, options: PrismaClientOptions = {}) {
  return {
    adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 }),
    ...(options.onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  };
}

interface QueryEventSource {
  $on(event: 'query', listener: (event: { query: string; duration: number }) => void): void;
}

/** Forwards a client's query events to `options.onQuery`, when given. */
export function observeQueries<C>(db: C, options: PrismaClientOptions = {}): C {
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (db as unknown as QueryEventSource).$on('query', (event) => onQuery({ sql: event.query, durationMs: event.duration }));
  }
  return db;
}
