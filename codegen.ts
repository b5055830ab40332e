// One codegen config for the monorepo. Per subgraph (discovered by folder, the subgraph contract):
// resolver types from its own SDL, federation-aware, with Prisma rows as mappers (each subgraph's
// `src/mappers.ts` exports `<Type>Mapper` types). Generated files are committed and drift-checked
// by `npm run codegen:check`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

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

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  generates: Object.fromEntries(
    subgraphs.map((name) => [
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
  ),
};

export default config;
