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
  it('reads the operation limits, demand control and request deadline (off, 0 or a number)', () => {
    const limits = parseRouterEnv({ MAX_DEPTH: '8', MAX_ALIASES: 'off', MAX_ROOT_FIELDS: '0', MAX_DIRECTIVES: '3', MAX_TOKENS: '500', MAX_COST: '1200', COST_DEFAULT_LIST_SIZE: '25', REQUEST_TIMEOUT_MS: 'off' }).limits;
    expect(limits).toEqual({ operationLimits: { maxDepth: 8, maxAliases: null, maxRootFields: null, maxDirectives: 3, maxTokens: 500 }, maxCost: 1200, defaultListSize: 25, requestTimeoutMs: null });
    // Production is stricter by default; each variable still overrides.
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: STRONG_SECRET, MAX_COST: 'off' }).limits).toMatchObject({ operationLimits: { maxDepth: 10 }, maxCost: null });
    expect(configError({ MAX_DEPTH: 'ten', REQUEST_TIMEOUT_MS: '-1' })).toMatch(/MAX_DEPTH="ten": expected a positive integer, or off\n.*REQUEST_TIMEOUT_MS="-1"/);
  });

  it('has a development default for every variable', () => {
    expect(parseRouterEnv({})).toEqual({
      appEnv: 'development',
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      verifyingKey: { alg: 'HS256', secret: DEV_JWT_SECRET },
      maxBodyBytes: 1024 * 1024,
      subgraphTimeoutMs: 10_000,
      subgraphDeduplication: false,
      subgraphBatching: true,
      limits: { operationLimits: { maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxDirectives: 50, maxTokens: 10_000 }, maxCost: null, defaultListSize: 10, requestTimeoutMs: 30_000 },
      introspection: true,
      corsOrigins: 'loopback',
      explorer: true,
      exposeQueryPlans: true,
      authorizationMode: 'filter',
      subgraphUrlOverrides: {},
      subgraphSigningSecrets: {},
      rateLimit: null,
      redisUrl: null,
      trustedProxyHops: 0,
      persistedOperations: { mode: 'apq', manifestFiles: [] },
      usageLog: null,
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
      SUBGRAPH_DEDUPLICATION: 'on',
      SUBGRAPH_BATCHING: 'off',
      INTROSPECTION: 'true',
      CORS_ORIGINS: 'https://shop.example',
      EXPLORER: 'on',
      AUTHORIZATION_MODE: 'reject',
      RATE_LIMIT: '100/30s',
      RATE_LIMIT_KEY: 'ip',
      RATE_LIMIT_ON_REDIS_FAILURE: 'closed',
      REDIS_URL: 'redis://:secret@redis:6379/2',
      TRUST_PROXY: '2',
      PERSISTED_OPERATIONS: 'safelist',
      PERSISTED_OPERATIONS_MANIFESTS: 'clients/web/persisted-operations.json,other/persisted-operations.json',
      USAGE_LOG_FILE: '/var/log/router/usage.ndjson',
      USAGE_LOG_FLUSH_MS: '30000',
      USAGE_LOG_SAMPLE_RATE: '0.1',
      SUBGRAPH_CATALOG_URL: 'http://catalog:4002/graphql',
      SUBGRAPH_USER_ACCOUNTS_URL: 'https://accounts.internal/graphql',
      SUBGRAPH_CATALOG_SIGNING_SECRET: `${STRONG_SECRET}-new,${STRONG_SECRET}-old`,
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
      subgraphDeduplication: true,
      subgraphBatching: false,
      limits: { operationLimits: { maxDepth: 10, maxAliases: 15, maxRootFields: 10, maxDirectives: 20, maxTokens: 2_000 }, maxCost: 10_000, defaultListSize: 10, requestTimeoutMs: 30_000 },
      introspection: true,
      corsOrigins: ['https://shop.example'],
      explorer: true,
      // Never in production, whatever else is set.
      exposeQueryPlans: false,
      authorizationMode: 'reject',
      subgraphUrlOverrides: { SUBGRAPH_CATALOG_URL: 'http://catalog:4002/graphql', SUBGRAPH_USER_ACCOUNTS_URL: 'https://accounts.internal/graphql' },
      // The first of a rotation list signs.
      subgraphSigningSecrets: { SUBGRAPH_CATALOG_SIGNING_SECRET: `${STRONG_SECRET}-new` },
      rateLimit: { max: 100, windowMs: 30_000, key: 'ip', onRedisFailure: 'closed' },
      redisUrl: 'redis://:secret@redis:6379/2',
      trustedProxyHops: 2,
      persistedOperations: { mode: 'safelist', manifestFiles: ['clients/web/persisted-operations.json', 'other/persisted-operations.json'] },
      usageLog: { file: '/var/log/router/usage.ndjson', flushIntervalMs: 30_000, sampleRate: 0.1 },
    });
  });

  it('enforces authorization directives by filtering, in every environment, unless AUTHORIZATION_MODE says otherwise', () => {
    expect(parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: STRONG_SECRET }).authorizationMode).toBe('filter');
    expect(parseRouterEnv({ AUTHORIZATION_MODE: 'off' }).authorizationMode).toBe('off');
    expect(parseRouterEnv({ AUTHORIZATION_MODE: '' }).authorizationMode).toBe('filter');
    expect(configError({ AUTHORIZATION_MODE: 'strict' })).toContain('AUTHORIZATION_MODE');
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
    expect(configError({ SUBGRAPH_DEDUPLICATION: 'yes' })).toMatch(/SUBGRAPH_DEDUPLICATION="yes": expected on or off/);
    expect(configError({ SUBGRAPH_BATCHING: 'maybe' })).toMatch(/SUBGRAPH_BATCHING="maybe": expected on or off/);
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

describe('router request-signing secrets', () => {
  it('refuses a short SUBGRAPH_<NAME>_SIGNING_SECRET in production without printing it', () => {
    const attempt = () => parseRouterEnv({ APP_ENV: 'production', JWT_SECRET: STRONG_SECRET, SUBGRAPH_CATALOG_SIGNING_SECRET: 'short-signing-secret' });
    expect(attempt).toThrow(/SUBGRAPH_CATALOG_SIGNING_SECRET must be at least 32 characters in production/);
    expect(attempt).not.toThrow(/short-signing-secret/);
    expect(parseRouterEnv({ SUBGRAPH_CATALOG_SIGNING_SECRET: 'short is fine in development' }).subgraphSigningSecrets).toEqual({ SUBGRAPH_CATALOG_SIGNING_SECRET: 'short is fine in development' });
  });
});
