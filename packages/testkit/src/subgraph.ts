import { randomBytes } from 'node:crypto';
import { createLogger } from '@store/core';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { signRequestsTo } from './graphql.ts';

/** The subgraph factories' `requestSigning` option (subgraph-kit's RequestSigningOptions). */
export type TestRequestSigning = { secrets: readonly string[] } | { allowUnsigned: true };

export interface TestSubgraph {
  url: string;
  db: TestDatabase;
  /** The secret the subgraph checks signatures with (`graphql()` signs with it); null when unsigned. */
  signingSecret: string | null;
  stop(): Promise<void>;
}

interface Listenable {
  listen(port: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
}

export interface StartSubgraphOptions {
  /** Serve unsigned requests (`{ allowUnsigned: true }`) instead of checking the router's signature. */
  unsigned?: boolean;
}

/** A fresh random secret, as `npm start` makes one per subgraph. */
export function randomSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A subgraph on a fresh, migrated database and an ephemeral port. Call it in `beforeAll` and
 * `stop()` in `afterAll`; the database is dropped on stop. By default the subgraph checks router
 * signatures with a fresh secret and `graphql()` signs every request to it, so tests go through
 * the real check; `{ unsigned: true }` opts out.
 */
export async function startSubgraphForTest(
  name: string,
  factory: (options: { databaseUrl: string; logger: ReturnType<typeof createLogger>; requestSigning: TestRequestSigning }) => Listenable,
  seed?: (databaseUrl: string) => Promise<void>,
  options: StartSubgraphOptions = {},
): Promise<TestSubgraph> {
  const db = await createTestDatabase(name);
  if (seed) await seed(db.url);
  const signingSecret = options.unsigned ? null : randomSigningSecret();
  const requestSigning: TestRequestSigning = signingSecret === null ? { allowUnsigned: true } : { secrets: [signingSecret] };
  const server = factory({ databaseUrl: db.url, logger: createLogger({ level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' }), requestSigning });
  const { url } = await server.listen(0);
  const forget = signingSecret === null ? () => {} : signRequestsTo(`${url}/graphql`, signingSecret);
  return {
    url: `${url}/graphql`,
    db,
    signingSecret,
    stop: async () => {
      forget();
      await server.stop();
      await db.drop();
    },
  };
}

