import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, parseEnv } from '@store/core';
import { refineRequestSigning, refineServiceIdentity, requestSigningOf, serviceIdentityEnv, subgraphEnvSchema, withServiceIdentityDefaults } from '../src/env.ts';

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

describe('request-signing environment', () => {
  const signing = subgraphEnvSchema.superRefine(refineRequestSigning);
  const strong = 's'.repeat(32);

  it('refuses to start without ROUTER_SIGNING_SECRET, saying how to turn signing off in development', () => {
    expect(() => parseEnv(signing, base)).toThrow(/ROUTER_SIGNING_SECRET: required.*ALLOW_UNSIGNED_REQUESTS=on/);
  });

  it('reads one or several (rotation) secrets, or the explicit development flag', () => {
    expect(requestSigningOf(parseEnv(signing, { ...base, ROUTER_SIGNING_SECRET: 'new, old' }))).toEqual({ secrets: ['new', 'old'] });
    expect(requestSigningOf(parseEnv(signing, { ...base, ALLOW_UNSIGNED_REQUESTS: 'on' }))).toEqual({ allowUnsigned: true });
  });

  it('shares replay protection in Redis when REDIS_URL is set, and refuses a REDIS_URL that is not redis://', () => {
    expect(requestSigningOf(parseEnv(signing, { ...base, ROUTER_SIGNING_SECRET: 'new', REDIS_URL: 'redis://:pw@redis:6379' }))).toEqual({ secrets: ['new'], redisUrl: 'redis://:pw@redis:6379' });
    expect(requestSigningOf(parseEnv(signing, { ...base, ROUTER_SIGNING_SECRET: 'new', REDIS_URL: '' }))).toStrictEqual({ secrets: ['new'] });
    // Unsigned development serving checks no nonces: REDIS_URL does not apply.
    expect(requestSigningOf(parseEnv(signing, { ...base, ALLOW_UNSIGNED_REQUESTS: 'on', REDIS_URL: 'redis://127.0.0.1:6379' }))).toEqual({ allowUnsigned: true });
    expect(() => parseEnv(signing, { ...base, ROUTER_SIGNING_SECRET: 'new', REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL.*redis:\/\/ or rediss:\/\//);
  });

  it('refuses ALLOW_UNSIGNED_REQUESTS=on in production, and together with a secret', () => {
    expect(() => parseEnv(signing, { ...base, APP_ENV: 'production', ALLOW_UNSIGNED_REQUESTS: 'on' })).toThrow(/ALLOW_UNSIGNED_REQUESTS="on": production never serves unsigned requests/);
    expect(() => parseEnv(signing, { ...base, ALLOW_UNSIGNED_REQUESTS: 'on', ROUTER_SIGNING_SECRET: 'x' })).toThrow(/not both/);
  });

  it('refuses a short secret in production without printing it', () => {
    const attempt = () => parseEnv(signing, { ...base, APP_ENV: 'production', ROUTER_SIGNING_SECRET: `${strong},short-secret-value` });
    expect(attempt).toThrow(/at least 32 characters in production/);
    expect(attempt).not.toThrow(/short-secret-value/);
    expect(parseEnv(signing, { ...base, APP_ENV: 'production', ROUTER_SIGNING_SECRET: strong }).ROUTER_SIGNING_SECRET).toBe(strong);
  });
});

describe('SUBGRAPH_FAST_PATH', () => {
  it('is on unless set to off, and a subgraph refuses to start on any other value', () => {
    expect(parseEnv(schema, base).SUBGRAPH_FAST_PATH).toBe('on');
    expect(parseEnv(schema, { ...base, SUBGRAPH_FAST_PATH: '' }).SUBGRAPH_FAST_PATH).toBe('on');
    expect(parseEnv(schema, { ...base, SUBGRAPH_FAST_PATH: 'off' }).SUBGRAPH_FAST_PATH).toBe('off');
    expect(() => parseEnv(schema, { ...base, SUBGRAPH_FAST_PATH: 'false' })).toThrow(/SUBGRAPH_FAST_PATH.*expected on or off/);
  });
});
