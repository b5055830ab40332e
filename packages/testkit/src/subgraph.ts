
import { createLogger } from '@store/core';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestSubgraph {
  url: string;
  db: TestDatabase;
  stop(): Promise<void>;
}

interface Listenable {
  listen(port: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
}

/**
 * A subgraph on a fresh, migrated database and an ephemeral port. Call it in `beforeAll` and
 * `stop()` in `afterAll`; the database is dropped on stop.
 */
export async function startSubgraphForTest(
  name: string,
  factory: (options: { databaseUrl: string; logger: ReturnType<typeof createLogger> }) => Listenable,
  seed?: (databaseUrl: string) => Promise<void>,
): Promise<TestSubgraph> {
  const db = await createTestDatabase(name);
  if (seed) await seed(db.url);
  const server = factory({ databaseUrl: db.url, logger: createLogger({ level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' }) });
  const { url } = await server.listen(0);
  return {
    url: `${url}/graphql`,
    db,
    stop: async () => {
      await server.stop();
      await db.drop();
    },
  };
}

