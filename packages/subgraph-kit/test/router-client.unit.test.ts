import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '@store/db';
import { NO_ANSWER, startFakeRouter, type FakeRouter } from '@store/testkit';
import { createRouterClient, RouterUnavailableError, type RouterUnavailableReason } from '../src/router-client.ts';

const thingSchema = z.object({ thing: z.object({ id: z.string() }).nullable() });
const QUERY = 'query Thing($id: ID!) { thing(id: $id) { id } }';

// The answer depends on the asked id, so each case below is one request.
const answers: Record<string, unknown> = {
  known: { data: { thing: { id: 'known' } } },
  unknown: { data: { thing: null } },
  broken: { data: { thing: null }, errors: [{ message: 'backend is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }, { message: 'no code' }] },
  empty: { data: null },
  misshapen: { data: { thing: { id: 42 } } },
  notGraphQL: ['not', 'a', 'response'],
};

let router: FakeRouter;
beforeAll(async () => {
  router = await startFakeRouter(({ variables }) => (variables.id === 'hanging' ? NO_ANSWER : answers[variables.id as string]));
});
afterAll(async () => {
  await router?.close();
});

async function failure(promise: Promise<unknown>): Promise<RouterUnavailableError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RouterUnavailableError);
  return error as RouterUnavailableError;
}

describe('createRouterClient', () => {
  const client = () => createRouterClient({ routerUrl: router.url, token: async () => 'service-token', timeoutMs: 300 });

  it('posts the document and variables with the bearer token and returns the parsed data', async () => {
    router.requests.length = 0;
    expect(await client().request(QUERY, { id: 'known' }, thingSchema)).toEqual({ thing: { id: 'known' } });
    expect(await client().request(QUERY, { id: 'unknown' }, thingSchema)).toEqual({ thing: null });
    expect(router.requests).toEqual([
      { query: QUERY, variables: { id: 'known' }, authorization: 'Bearer service-token' },
      { query: QUERY, variables: { id: 'unknown' }, authorization: 'Bearer service-token' },
    ]);
  });

  it('treats errors, even with partial data, as no answer, keeping their messages and codes', async () => {
    const error = await failure(client().request(QUERY, { id: 'broken' }, thingSchema));
    expect(error.reason).toBe('graphql-errors');
    expect(error.message).toBe('router answered with errors: backend is down; no code');
    expect(error.errors).toEqual([{ message: 'backend is down', code: 'SUBGRAPH_UNAVAILABLE' }, { message: 'no code' }]);
  });

  it.each<[string, RouterUnavailableReason, string | RegExp]>([
    ['empty', 'no-data', 'router answered without data'],
    ['misshapen', 'unexpected-body', 'router answered HTTP 200 with an unexpected body'],
    ['notGraphQL', 'unexpected-body', 'router answered HTTP 200 with an unexpected body'],
    ['hanging', 'no-answer', /^router http:\/\/127\.0\.0\.1:\d+\/graphql did not answer: /],
  ])('rejects an answer that is %s (%s)', async (id, reason, message) => {
    const started = Date.now();
    const error = await failure(client().request(QUERY, { id }, thingSchema));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects when nothing listens, or when the token cannot be had', async () => {
    const closed = createRouterClient({ routerUrl: `http://127.0.0.1:${await freePort()}/graphql`, token: async () => 't' });
    expect((await failure(closed.request(QUERY, { id: 'known' }, thingSchema))).reason).toBe('no-answer');
    const tokenless = createRouterClient({ routerUrl: router.url, token: () => Promise.reject(new Error('no key')) });
    expect((await failure(tokenless.request(QUERY, { id: 'known' }, thingSchema))).message).toMatch(/did not answer: no key$/);
  });
});
