import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createLogger, DEV_JWT_SECRET, listSubgraphDirs, type Logger } from '@store/core';
import { freePort, repoRoot, type SqlQueryEvent } from '@store/db';
import { composeSupergraph, readSubgraphs } from '@store/schema';
import { createTestDatabase, type TestDatabase } from '@store/testkit';
import { createRouter } from '../../router/src/server.ts';

interface Listenable {
  listen(port: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
}
type SubgraphFactory = (options: { databaseUrl: string; logger: Logger; routerUrl: string; onQuery: (event: SqlQueryEvent) => void }) => Listenable;

export interface InProcessSupergraph {
  routerUrl: string;
  /** SQL statements per subgraph since the last `resetCounts()`. */
  sql: Map<string, string[]>;
  resetCounts(): void;
  stop(): Promise<void>;
}

/**
 * The whole store in this process (so each subgraph's SQL can be counted): every subgraph on its
 * own fresh, migrated and seeded database and an ephemeral port, and the router over real HTTP.
 */
export async function startInProcessSupergraph(): Promise<InProcessSupergraph> {
  const logger = createLogger({ level: 'silent' });
  const routerPort = await freePort();
  const routerUrl = `http://127.0.0.1:${routerPort}/graphql`;
  const sql = new Map<string, string[]>();
  const databases: TestDatabase[] = [];
  const servers: Listenable[] = [];
  const overrides: Record<string, string> = {};
  for (const { name, dir } of listSubgraphDirs(join(repoRoot, 'subgraphs'))) {
    const db = await createTestDatabase(name);
    databases.push(db);
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], { cwd: dir, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`seed of ${name} failed: ${seed.stderr}`);
    const module = (await import(join(dir, 'src', 'server.ts'))) as Record<string, unknown>;
    const factory = Object.entries(module).find(([key]) => /^create\w+Subgraph$/.test(key))?.[1] as SubgraphFactory;
    sql.set(name, []);
    const server = factory({ databaseUrl: db.url, logger, routerUrl, onQuery: (event) => sql.get(name)!.push(event.sql) });
    servers.push(server);
    const { url } = await server.listen(0);
    overrides[`SUBGRAPH_${name.toUpperCase()}_URL`] = `${url}/graphql`;
  }
  const composed = composeSupergraph(readSubgraphs(join(repoRoot, 'subgraphs')));
  if (!composed.ok) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const router = await createRouter({ supergraphSdl: composed.supergraphSdl, logger, verifyingKey: { alg: 'HS256', secret: DEV_JWT_SECRET }, subgraphUrlOverrides: overrides });
  await router.listen(routerPort);
  return {
    routerUrl,
    sql,
    resetCounts: () => {
      for (const list of sql.values()) list.length = 0;
    },
    stop: async () => {
      await router.stop();
      for (const server of servers) await server.stop();
      for (const db of databases) await db.drop();
    },
  };
}
