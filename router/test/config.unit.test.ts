import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET } from '@store/core';
import { DEFAULT_SUPERGRAPH_PATH, parseRouterArgs } from '../src/cli.ts';
import { parseRouterEnv } from '../src/config.ts';
import { resolveSubgraphUrls, subgraphUrlVariable } from '../src/supergraph.ts';

const STRONG_SECRET = 'a-production-secret-of-at-least-32-chars';
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----';

function configError(env: NodeJS.ProcessEnv): string {
  try {
    parseRouterEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('router environment', () => {
  it('has a development default for every variable', () => {
    expect(parseRouterEnv({})).toEqual({
      appEnv: 'development',
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      verifyingKey: { alg: 'HS256', secret: DEV_JWT_SECRET },
      maxBodyBytes: 1024 * 1024,
      subgraphTimeoutMs: 10_000,
      introspection: true,
      corsOrigins: 'loopback',
      explorer: true,
      exposeQueryPlans: true,
      subgraphUrlOverrides: {},
    });
  });

  it('treats empty variables as unset', () => {
    expect(parseRouterEnv({ PORT: '', JWT_SECRET: '', INTROSPECTION: '', MAX_BODY_BYTES: '' })).toMatchObject({ port: 4000, introspection: true, maxBodyBytes: 1024 * 1024 });
  });

  it('reads every variable', () => {
    const config = parseRouterEnv({
      APP_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      JWT_SECRET: STRONG_SECRET,
      MAX_BODY_BYTES: '2048',
      SUBGRAPH_TIMEOUT_MS: '500',
      INTROSPECTION: 'true',
      CORS_ORIGINS: 'https://shop.example',
      EXPLORER: 'on',
      SUBGRAPH_CATALOG_URL: 'http://catalog:4002/graphql',
      SUBGRAPH_USER_ACCOUNTS_URL: 'https://accounts.internal/graphql',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      appEnv: 'production',
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      verifyingKey: { alg: 'HS256', secret: STRONG_SECRET },
      maxBodyBytes: 2048,
      subgraphTimeoutMs: 500,
      introspection: true,
      corsOrigins: ['https://shop.example'],
      explorer: true,
      // Never in production, whatever else is set.
      exposeQueryPlans: false,
      subgraphUrlOverrides: { SUBGRAPH_CATALOG_URL: 'http://catalog:4002/graphql', SUBGRAPH_USER_ACCOUNTS_URL: 'https://accounts.internal/graphql' },
    });
  });

  it('turns introspection off by default in production', () => {
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: STRONG_SECRET }).introspection).toBe(false);
  });

  it('uses RS256 with JWT_PUBLIC_KEY (also when flattened to one line) or JWT_JWKS_URL', () => {
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_PUBLIC_KEY: PEM }).verifyingKey).toEqual({ alg: 'RS256', publicKeyPem: PEM });
    expect(parseRouterEnv({ JWT_PUBLIC_KEY: PEM.replace(/\n/g, '\\n') }).verifyingKey).toEqual({ alg: 'RS256', publicKeyPem: PEM });
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_JWKS_URL: 'https://accounts.example/.well-known/jwks.json' }).verifyingKey).toEqual({
      alg: 'RS256',
      jwksUrl: 'https://accounts.example/.well-known/jwks.json',
    });
  });

  it('refuses production without a key, with the development secret, or with a short secret (without printing it)', () => {
    expect(configError({ APP_ENV: 'production' })).toMatch(/JWT_SECRET: required in production/);
    expect(configError({ APP_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toMatch(/JWT_SECRET is the development secret/);
    const short = configError({ APP_ENV: 'production', JWT_SECRET: 'short-but-secret' });
    expect(short).toMatch(/JWT_SECRET must be at least 32 characters/);
    expect(short).not.toContain('short-but-secret');
  });

  it('refuses more than one token key', () => {
    expect(configError({ JWT_SECRET: STRONG_SECRET, JWT_PUBLIC_KEY: PEM })).toMatch(/set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL/);
  });

  it('names each bad variable', () => {
    const message = configError({ APP_ENV: 'staging', PORT: 'eighty', MAX_BODY_BYTES: '-1', SUBGRAPH_TIMEOUT_MS: 'soon', INTROSPECTION: 'maybe', JWT_PUBLIC_KEY: 'not a pem', JWT_JWKS_URL: 'ftp://x', SUBGRAPH_CATALOG_URL: 'catalog:4002' });
    for (const name of ['APP_ENV', 'PORT', 'MAX_BODY_BYTES', 'SUBGRAPH_TIMEOUT_MS', 'INTROSPECTION', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL', 'SUBGRAPH_CATALOG_URL']) {
      expect(message).toContain(`${name}=`);
    }
  });
});

describe('subgraph URL overrides', () => {
  const subgraphs = [
    { name: 'catalog', url: 'http://127.0.0.1:4002/graphql' },
    { name: 'user-accounts', url: 'http://127.0.0.1:4001/graphql' },
  ];

  it('names the variable after the subgraph: upper case, non-alphanumerics as _', () => {
    expect(subgraphUrlVariable('catalog')).toBe('SUBGRAPH_CATALOG_URL');
    expect(subgraphUrlVariable('user-accounts')).toBe('SUBGRAPH_USER_ACCOUNTS_URL');
    expect(subgraphUrlVariable('v2.search')).toBe('SUBGRAPH_V2_SEARCH_URL');
  });

  it('replaces only the overridden URLs', () => {
    const result = resolveSubgraphUrls(subgraphs, { SUBGRAPH_USER_ACCOUNTS_URL: 'http://accounts:4001/graphql' });
    expect(result).toEqual({
      ok: true,
      urls: new Map([
        ['catalog', 'http://127.0.0.1:4002/graphql'],
        ['user-accounts', 'http://accounts:4001/graphql'],
      ]),
    });
  });

  it('refuses a variable that names no subgraph, listing the accepted ones', () => {
    const result = resolveSubgraphUrls(subgraphs, { SUBGRAPH_CATALOGUE_URL: 'http://x/graphql' });
    expect(result).toEqual({
      ok: false,
      message: 'SUBGRAPH_CATALOGUE_URL names no subgraph in the supergraph; the variables it accepts are: SUBGRAPH_CATALOG_URL, SUBGRAPH_USER_ACCOUNTS_URL',
    });
  });

  it('refuses a variable that two subgraph names map to', () => {
    const result = resolveSubgraphUrls([...subgraphs, { name: 'user_accounts', url: 'http://127.0.0.1:4009/graphql' }], { SUBGRAPH_USER_ACCOUNTS_URL: 'http://x/graphql' });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('ambiguous') });
  });
});

