// The usage log: which operations clients really run, so `npm run schema:check -- --usage <file>`
// can tell when a schema change breaks one that no manifest lists (no shadow APIs). Per operation
// (hash, client, client version): its name, the schema coordinates it touches, how often it ran and
// when first and last. Aggregated in memory, appended as NDJSON lines (the line format of
// schema/src/usage.ts) in the background; a request only pays for a map update.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { print, type GraphQLSchema } from 'graphql';
import type { Logger } from '@store/core';
import type { PreparedOperation } from '../executor/plan-executor.ts';
import type { ClientInfo } from '../request-context.ts';
import { operationCoordinates } from '@store/core/coordinates';
import { sha256Hex } from './manifest.ts';

export interface UsageLogOptions {
  /** NDJSON file the lines are appended to (its folder is created). */
  file: string;
  /** The API schema the coordinates are read against; `null` before the router has loaded it. */
  schema: () => GraphQLSchema | null;
  logger: Logger;
  /** Default 10 s. */
  flushIntervalMs?: number;
  /**
   * Share of executions recorded, 0..1. Default 1. Counts are of recorded executions: the number
   * run is about `count / sampleRate`.
   */
  sampleRate?: number;
  /** Distinct (operation, client, version) entries kept between flushes. Default 10 000. */
  maxEntries?: number;
}

/** One line of the log (schema/src/usage.ts reads it). */
export interface UsageLine {
  hash: string;
  name: string | null;
  client: string | null;
  clientVersion: string | null;
  coordinates: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface UsageLog {
  /**
   * Counts one execution. O(1) after an operation's first time; never throws. `client` is the
   * request's own object (one per HTTP request): a request the fast path hands over to Apollo
   * Server reaches the executor twice but counts once.
   */
  record(prepared: PreparedOperation, client: ClientInfo | undefined): void;
  /** Appends what was counted so far (and waits for earlier flushes). */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  stop(): Promise<void>;
}

interface OperationFacts {
  hash: string;
  name: string | null;
  coordinates: string[];
}

interface Entry {
  facts: OperationFacts;
  client: string | null;
  clientVersion: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export function createUsageLog(options: UsageLogOptions): UsageLog {
  const { logger, file } = options;
  const sampleRate = options.sampleRate ?? 1;
  const maxEntries = options.maxEntries ?? 10_000;
  // Computed once per prepared operation (the executor keeps those in its own bounded cache).
  const facts = new WeakMap<PreparedOperation, OperationFacts>();
  const counted = new WeakSet<ClientInfo>();
  let entries = new Map<string, Entry>();
  let writing: Promise<void> = Promise.resolve();
  let flushing = 0;
  let dropped = 0;
  let madeFolder = false;

  const factsOf = (prepared: PreparedOperation): OperationFacts | undefined => {
    let known = facts.get(prepared);
    if (known) return known;
    const schema = options.schema();
    if (!schema) return undefined;
    known = {
      // The manifests' hash: sha256 of the document text as sent (or as resolved from its hash).
      hash: sha256Hex(prepared.source ?? print(prepared.document)),
      name: prepared.operationName ?? prepared.operation.name?.value ?? null,
      coordinates: operationCoordinates(schema, prepared.document),
    };
    facts.set(prepared, known);
    return known;
  };

  const write = (batch: Map<string, Entry>): Promise<void> => {
    flushing++;
    writing = writing.then(async () => {
      try {
        if (dropped > 0) {
          logger.warn('usage log full: executions not counted', { dropped, maxEntries });
          dropped = 0;
        }
        if (batch.size === 0) return;
        const lines = [...batch.values()].map((entry) => JSON.stringify(lineOf(entry))).join('\n');
        if (!madeFolder) {
          await mkdir(dirname(file), { recursive: true });
          madeFolder = true;
        }
        await appendFile(file, `${lines}\n`);
      } catch (error) {
        // Counted usage is lost, never the request: the next flush tries again with new counts.
        logger.error('usage log write failed', { file, error: (error as Error).message });
      } finally {
        flushing--;
      }
    });
    return writing;
  };

  const flush = () => {
    const batch = entries;
    entries = new Map();
    return write(batch);
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 10_000);
  timer.unref();
  let stopped: Promise<void> | null = null;

  return {
    record(prepared, client) {
      try {
        if (client) {
          if (counted.has(client)) return;
          counted.add(client);
        }
        if (sampleRate < 1 && Math.random() >= sampleRate) return;
        const operation = factsOf(prepared);
        if (!operation) return;
        const name = client?.name ?? null;
        const version = client?.version ?? null;
        const key = `${operation.hash}\u0000${name ?? ''}\u0000${version ?? ''}`;
        const now = Date.now();
        const entry = entries.get(key);
        if (entry) {
          entry.count++;
          entry.lastSeen = now;
          return;
        }
        if (entries.size >= maxEntries) {
          // Full: write early, unless a write is still pending (then memory, not counts, wins).
          if (flushing > 0) {
            dropped++;
            return;
          }
          void flush();
        }
        entries.set(key, { facts: operation, client: name, clientVersion: version, count: 1, firstSeen: now, lastSeen: now });
      } catch (error) {
        logger.error('usage log record failed', { error: (error as Error).message });
      }
    },
    flush,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await flush();
      })();
      return stopped;
    },
  };
}

function lineOf(entry: Entry): UsageLine {
  return {
    hash: entry.facts.hash,
    name: entry.facts.name,
    client: entry.client,
    clientVersion: entry.clientVersion,
    coordinates: entry.facts.coordinates,
    count: entry.count,
    firstSeen: new Date(entry.firstSeen).toISOString(),
    lastSeen: new Date(entry.lastSeen).toISOString(),
  };
}
