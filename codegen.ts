// One codegen config for the monorepo. Per subgraph (discovered by folder, the subgraph contract):
// resolver types from its own SDL, federation-aware, with Prisma rows as mappers (each subgraph's
// `src/mappers.ts` exports `<Type>Mapper` types). Per client app (`clients/<name>/`): typed
// operations (client-preset) against the public API schema — `schema/api.graphql`, never the
// supergraph — and its persisted-operations manifest. Generated files are committed and
// drift-checked by `npm run codegen:check`.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { parse, type OperationDefinitionNode } from 'graphql';

const subgraphsDir = join(import.meta.dirname, 'subgraphs');
const subgraphs = readdirSync(subgraphsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
  .map((e) => e.name)
  .filter((name) => readdirSync(join(subgraphsDir, name)).some((f) => f.endsWith('.graphql')))
  .sort();

function mappersOf(name: string): Record<string, string> {
  const file = join(subgraphsDir, name, 'src', 'mappers.ts');
  if (!existsSync(file)) return {};
  const mappers: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^export (?:type|interface) (\w+)Mapper\b/gm)) {
    mappers[match[1]!] = `./mappers.ts#${match[1]}Mapper`;
  }
  return mappers;
}

// A client is a folder under clients/ with a src/ folder; its operations live in its sources.
const clientsDir = join(import.meta.dirname, 'clients');
const clients = existsSync(clientsDir)
  ? readdirSync(clientsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(clientsDir, e.name, 'src')))
      .map((e) => e.name)
      .sort()
  : [];

/** Hex sha256 of the normalized document: the id a client (or the router) uses for it. */
const sha256 = (document: string) => createHash('sha256').update(document).digest('hex');
const PRESET_MANIFEST = 'persisted-documents.json';

/**
 * `clients/<name>/persisted-operations.json`, from the client-preset's hash → document map: for
 * every operation its sha256, name, type and normalized document (what the router will safelist
 * and what schema checks read as usage). The client name is the folder name.
 */
function writePersistedOperations(client: string): void {
  const presetFile = join(clientsDir, client, 'src', 'gql', PRESET_MANIFEST);
  if (!existsSync(presetFile)) return;
  const documents = JSON.parse(readFileSync(presetFile, 'utf8')) as Record<string, string>;
  const operations = Object.entries(documents)
    .map(([hash, document]) => {
      const operation = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      if (!operation?.name) throw new Error(`clients/${client}: every operation needs a name (${document.slice(0, 80)}…)`);
      return { name: operation.name.value, type: operation.operation, hash, document };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const manifest = { format: 'store-persisted-operations', version: 1, client, hashAlgorithm: 'sha256', operations };
  writeFileSync(join(clientsDir, client, 'persisted-operations.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The manifest above is the one artifact; the preset's own map would be a second copy.
  rmSync(presetFile);
}

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  hooks: { afterAllFileWrite: [() => clients.forEach(writePersistedOperations)] },
  generates: Object.fromEntries([
    ...clients.map((name) => [
      `clients/${name}/src/gql/`,
      {
        schema: 'schema/api.graphql',
        documents: [`clients/${name}/src/**/*.{ts,tsx}`, `!clients/${name}/src/gql/**`],
        preset: 'client',
        presetConfig: {
          // Fragment colocation: a component reads only the fields its own fragment selects.
          fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
          persistedDocuments: { hashAlgorithm: sha256 },
        },
        config: {
          // Documents are strings (no graphql-js in the browser bundle), typed by TypedDocumentString.
          documentMode: 'string',
          useTypeImports: true,
          enumsAsTypes: true,
          importExtension: '.ts',
          scalars: { ID: 'string' },
        },
      },
    ]),
    ...subgraphs.map((name) => [
      `subgraphs/${name}/src/resolvers-types.generated.ts`,
      {
        schema: `subgraphs/${name}/*.graphql`,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useIndexSignature: true,
          contextType: './context.ts#SubgraphContext',
          mappers: mappersOf(name),
          emitLegacyCommonJSImports: false,
          useTypeImports: true,
          enumsAsTypes: true,
          avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
          scalars: { ID: 'string' },
        },
      },
    ]),
  ]),
};

export default config;
