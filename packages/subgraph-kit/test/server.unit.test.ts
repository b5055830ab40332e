import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { createLogger } from '@store/core';
import { createSubgraphServer, type SubgraphServer } from '../src/server.ts';

const logger = createLogger({ level: 'silent' });
let server: SubgraphServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function start(sdl: string): Promise<string> {
  server = createSubgraphServer({
    name: 'test',
    typeDefs: parse(sdl),
    resolvers: { Query: { thing: () => ({ id: 'a' }) } },
    logger,
    context: (info) => info,
    requestSigning: { allowUnsigned: true },
  });
  const running = await server.listen(0);
  return `${running.url}/graphql`;
}

async function post(url: string, query: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
}

describe('createSubgraphServer cache-control', () => {
  it('answers `no-store` when the SDL has no @cacheControl, as Apollo cache-control plugin would', async () => {
    const url = await start('type Query { thing: Thing } type Thing { id: ID! }');
    const ok = await post(url, '{ thing { id } }');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { thing: { id: 'a' } } });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    // Also on an answer with errors, and on a validation failure.
    const invalid = await post(url, '{ nope }');
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('no-store');
  });

  it("keeps Apollo's cache-control plugin when the SDL gives hints", async () => {
    const url = await start(`
      enum CacheControlScope { PUBLIC PRIVATE }
      directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
      type Query { thing: Thing @cacheControl(maxAge: 60) }
      type Thing { id: ID! }`);
    const ok = await post(url, '{ thing { id } }');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('max-age=60, public');
  });
});
