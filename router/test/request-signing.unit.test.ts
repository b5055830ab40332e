import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, sendGraphQLError, SIGNATURE_HEADER, type RunningServer } from '@store/core';
import { errorCodes, graphql } from '@store/testkit';
import { parseRouterEnv } from '../src/config.ts';
import { createRouter, RouterSetupError } from '../src/server.ts';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

// The router's side of router→subgraph signing (the subgraph side: e2e/request-signing.e2e.test.ts).
let accounts: TestSubgraph;
let posts: TestSubgraph;
let refusing: RunningServer;
const toStop: (() => Promise<void>)[] = [];

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => createGate());
  // A subgraph that refuses the router's signature, as a subgraph with another secret does.
  refusing = await listen(createServer((_req, res) => sendGraphQLError(res, 401, 'REQUEST_SIGNATURE_INVALID', 'The request signature is invalid.')), 0);
  toStop.push(accounts.stop, posts.stop, () => refusing.close(1_000));
});
afterAll(async () => {
  for (const stop of toStop.reverse()) await stop();
});

const supergraph = () =>
  composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);

async function startRouter(env: NodeJS.ProcessEnv) {
  const config = parseRouterEnv(env);
  const router = await createRouter({
    supergraphSdl: supergraph(),
    logger: quietLogger,
    verifyingKey: DEV_KEY,
    subgraphUrlOverrides: config.subgraphUrlOverrides,
    subgraphSigningSecrets: config.subgraphSigningSecrets,
  });
  const running = await router.listen(0);
  toStop.push(() => router.stop());
  return `${running.url}/graphql`;
}

describe('router→subgraph signing', () => {
  it('signs requests to subgraphs with a SUBGRAPH_<NAME>_SIGNING_SECRET, and only those', async () => {
    const url = await startRouter({ SUBGRAPH_ACCOUNTS_SIGNING_SECRET: 'accounts-secret-of-at-least-32-characters' });
    accounts.received.length = 0;
    posts.received.length = 0;
    const res = await graphql(url, '{ user(id: "u1") { name posts { title } } }');
    expect(res.errors).toBeUndefined();
    expect(accounts.received.at(-1)?.[SIGNATURE_HEADER]).toMatch(/^t=[0-9]+,n=[A-Za-z0-9_-]+,v1=[A-Za-z0-9_-]{43}$/);
    expect(posts.received.at(-1)).toBeDefined();
    expect(posts.received.at(-1)?.[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('signs nothing without configuration (third-party supergraphs are served as before)', async () => {
    const url = await startRouter({});
    accounts.received.length = 0;
    const res = await graphql(url, '{ user(id: "u1") { name } }');
    expect(res.errors).toBeUndefined();
    expect(accounts.received.at(-1)?.[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('never signs a client-sent signature through: the header is not forwarded', async () => {
    const url = await startRouter({});
    accounts.received.length = 0;
    await graphql(url, '{ user(id: "u1") { name } }', undefined, { [SIGNATURE_HEADER]: 't=1,n=forged-forged-forged,v1=x' });
    expect(accounts.received.at(-1)?.[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('shows a subgraph refusing its signature as SUBGRAPH_UNAVAILABLE, not as the signature code', async () => {
    const url = await startRouter({ SUBGRAPH_ACCOUNTS_URL: `${refusing.url}/graphql`, SUBGRAPH_ACCOUNTS_SIGNING_SECRET: 'x'.repeat(32) });
    const res = await graphql(url, '{ user(id: "u1") { name } }');
    expect(errorCodes(res)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(JSON.stringify(res)).not.toContain('REQUEST_SIGNATURE');
  });

  it('refuses to start with a SUBGRAPH_<NAME>_SIGNING_SECRET that names no subgraph', async () => {
    const attempt = createRouter({ supergraphSdl: supergraph(), logger: quietLogger, verifyingKey: DEV_KEY, subgraphSigningSecrets: { SUBGRAPH_ACOUNTS_SIGNING_SECRET: 'x' } });
    await expect(attempt).rejects.toBeInstanceOf(RouterSetupError);
    await expect(attempt).rejects.toMatchObject({ reason: 'unknown-subgraph-signing-secret' });
    await expect(attempt).rejects.toThrow(/SUBGRAPH_ACOUNTS_SIGNING_SECRET names no subgraph.*SUBGRAPH_ACCOUNTS_SIGNING_SECRET/);
  });
});
