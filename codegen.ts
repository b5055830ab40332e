// One codegen config for the monorepo. Per subgraph (discovered by folder, the subgraph contract):
// resolver types from its own SDL, federation-aware, with Prisma rows as mappers (each subgraph's
// `src/mappers.ts` exports `<Type>Mapper` types), and, for a subgraph that calls the router, the
// persisted-operations manifest of those calls. Per client app (`clients/<name>/`): typed
// operations (client-preset) against the public API schema — `schema/api.graphql`, never the
// supergraph — and its persisted-operations manifest. Generated files are committed and
// drift-checked by `npm run codegen:check`.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

interface ManifestOperation {
  name: string;
  type: string;
  hash: string;
  document: string;
}

/** One manifest entry: the document's one operation, named (the manifest lists it by name). */
function manifestOperation(owner: string, hash: string, document: string): ManifestOperation {
  let definitions;
  try {
    definitions = parse(document).definitions;
  } catch (error) {
    throw new Error(`${owner}: not a GraphQL document: ${(error as Error).message}`);
  }
  const operations = definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  // Clients send no operationName: the document must hold one operation.
  if (operations.length !== 1) throw new Error(`${owner}: expected one operation per document, found ${operations.length} (${document.slice(0, 80)}…)`);
  const operation = operations[0]!;
  if (!operation.name) throw new Error(`${owner}: every operation needs a name (${document.slice(0, 80)}…)`);
  return { name: operation.name.value, type: operation.operation, hash, document };
}

/**
 * `<dir>/persisted-operations.json`: for every operation its sha256, name, type and document (what
 * the router will safelist and what schema checks read as usage). The client name is the folder name.
 */
function writeManifest(dir: string, client: string, operations: ManifestOperation[]): void {
  const sorted = [...operations].sort((a, b) => a.name.localeCompare(b.name));
  const manifest = { format: 'store-persisted-operations', version: 1, client, hashAlgorithm: 'sha256', operations: sorted };
  writeFileSync(join(dir, 'persisted-operations.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `clients/<name>/persisted-operations.json`, from the client-preset's hash → normalized document map. */
function writePersistedOperations(client: string): void {
  const presetFile = join(clientsDir, client, 'src', 'gql', PRESET_MANIFEST);
  if (!existsSync(presetFile)) return;
  const documents = JSON.parse(readFileSync(presetFile, 'utf8')) as Record<string, string>;
  writeManifest(
    join(clientsDir, client),
    client,
    Object.entries(documents).map(([hash, document]) => manifestOperation(`clients/${client}`, hash, document)),
  );
  // The manifest above is the one artifact; the preset's own map would be a second copy.
  rmSync(presetFile);
}

const ROUTER_OPERATIONS = join('src', 'router-operations.ts');

/**
 * `subgraphs/<name>/persisted-operations.json`: a subgraph that calls the router is one of its
 * clients (as its SERVICE identity), so a safelisting router needs its operations too. They are
 * every exported string of its `src/router-operations.ts`, which its code sends as they are (the
 * hash is of that exact text). A subgraph without the module has no manifest.
 */
async function writeSubgraphOperations(name: string): Promise<void> {
  const dir = join(subgraphsDir, name);
  const manifestFile = join(dir, 'persisted-operations.json');
  const module = join(dir, ROUTER_OPERATIONS);
  if (!existsSync(module)) {
    rmSync(manifestFile, { force: true });
    return;
  }
  const exported = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const documents = Object.entries(exported).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (documents.length === 0) throw new Error(`subgraphs/${name}/${ROUTER_OPERATIONS}: exports no operation; delete the file if the subgraph does not call the router`);
  // Named after the subgraph (OrdersPrices, PaymentsMarkOrderPaid…): the router's logs and usage
  // reports tell whose call it is, and two subgraphs' operations cannot collide.
  const prefix = name.replace(/(^|[-_])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase());
  const operations = documents.map(([exportName, document]) => {
    const owner = `subgraphs/${name}/${ROUTER_OPERATIONS} (${exportName})`;
    const operation = manifestOperation(owner, sha256(document), document);
    if (!operation.name.startsWith(prefix)) throw new Error(`${owner}: name the operation ${prefix}…, not ${operation.name}`);
    return operation;
  });
  const names = operations.map((o) => o.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new Error(`subgraphs/${name}/${ROUTER_OPERATIONS}: two exports are operation ${repeated}; give each its own name`);
  writeManifest(dir, name, operations);
}

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  hooks: {
    afterAllFileWrite: [
      async () => {
        try {
          clients.forEach(writePersistedOperations);
          for (const name of subgraphs) await writeSubgraphOperations(name);
        } catch (error) {
          // `silent: true` hides a hook's error (the exit code alone says something failed): say what.
          console.error(`codegen: ${(error as Error).message}`);
          throw error;
        }
      },
    ],
  },
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
