import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@store/testkit';
import { RouterErrorCode, subgraphFailureMessage } from '../src/errors.ts';
import { createRouter, type Router } from '../src/server.ts';
import { composeSupergraph, createGate, DEV_KEY, quietLogger, startAccountsSubgraph, startPostsSubgraph, type Gate, type TestSubgraph } from './support/test-graph.ts';

// The subgraph timeout must hold whatever the garbage collector does while a subgraph stalls.
// Node 20 collects an `AbortSignal.timeout()` that is only a source of `AbortSignal.any()`, and
// its timer then never fires: with a request deadline (REQUEST_TIMEOUT_MS, on by default) the
// router waited for the deadline and answered 504 without the other subgraphs' data.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let accounts: TestSubgraph;
let posts: TestSubgraph;
let router: Router;
let url: string;
let gate: Gate = createGate();

beforeAll(async () => {
  accounts = await startAccountsSubgraph();
  posts = await startPostsSubgraph(() => gate);
  const supergraphSdl = composeSupergraph([
    { name: 'accounts', typeDefs: accounts.typeDefs, url: accounts.url },
    { name: 'posts', typeDefs: posts.typeDefs, url: posts.url },
  ]);
  // The deadline far beyond the subgraph timeout: only a lost subgraph timeout reaches it.
  router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, subgraphTimeoutMs: 1_000, requestTimeoutMs: 30_000 });
  url = `${(await router.listen(0)).url}/graphql`;
});
afterAll(async () => {
  gate.release();
  await router?.stop();
  await posts?.stop();
  await accounts?.stop();
});

describe('the subgraph timeout', () => {
  it('answers the rest with the timeout error even when a GC runs while the subgraph stalls, on both paths', async () => {
    // The first request goes through Apollo Server, the repeat through the fast path.
    for (let i = 0; i < 2; i++) {
      gate = createGate();
      const answer = graphql(url, '{ users { id } slow }');
      await gate.arrived;
      gc();
      const res = await answer;
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }], slow: null });
      expect(res.errors).toEqual([{ message: subgraphFailureMessage('posts', 'timeout'), extensions: { code: RouterErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'posts' } }]);
      gate.release();
    }
  });
});
