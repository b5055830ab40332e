import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, parseEnv } from '@store/core';
import { ordersEnvSchema } from '../src/config.ts';

// Every subgraph needs the router's signing secret (or ALLOW_UNSIGNED_REQUESTS=on in development).
const base = { DATABASE_URL: 'postgresql://orders:pw@127.0.0.1:5432/orders', ROUTER_SIGNING_SECRET: 'test-router-signing-secret-0123456789abcdef' };

describe('orders environment', () => {
  it('defaults to port 4005, the local router and the development secret', () => {
    expect(parseEnv(ordersEnvSchema, base)).toMatchObject({
      PORT: 4005,
      ROUTER_URL: 'http://127.0.0.1:4000/graphql',
      JWT_SECRET: DEV_JWT_SECRET,
      APP_ENV: 'development',
    });
  });

  it.each([
    ['no secret', {}],
    ['the development secret', { JWT_SECRET: DEV_JWT_SECRET }],
    ['a short secret', { JWT_SECRET: 'x'.repeat(31) }],
  ])('refuses production with %s, naming JWT_SECRET', (_label, vars) => {
    expect(() => parseEnv(ordersEnvSchema, { ...base, APP_ENV: 'production', ...vars })).toThrow(/JWT_SECRET/);
  });

  it('accepts production with a strong secret or a pre-minted SERVICE_TOKEN', () => {
    expect(parseEnv(ordersEnvSchema, { ...base, APP_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).JWT_SECRET).toBe('s'.repeat(32));
    expect(parseEnv(ordersEnvSchema, { ...base, APP_ENV: 'production', SERVICE_TOKEN: 'token' }).SERVICE_TOKEN).toBe('token');
  });

  it('rejects a ROUTER_URL that is not http(s)', () => {
    expect(() => parseEnv(ordersEnvSchema, { ...base, ROUTER_URL: 'ftp://router/graphql' })).toThrow(ConfigError);
  });
});

describe('orders environment names', () => {
  it('exports the schema under its conventional name', async () => {
    const module = await import('../src/config.ts');
    expect(module.envSchema).toBe(ordersEnvSchema);
  });
});
