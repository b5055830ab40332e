import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, parseEnv } from '@store/core';
import { envSchema, paymentsEnvSchema } from '../src/config.ts';

// Every subgraph needs the router's signing secret (or ALLOW_UNSIGNED_REQUESTS=on in development).
const base = { DATABASE_URL: 'postgresql://payments:pw@127.0.0.1:5432/payments', ROUTER_SIGNING_SECRET: 'test-router-signing-secret-0123456789abcdef' };

describe('payments environment', () => {
  it('defaults to port 4006, the local router, the development secret and a 2 s provider timeout', () => {
    expect(parseEnv(paymentsEnvSchema, base)).toMatchObject({
      PORT: 4006,
      ROUTER_URL: 'http://127.0.0.1:4000/graphql',
      JWT_SECRET: DEV_JWT_SECRET,
      PAYMENT_PROVIDER_TIMEOUT_MS: 2000,
      APP_ENV: 'development',
    });
    expect(envSchema).toBe(paymentsEnvSchema);
  });

  it.each([
    ['no secret', {}],
    ['the development secret', { JWT_SECRET: DEV_JWT_SECRET }],
    ['a short secret', { JWT_SECRET: 'x'.repeat(31) }],
  ])('refuses production with %s, naming JWT_SECRET', (_label, vars) => {
    expect(() => parseEnv(paymentsEnvSchema, { ...base, APP_ENV: 'production', ...vars })).toThrow(/JWT_SECRET/);
  });

  it('accepts production with a strong secret or a pre-minted SERVICE_TOKEN', () => {
    expect(parseEnv(paymentsEnvSchema, { ...base, APP_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).JWT_SECRET).toBe('s'.repeat(32));
    expect(parseEnv(paymentsEnvSchema, { ...base, APP_ENV: 'production', SERVICE_TOKEN: 'token' }).SERVICE_TOKEN).toBe('token');
  });

  it('reads PAYMENT_PROVIDER_TIMEOUT_MS as a positive integer', () => {
    expect(parseEnv(paymentsEnvSchema, { ...base, PAYMENT_PROVIDER_TIMEOUT_MS: '150' }).PAYMENT_PROVIDER_TIMEOUT_MS).toBe(150);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => parseEnv(paymentsEnvSchema, { ...base, PAYMENT_PROVIDER_TIMEOUT_MS: bad })).toThrow(/PAYMENT_PROVIDER_TIMEOUT_MS/);
    }
  });

  it('rejects a ROUTER_URL that is not http(s)', () => {
    expect(() => parseEnv(paymentsEnvSchema, { ...base, ROUTER_URL: 'ftp://router/graphql' })).toThrow(ConfigError);
  });
});
