import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, JWT_AUDIENCE, JWT_ISSUER } from '../src/jwt.ts';

const secret = 'a-test-secret-of-enough-length-for-hs256';
const verify = createTokenVerifier({ alg: 'HS256', secret });

async function token(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

describe('token scopes', () => {
  it('reads the platform scopes array', async () => {
    const check = await verify(await token({ role: 'CUSTOMER', scopes: ['a', 'b'] }));
    expect(check).toEqual({ ok: true, identity: { sub: 'user-1', role: 'CUSTOMER', scopes: ['a', 'b'] } });
  });

  it("reads OAuth's space-separated scope claim", async () => {
    const check = await verify(await token({ role: 'ADMIN', scope: 'read:a  write:b' }));
    expect(check).toEqual({ ok: true, identity: { sub: 'user-1', role: 'ADMIN', scopes: ['read:a', 'write:b'] } });
  });

  it('has no scopes when the token carries none', async () => {
    const check = await verify(await token({ role: 'CUSTOMER' }));
    expect(check).toEqual({ ok: true, identity: { sub: 'user-1', role: 'CUSTOMER', scopes: [] } });
  });

  it('refuses a scope claim that is neither a string nor a list of strings', async () => {
    const check = await verify(await token({ role: 'CUSTOMER', scope: 42 }));
    expect(check.ok).toBe(false);
  });
});
