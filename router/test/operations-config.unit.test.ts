// PERSISTED_OPERATIONS* and USAGE_LOG_* as the router's environment schema reads them.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@store/core';
import { parseRouterEnv } from '../src/config.ts';

describe('persisted operations and usage log variables', () => {
  it('default to apq with no manifests and no usage log (any supergraph, no configuration)', () => {
    const config = parseRouterEnv({});
    expect(config.persistedOperations).toEqual({ mode: 'apq', manifestFiles: [] });
    expect(config.usageLog).toBeNull();
  });

  it('read the mode, comma-separated manifests and the usage log settings', () => {
    const config = parseRouterEnv({
      PERSISTED_OPERATIONS: 'safelist',
      PERSISTED_OPERATIONS_MANIFESTS: 'clients/web/persisted-operations.json, other.json,',
      USAGE_LOG_FILE: '/tmp/usage.ndjson',
      USAGE_LOG_FLUSH_MS: '5000',
      USAGE_LOG_SAMPLE_RATE: '0.25',
    });
    expect(config.persistedOperations).toEqual({ mode: 'safelist', manifestFiles: ['clients/web/persisted-operations.json', 'other.json'] });
    expect(config.usageLog).toEqual({ file: '/tmp/usage.ndjson', flushIntervalMs: 5000, sampleRate: 0.25 });
    expect(parseRouterEnv({ USAGE_LOG_FILE: 'u.ndjson' }).usageLog).toEqual({ file: 'u.ndjson', flushIntervalMs: 10_000, sampleRate: 1 });
  });

  it('refuse a safelist without manifests, unknown modes and sample rates outside 0..1', () => {
    expect(() => parseRouterEnv({ PERSISTED_OPERATIONS: 'safelist' })).toThrow(/PERSISTED_OPERATIONS_MANIFESTS.*required with PERSISTED_OPERATIONS=safelist/);
    expect(() => parseRouterEnv({ PERSISTED_OPERATIONS: 'strict' })).toThrow(ConfigError);
    expect(() => parseRouterEnv({ PERSISTED_OPERATIONS: 'strict' })).toThrow(/PERSISTED_OPERATIONS.*expected off, apq or safelist/);
    expect(() => parseRouterEnv({ USAGE_LOG_FILE: 'u.ndjson', USAGE_LOG_SAMPLE_RATE: '1.5' })).toThrow(/USAGE_LOG_SAMPLE_RATE/);
    expect(() => parseRouterEnv({ USAGE_LOG_FLUSH_MS: '0' })).toThrow(/USAGE_LOG_FLUSH_MS/);
  });
});
