import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createLogger, DEV_JWT_SECRET, listSubgraphDirs, type Logger } from '@store/core';
import { freePort, repoRoot, type SqlQueryEvent } from '@store/db';
import { composeSupergraph, readSubgraphs } from '@store/schema';
import { createTestDatabase, randomSigningSecret, type TestDatabase, type TestRequestSigning } from '@store/testkit';
import { createRouter, type Router, type RouterOptions } from '../../router/src/server.ts';

interface Listenable {
  listen(port: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
}
type SubgraphFactory = (options: {
  databaseUrl: string;
  logger: Logger;
  routerUrl: string;
  requestSigning: TestRequestSigning;
  onQuery: (event: SqlQueryEvent) => void;
}) => Listenable;

export interface InProcessSupergraph {
  routerUrl: string;
  /** Each subgraph's own GraphQL URL and the secret it checks router signatures with. */
  subgraphs: Map<string, { url: string; signingSecret: string }>;
  /** SQL statements per subgraph since the last `resetCounts()`. */
  sql: Map<string, string[]>;
  /**
   * Another router over the same subgraphs, with other options (e.g. `authorizationMode`); its
   * GraphQL URL. Stopped by `stop()`. Subgraphs still call back through the first router.
   */
  startRouter(options: Partial<RouterOptions>): Promise<string>;
  resetCounts(): void;
  stop(): Promise<void>;
}

/**
 * The whole store in this process (so each subgraph's SQL can be counted): every subgraph on its
 * own fresh, migrated and seeded database and an ephemeral port, and the router over real HTTP.
 * As in production, every subgraph serves only requests the router signed with its own secret.
 */
export async function startInProcessSupergraph(): Promise<InProcessSupergraph> {
  const logger = createLogger({ level: 'silent' });
  const routerPort = await freePort();
  const routerUrl = `http://127.0.0.1:${routerPort}/graphql`;
  const sql = new Map<string, string[]>();
  const databases: TestDatabase[] = [];
  const servers: Listenable[] = [];
  const overrides: Record<string, string> = {};
  const signingSecrets: Record<string, string> = {};
  const subgraphs = new Map<string, { url: string; signingSecret: string }>();
  for (const { name, dir } of listSubgraphDirs(join(repoRoot, 'subgraphs'))) {
    const db = await createTestDatabase(name);
    databases.push(db);
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], { cwd: dir, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`seed of ${name} failed: ${seed.stderr}`);
    const module = (await import(join(dir, 'src', 'server.ts'))) as Record<string, unknown>;
    const factory = Object.entries(module).find(([key]) => /^create\w+Subgraph$/.test(key))?.[1] as SubgraphFactory;
    sql.set(name, []);
    const secret = randomSigningSecret();
    signingSecrets[`SUBGRAPH_${name.toUpperCase()}_SIGNING_SECRET`] = secret;
    const server = factory({ databaseUrl: db.url, logger, routerUrl, requestSigning: { secrets: [secret] }, onQuery: (event) => sql.get(name)!.push(event.sql) });
    servers.push(server);
    const { url } = await server.listen(0);
    overrides[`SUBGRAPH_${name.toUpperCase()}_URL`] = `${url}/graphql`;
    subgraphs.set(name, { url: `${url}/graphql`, signingSecret: secret });
  }
  const composed = composeSupergraph(readSubgraphs(join(repoRoot, 'subgraphs')));
  if (!composed.ok) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const routerOptions: RouterOptions = { supergraphSdl: composed.supergraphSdl, logger, verifyingKey: { alg: 'HS256', secret: DEV_JWT_SECRET }, subgraphUrlOverrides: overrides, subgraphSigningSecrets: signingSecrets };
  const router = await createRouter(routerOptions);
  await router.listen(routerPort);
  const moreRouters: Router[] = [];
  return {
    routerUrl,
    subgraphs,
    sql,
    resetCounts: () => {
      for (const list of sql.values()) list.length = 0;
    },
    startRouter: async (options) => {
      const another = await createRouter({ ...routerOptions, ...options });
      moreRouters.push(another);
      return `${(await another.listen(0)).url}/graphql`;
    },
    stop: async () => {
      for (const another of moreRouters) await another.stop();
      await router.stop();
      for (const server of servers) await server.stop();
      for (const db of databases) await db.drop();
    },
  };
}
