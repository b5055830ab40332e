// The production configuration's safelist against the storefront as built: every operation the
// web app can send (by the hash its generated documents carry) is one the router lets through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@store/db';
import type { Router } from '../router/src/server.ts';
import { startSafelistRouter } from './support/safelist-router.ts';

const manifestFile = join(repoRoot, 'clients/web/persisted-operations.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { operations: { name: string; hash: string }[] };
// The hashes the production build sends (`document.__meta__.hash`, see src/lib/graphql-client.ts).
const sentHashes = [...readFileSync(join(repoRoot, 'clients/web/src/gql/graphql.ts'), 'utf8').matchAll(/\{"hash":"([0-9a-f]{64})"\}/g)].map((m) => m[1]!);

let router: Router;
let url: string;
beforeAll(async () => {
  ({ router, url } = await startSafelistRouter([manifestFile]));
});
afterAll(() => router?.stop());

describe('the storefront under PERSISTED_OPERATIONS=safelist', () => {
  it('sends exactly the hashes its manifest lists', () => {
    expect(sentHashes.length).toBeGreaterThan(0);
    expect([...sentHashes].sort()).toEqual(manifest.operations.map((o) => o.hash).sort());
  });

  it.each(manifest.operations.map((o) => [o.name, o.hash] as const))('%s is let through by hash and valid against the supergraph', async (_name, hash) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: {} }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).not.toContain('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codes).not.toContain('GRAPHQL_VALIDATION_FAILED');
    expect(codes).not.toContain('GRAPHQL_PARSE_FAILED');
  });
});
