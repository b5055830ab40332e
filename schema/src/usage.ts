// Client usage: the persisted operations of every client app (clients/<app>/persisted-operations.json)
// and optional usage logs (NDJSON, one operation per line, as the router writes them).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addInputDeep, operationCoordinates as coordinatesOfDocument } from '@store/core/coordinates';
import {
  getNamedType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { z } from 'zod';
import { atFile, CheckInputError } from './errors.ts';

export interface KnownOperation {
  client: string;
  name: string;
  hash: string;
  source: 'persisted' | 'usage-log';
  /** Persisted operations carry their document; logged ones only the coordinates they used. */
  document?: DocumentNode;
  file: string;
  loggedCoordinates?: string[];
  clientVersion?: string;
  count?: number;
  lastSeen?: string;
}

export const PERSISTED_OPERATIONS_FILE = 'persisted-operations.json';

const persistedEntry = z.object({ hash: z.string().optional(), name: z.string().optional(), document: z.string().min(1) }).passthrough();
// An array of entries, an envelope `{ …, operations: [entries] }` (what clients/web writes), or a
// map from hash to entry or document.
const persistedFile = z.union([
  z.array(persistedEntry),
  z.object({ operations: z.array(persistedEntry) }).passthrough(),
  z.record(z.string(), z.union([persistedEntry, z.string().min(1)])),
]);

/** Every client app's persisted operations; a client is a folder of `clientsDir` with the file. */
export function loadPersistedOperations(clientsDir: string): KnownOperation[] {
  if (!existsSync(clientsDir)) return [];
  const operations: KnownOperation[] = [];
  const apps = readdirSync(clientsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort();
  for (const client of apps) {
    const file = join(clientsDir, client, PERSISTED_OPERATIONS_FILE);
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CheckInputError(atFile(file, `invalid JSON: ${(error as Error).message}`));
    }
    const parsed = persistedFile.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CheckInputError(atFile(file, `expected an array of { hash, name, document } (or { operations: [...] }, or an object by hash): ${issue.path.join('.') || 'file'}: ${issue.message}`));
    }
    const data = parsed.data;
    const entries = Array.isArray(data)
      ? data
      : 'operations' in data && Array.isArray(data.operations)
        ? (data.operations as z.infer<typeof persistedEntry>[])
        : Object.entries(data as Record<string, z.infer<typeof persistedEntry> | string>).map(([key, value]) => (typeof value === 'string' ? { hash: key, document: value } : { hash: key, ...value }));
    for (const entry of entries) {
      const hash = entry.hash ?? createHash('sha256').update(entry.document).digest('hex');
      let document: DocumentNode;
      try {
        document = parse(entry.document);
      } catch (error) {
        throw new CheckInputError(atFile(file, `operation ${entry.name ?? hash}: ${(error as Error).message}`, (error as GraphQLError).locations?.[0]));
      }
      const named = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name);
      const name = entry.name ?? (named && 'name' in named && named.name ? named.name.value : `anonymous-${hash.slice(0, 8)}`);
      operations.push({ client, name, hash, source: 'persisted', document, file });
    }
  }
  return operations;
}

const usageLine = z.object({
  hash: z.string().min(1),
  name: z.string().nullish(),
  client: z.string().nullish(),
  clientVersion: z.string().nullish(),
  coordinates: z.array(z.string()),
  count: z.number().int().nonnegative().default(1),
  firstSeen: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO timestamp').optional(),
  lastSeen: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO timestamp'),
});

function usageFiles(path: string): string[] {
  if (!existsSync(path)) throw new CheckInputError(`${path}: usage file or folder not found`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(ndjson|jsonl)$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/**
 * Operations from usage logs seen within the window, merged per client and hash (counts summed,
 * coordinates united). Malformed lines stop the check naming the file and line.
 */
export function loadUsageLogs(paths: string[], now: Date, windowDays: number): { operations: KnownOperation[]; outsideWindow: number } {
  const since = now.getTime() - windowDays * 86_400_000;
  const merged = new Map<string, KnownOperation>();
  let outsideWindow = 0;
  for (const path of paths) {
    for (const file of usageFiles(path)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          if (!text.trim()) return;
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch (error) {
            throw new CheckInputError(atFile(file, `invalid JSON: ${(error as Error).message}`, { line: i + 1 }));
          }
          const parsed = usageLine.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            throw new CheckInputError(atFile(file, `${issue.path.join('.') || 'line'}: ${issue.message}`, { line: i + 1 }));
          }
          const entry = parsed.data;
          if (Date.parse(entry.lastSeen) < since) {
            outsideWindow++;
            return;
          }
          const client = entry.client ?? 'unknown';
          const key = `${client}\0${entry.hash}`;
          const known = merged.get(key);
          if (known) {
            known.count = (known.count ?? 0) + entry.count;
            known.loggedCoordinates = [...new Set([...(known.loggedCoordinates ?? []), ...entry.coordinates])];
            if (Date.parse(entry.lastSeen) > Date.parse(known.lastSeen ?? '')) known.lastSeen = entry.lastSeen;
            return;
          }
          merged.set(key, {
            client,
            name: entry.name ?? `anonymous-${entry.hash.slice(0, 8)}`,
            hash: entry.hash,
            source: 'usage-log',
            file,
            loggedCoordinates: entry.coordinates,
            clientVersion: entry.clientVersion ?? undefined,
            count: entry.count,
            lastSeen: entry.lastSeen,
          });
        });
    }
  }
  return { operations: [...merged.values()], outsideWindow };
}

/** The coordinates an operation uses (one definition with the router's usage log), as a set. */
export function operationCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  return new Set(coordinatesOfDocument(schema, document));
}

/** Logged coordinates plus what they imply: a field's and an argument's type (with input fields). */
export function expandLoggedCoordinates(schema: GraphQLSchema, coordinates: string[]): Set<string> {
  const out = new Set(coordinates);
  for (const coordinate of coordinates) {
    const match = /^([^.(]+)\.([^.(]+)(?:\(([^:)]+):\))?$/.exec(coordinate);
    if (!match) continue;
    const type = schema.getType(match[1]!);
    if (!type || !('getFields' in type)) continue;
    const field = type.getFields()[match[2]!];
    if (!field) continue;
    if (match[3] === undefined) {
      out.add(getNamedType(field.type).name);
      continue;
    }
    const arg = 'args' in field ? field.args.find((a) => a.name === match[3]) : undefined;
    if (arg) addInputDeep(getNamedType(arg.type), out);
  }
  return out;
}

export function coordinatesOf(schema: GraphQLSchema, operation: KnownOperation): Set<string> {
  if (operation.document) return operationCoordinates(schema, operation.document);
  return expandLoggedCoordinates(schema, operation.loggedCoordinates ?? []);
}

/** Validation errors of an operation against a schema (empty: it still runs). */
export function validateOperation(schema: GraphQLSchema, operation: KnownOperation): readonly GraphQLError[] {
  return operation.document ? validate(schema, operation.document) : [];
}
