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
    adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 }, { statementNameGenerator: preparedStatementNames() as (query: { sql: string }) => string }),
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

/** Most distinct SQL texts one client prepares; later ones run unnamed (parsed each time). */
export const MAX_PREPARED_STATEMENTS = 200;

/**
 * Names Prisma's statements so that `pg` prepares each distinct SQL text once per connection and
 * PostgreSQL keeps its parse (and, after a few runs, its plan) instead of redoing them for every
 * query. The names are bounded: SQL text that varies with the input (a list of N parameters)
 * could otherwise prepare without end, on every pooled connection.
 */
export function preparedStatementNames(): (query: { sql: string }) => string | undefined {
  // undefined: an unnamed statement, pg's default.
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED_STATEMENTS) names.set(sql, (name = `prisma_${names.size}`));
    return name;
  };
}