describe('router arguments', () => {
  it('defaults to the committed supergraph and leaves port and host to the environment', () => {
    expect(parseRouterArgs([])).toEqual({ ok: true, supergraphPath: DEFAULT_SUPERGRAPH_PATH, help: false });
    expect(DEFAULT_SUPERGRAPH_PATH).toMatch(/schema[/\\]supergraph\.graphql$/);
  });

  it('reads --supergraph (relative to the working directory), --port (0 allowed) and --host', () => {
    expect(parseRouterArgs(['--supergraph', 'tmp/s.graphql', '--port', '0', '--host', '0.0.0.0'], '/repo')).toEqual({
      ok: true,
      supergraphPath: '/repo/tmp/s.graphql',
      port: 0,
      host: '0.0.0.0',
      help: false,
    });
    expect(parseRouterArgs(['--port=4100'])).toMatchObject({ ok: true, port: 4100 });
  });

  it('refuses a bad port, an unknown flag and a positional argument', () => {
    expect(parseRouterArgs(['--port', 'http'])).toMatchObject({ ok: false, message: expect.stringContaining('--port') });
    expect(parseRouterArgs(['--port', '70000'])).toMatchObject({ ok: false });
    expect(parseRouterArgs(['--schema', 'x'])).toMatchObject({ ok: false, message: expect.stringContaining('--schema') });
    expect(parseRouterArgs(['supergraph.graphql'])).toMatchObject({ ok: false });
  });
});
