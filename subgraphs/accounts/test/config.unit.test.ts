import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET } from '@store/core';
import { parseAccountsEnv } from '../src/config.ts';
import { SUBGRAPH_DIR } from '../src/server.ts';

// Every subgraph needs the router's signing secret (or ALLOW_UNSIGNED_REQUESTS=on in development).
const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/accounts', ROUTER_SIGNING_SECRET: 'test-router-signing-secret-0123456789abcdef' };
const production = { ...base, APP_ENV: 'production' };
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    parseAccountsEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('accounts configuration', () => {
  it('defaults to port 4001, a one-hour TTL and the development secret in development', () => {
    const env = parseAccountsEnv(base);
    expect(env).toMatchObject({ APP_ENV: 'development', PORT: 4001, tokenTtlSeconds: 3600, signingKey: { alg: 'HS256', secret: DEV_JWT_SECRET } });
    // The secrets live only inside `signingKey`.
    expect(Object.keys(env)).not.toContain('JWT_SECRET');
  });

  it('treats an empty JWT_SECRET as unset', () => {
    expect(parseAccountsEnv({ ...base, JWT_SECRET: '' }).signingKey).toEqual({ alg: 'HS256', secret: DEV_JWT_SECRET });
  });

  it('refuses production without any signing key, naming both variables', () => {
    const message = refusal(production);
    expect(message).toContain('JWT_SECRET');
    expect(message).toContain('JWT_PRIVATE_KEY');
  });

  it.each([
    ['the development secret', DEV_JWT_SECRET],
    ['a secret shorter than 32 characters', 'x'.repeat(31)],
  ])('refuses production with %s, without printing it', (_label, secret) => {
    const message = refusal({ ...production, JWT_SECRET: secret });
    expect(message).toContain('JWT_SECRET');
    expect(message).not.toContain(secret);
  });

  it('accepts production with a strong secret', () => {
    const secret = 's'.repeat(32);
    expect(parseAccountsEnv({ ...production, JWT_SECRET: secret }).signingKey).toEqual({ alg: 'HS256', secret });
  });

  it('signs with RS256 when JWT_PRIVATE_KEY is set (also with escaped newlines), with the key id', () => {
    const env = parseAccountsEnv({ ...production, JWT_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'), JWT_KEY_ID: 'k1', JWT_SECRET: DEV_JWT_SECRET });
    expect(env.signingKey).toEqual({ alg: 'RS256', privateKeyPem: privateKey, keyId: 'k1' });
  });

  it('refuses a JWT_PRIVATE_KEY that is not a PKCS#8 RSA key, without printing it', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    for (const bad of ['not a key', pkcs1]) {
      const message = refusal({ ...base, JWT_PRIVATE_KEY: bad });
      expect(message).toContain('JWT_PRIVATE_KEY');
      expect(message).not.toContain(bad);
    }
  });

  it('refuses a JWT_TTL_SECONDS that is not a sensible number of seconds', () => {
    expect(refusal({ ...base, JWT_TTL_SECONDS: 'soon' })).toContain('JWT_TTL_SECONDS');
    expect(refusal({ ...base, JWT_TTL_SECONDS: '5' })).toContain('JWT_TTL_SECONDS');
    expect(parseAccountsEnv({ ...base, JWT_TTL_SECONDS: '900' }).tokenTtlSeconds).toBe(900);
  });

  it('the process exits 1 before touching the database when production has no key', () => {
    // The entry point parses the environment first; nothing listens, nothing connects.
    const tsx = join(SUBGRAPH_DIR, '..', '..', 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, [join(SUBGRAPH_DIR, 'src', 'index.ts')], {
      env: { PATH: process.env.PATH, ...production, JWT_SECRET: DEV_JWT_SECRET },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JWT_SECRET');
    expect(result.stderr).not.toContain(DEV_JWT_SECRET);
  });
});
