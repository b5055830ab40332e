import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@store/core';
import { createServiceTokenSource } from '../src/service-token.ts';

const SECRET = 'service-token-test-secret-0123456789';

describe('createServiceTokenSource', () => {
  it('sends a pre-minted token as is', async () => {
    const token = createServiceTokenSource({ serviceToken: 'pre-minted' });
    expect(await token()).toBe('pre-minted');
  });

  it('mints a SERVICE token for the named service, and reuses it until shortly before it expires', async () => {
    let clock = Date.now();
    const token = createServiceTokenSource({ service: 'widgets', jwtSecret: SECRET }, () => clock);
    const first = await token();
    expect(await createTokenVerifier({ alg: 'HS256', secret: SECRET })(first)).toMatchObject({ ok: true, identity: { sub: 'service:widgets', role: 'SERVICE' } });
    expect(await token()).toBe(first);
    clock += 56 * 60_000; // less than 5 minutes left of its hour
    // Tokens are second-precise: wait for the next second so the new one differs.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    expect(await token()).not.toBe(first);
  });
});
