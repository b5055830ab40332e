import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, parseEnv } from '@store/core';
import { refineServiceIdentity, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '../src/env.ts';

const schema = subgraphEnvSchema.extend(serviceIdentityEnv).superRefine(refineServiceIdentity).transform(withServiceIdentityDefaults);
const base = { DATABASE_URL: 'postgresql://a:pw@127.0.0.1:5432/a' };

describe('service identity environment', () => {
  it('defaults to the local router and, in development, the development secret', () => {
    expect(parseEnv(schema, base)).toMatchObject({ ROUTER_URL: 'http://127.0.0.1:4000/graphql', JWT_SECRET: DEV_JWT_SECRET });
  });

  it.each([
    ['no secret', {}],
    ['the development secret', { JWT_SECRET: DEV_JWT_SECRET }],
    ['a short secret', { JWT_SECRET: 'x'.repeat(31) }],
  ])('refuses production with %s, naming JWT_SECRET', (_label, vars) => {
    expect(() => parseEnv(schema, { ...base, APP_ENV: 'production', ...vars })).toThrow(/JWT_SECRET(=".*")?: in production set SERVICE_TOKEN/);
  });

  it('accepts production with a strong secret or a pre-minted SERVICE_TOKEN', () => {
    expect(parseEnv(schema, { ...base, APP_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).JWT_SECRET).toBe('s'.repeat(32));
    expect(parseEnv(schema, { ...base, APP_ENV: 'production', SERVICE_TOKEN: 'token' }).SERVICE_TOKEN).toBe('token');
  });

  it('rejects a ROUTER_URL that is not http(s)', () => {
    expect(() => parseEnv(schema, { ...base, ROUTER_URL: 'ftp://router/graphql' })).toThrow(ConfigError);
  });
});
