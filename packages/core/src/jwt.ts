import { createLocalJWKSet, createRemoteJWKSet, importPKCS8, importSPKI, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { identitySchema, type Identity } from './identity.ts';

/** Issuer and audience of every access token in the platform. */
export const JWT_ISSUER = 'store-accounts';
export const JWT_AUDIENCE = 'store';
/** Development-only HS256 secret. Production refuses to start with it (see each service's env). */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';

/** Scopes granted by role. */
export function scopesForRole(role: Identity['role']): string[] {
  switch (role) {
    case 'CUSTOMER':
      return ['profile:read', 'orders:write', 'reviews:write'];
    case 'ADMIN':
      return ['profile:read', 'orders:write', 'reviews:write', 'catalog:write', 'users:read', 'inventory:write'];
    case 'SERVICE':
      return ['catalog:read'];
    default:
      throw new Error(`unknown role ${role satisfies never}`);
  }
}

export type SigningKey =
  | { alg: 'HS256'; secret: string }
  | { alg: 'RS256'; privateKeyPem: string; keyId?: string };

export async function signAccessToken(identity: Identity, key: SigningKey, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = new Date((now + ttlSeconds) * 1000);
  const jwt = new SignJWT({ role: identity.role, scopes: identity.scopes })
    .setSubject(identity.sub)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds);
  if (key.alg === 'HS256') {
    return { token: await jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key.secret)), expiresAt };
  }
  const privateKey = await importPKCS8(key.privateKeyPem, 'RS256');
  return { token: await jwt.setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(key.keyId ? { kid: key.keyId } : {}) }).sign(privateKey), expiresAt };
}

/** A service's own identity for calls it makes through the router (e.g. reviews → catalog). */
export async function mintServiceToken(service: string, key: SigningKey, ttlSeconds = 3600) {
  return signAccessToken({ sub: `service:${service}`, role: 'SERVICE', scopes: scopesForRole('SERVICE') }, key, ttlSeconds);
}

export type VerifyingKey =
  | { alg: 'HS256'; secret: string }
  | { alg: 'RS256'; publicKeyPem: string }
  | { alg: 'RS256'; jwksUrl: string }
  | { alg: 'RS256'; jwks: { keys: object[] } };

export type TokenCheck = { ok: true; identity: Identity } | { ok: false; reason: 'expired' | 'invalid'; message: string };

/**
 * A token's scopes: the platform's `scopes` array, or OAuth 2.0's `scope` claim (RFC 8693 §4.2:
 * one space-separated string), as identity providers issue it.
 */
function scopesOf(payload: JWTPayload): unknown {
  if (payload.scopes !== undefined) return payload.scopes;
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter((s) => s !== '');
  return payload.scope ?? [];
}

/** Verifies a bearer token (signature, issuer, audience, expiry) and returns the identity in it. */
export function createTokenVerifier(key: VerifyingKey): (token: string) => Promise<TokenCheck> {
  let keyPromise: Promise<Uint8Array | KeyObject> | null = null;
  let getKey: JWTVerifyGetKey | null = null;
  if (key.alg === 'HS256') keyPromise = Promise.resolve(new TextEncoder().encode(key.secret));
  else if ('publicKeyPem' in key) keyPromise = importSPKI(key.publicKeyPem, 'RS256');
  else if ('jwksUrl' in key) getKey = createRemoteJWKSet(new URL(key.jwksUrl));
  else getKey = createLocalJWKSet(key.jwks as Parameters<typeof createLocalJWKSet>[0]);
  const options = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: [key.alg] };
  return async (token) => {
    try {
      const { payload } = getKey ? await jwtVerify(token, getKey, options) : await jwtVerify(token, await keyPromise!, options);
      const parsed = identitySchema.safeParse({ sub: payload.sub, role: payload.role, scopes: scopesOf(payload) });
      if (!parsed.success) return { ok: false, reason: 'invalid', message: 'The token does not carry a valid sub, role and scopes.' };
      return { ok: true, identity: parsed.data };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired', message: 'The token has expired.' };
      return { ok: false, reason: 'invalid', message: 'The token is invalid.' };
    }
  };
}
