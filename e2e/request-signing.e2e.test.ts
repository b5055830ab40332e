import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestSigner, encodeIdentity, IDENTITY_HEADER, listSubgraphDirs, SIGNATURE_HEADER } from '@store/core';
import { repoRoot } from '@store/db';
import { errorCodes, graphql, randomSigningSecret, type GraphQLResponse } from '@store/testkit';
import { startInProcessSupergraph, type InProcessSupergraph } from './support/in-process.ts';

// Zero trust between router and subgraphs: every subgraph of the repository, started as the
// router's peers are (each with its own secret), is called directly over HTTP. Only requests the
// router's way of signing produces are served; anything else is 401 with a precise code.
let graph: InProcessSupergraph;
beforeAll(async () => {
  graph = await startInProcessSupergraph();
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

const names = listSubgraphDirs(join(repoRoot, 'subgraphs')).map((s) => s.name);
const BODY = JSON.stringify({ query: '{ _service { sdl } }' });
const customer = encodeIdentity({ sub: '00000000-0000-4000-8000-000000000002', role: 'CUSTOMER', scopes: [] });
const admin = encodeIdentity({ sub: '00000000-0000-4000-8000-000000000001', role: 'ADMIN', scopes: [] });

async function post(url: string, headers: Record<string, string>, body = BODY): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The headers the router would send: identity and its signature over this request. */
function signed(secret: string, identity: string | undefined, now: () => number = Date.now): Record<string, string> {
  const signature = createRequestSigner(secret, now)({ method: 'POST', path: '/graphql', body: BODY, identity });
  return { ...(identity ? { [IDENTITY_HEADER]: identity } : {}), [SIGNATURE_HEADER]: signature };
}

function expectRefused(res: GraphQLResponse, code: string): void {
  expect(res.status).toBe(401);
  expect(errorCodes(res)).toEqual([code]);
  expect(res.data).toBeUndefined();
}

describe.each(names)('subgraph %s, called directly', (name) => {
  const subgraph = () => graph.subgraphs.get(name)!;

  it('is one of the started subgraphs', () => {
    expect(subgraph()).toBeDefined();
  });

  it('serves a request signed with its secret (200)', async () => {
    const res = await post(subgraph().url, signed(subgraph().signingSecret, customer));
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?._service.sdl).toEqual(expect.any(String));
  });

  it('refuses a request without a signature, even with an identity header: REQUEST_SIGNATURE_MISSING', async () => {
    expectRefused(await post(subgraph().url, { [IDENTITY_HEADER]: admin }), 'REQUEST_SIGNATURE_MISSING');
  });

  it('refuses a request signed with another key: REQUEST_SIGNATURE_INVALID', async () => {
    expectRefused(await post(subgraph().url, signed(randomSigningSecret(), customer)), 'REQUEST_SIGNATURE_INVALID');
  });

  it('refuses a signed request whose identity was swapped: REQUEST_SIGNATURE_INVALID', async () => {
    const headers = { ...signed(subgraph().signingSecret, customer), [IDENTITY_HEADER]: admin };
    expectRefused(await post(subgraph().url, headers), 'REQUEST_SIGNATURE_INVALID');
  });

  it('refuses a signed request whose body was changed: REQUEST_SIGNATURE_INVALID', async () => {
    const headers = signed(subgraph().signingSecret, customer);
    expectRefused(await post(subgraph().url, headers, JSON.stringify({ query: '{ __typename }' })), 'REQUEST_SIGNATURE_INVALID');
  });

  it('refuses a replay of a signed request: REQUEST_SIGNATURE_REPLAYED', async () => {
    const headers = signed(subgraph().signingSecret, customer);
    expect((await post(subgraph().url, headers)).status).toBe(200);
    expectRefused(await post(subgraph().url, headers), 'REQUEST_SIGNATURE_REPLAYED');
  });

  it('refuses a signature from two minutes ago: REQUEST_SIGNATURE_EXPIRED', async () => {
    const headers = signed(subgraph().signingSecret, customer, () => Date.now() - 120_000);
    expectRefused(await post(subgraph().url, headers), 'REQUEST_SIGNATURE_EXPIRED');
  });

  it('refuses a malformed signature header: REQUEST_SIGNATURE_MALFORMED', async () => {
    expectRefused(await post(subgraph().url, { [SIGNATURE_HEADER]: 'v1=forged' }), 'REQUEST_SIGNATURE_MALFORMED');
  });

  it('keeps /health and /ready open', async () => {
    const base = subgraph().url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});

describe('the router', () => {
  it('signs its requests: a query across catalog, inventory, reviews and accounts works through it', async () => {
    const res = await graphql(
      graph.routerUrl,
      '{ products(first: 3) { edges { node { name inStock shippingEstimate { amount } reviews(first: 2) { edges { node { author { name } } } } } } } }',
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.products.edges).toHaveLength(3);
    // The same kind of request sent to a subgraph directly, unsigned, is refused.
    const direct = await graphql(graph.subgraphs.get('catalog')!.url, '{ products(first: 3) { totalCount } }');
    expectRefused(direct, 'REQUEST_SIGNATURE_MISSING');
  });
});
