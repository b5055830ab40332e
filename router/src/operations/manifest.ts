// Persisted-operation manifests: the client apps' `clients/<app>/persisted-operations.json` (the
// same files `npm run schema:check` reads as usage, see schema/src/usage.ts). A hash is the hex
// sha256 of the document's exact text.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { stripIgnoredCharacters } from 'graphql';
import { z } from 'zod';

export interface PersistedOperation {
  hash: string;
  document: string;
  name: string | undefined;
  /** The client app the manifest belongs to (its `client` field, else its folder name). */
  client: string;
}

/** Every operation of the loaded manifests, by hash and by the hash of its normalized text. */
export interface ManifestIndex {
  byHash: ReadonlyMap<string, PersistedOperation>;
  /** sha256 of `stripIgnoredCharacters(document)`: matches the same document sent reformatted. */
  byNormalizedHash: ReadonlyMap<string, PersistedOperation>;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The document without whitespace, commas and comments; `null` when it does not lex. */
export function normalizedHashOf(document: string): string | null {
  try {
    return sha256Hex(stripIgnoredCharacters(document));
  } catch {
    return null;
  }
}

const entrySchema = z.looseObject({ hash: z.string().optional(), name: z.string().optional(), document: z.string().min(1) });
// The three shapes schema/src/usage.ts accepts: an array of entries, an envelope
// `{ client?, operations: [entries] }` (what clients/web writes), or a map from hash to entry or document.
const manifestSchema = z.union([
  z.array(entrySchema),
  z.looseObject({ client: z.string().optional(), operations: z.array(entrySchema) }),
  z.record(z.string(), z.union([entrySchema, z.string().min(1)])),
]);

/** A manifest the router cannot use: the router refuses to start, naming the file. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export function parseManifest(json: unknown, file: string): PersistedOperation[] {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ManifestError(`${file}: expected { operations: [{ hash, name, document }] }, an array of them or an object by hash (${issue.path.join('.') || 'file'}: ${issue.message})`);
  }
  const data = parsed.data;
  const folder = basename(dirname(file));
  let client = folder;
  let entries: z.infer<typeof entrySchema>[];
  if (Array.isArray(data)) entries = data;
  else if ('operations' in data && Array.isArray(data.operations)) {
    entries = data.operations as z.infer<typeof entrySchema>[];
    if (typeof data.client === 'string' && data.client !== '') client = data.client;
  } else {
    entries = Object.entries(data as Record<string, z.infer<typeof entrySchema> | string>).map(([hash, value]) => (typeof value === 'string' ? { hash, document: value } : { hash, ...value }));
  }
  return entries.map((entry) => {
    const hash = sha256Hex(entry.document);
    // A hash that is not the document's would let that hash run a different document.
    if (entry.hash !== undefined && entry.hash.toLowerCase() !== hash) {
      throw new ManifestError(`${file}: operation ${entry.name ?? entry.hash}: hash ${entry.hash} is not the sha256 of its document (${hash})`);
    }
    return { hash, document: entry.document, name: entry.name, client };
  });
}

/** Reads and indexes manifest files; throws a `ManifestError` naming the file on any problem. */
export function loadManifests(files: readonly string[]): ManifestIndex {
  const byHash = new Map<string, PersistedOperation>();
  const byNormalizedHash = new Map<string, PersistedOperation>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ManifestError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
    }
    for (const operation of parseManifest(json, file)) {
      byHash.set(operation.hash, operation);
      const normalized = normalizedHashOf(operation.document);
      if (normalized !== null) byNormalizedHash.set(normalized, operation);
    }
  }
  return { byHash, byNormalizedHash };
}

export const EMPTY_MANIFEST: ManifestIndex = { byHash: new Map(), byNormalizedHash: new Map() };
