// Architecture boundaries, enforced in CI (`npm run lint:boundaries`):
// a subgraph owns its code, generated types, Prisma client and database; the router knows no
// subgraph; shared packages know no domain; client apps know only the router's endpoint.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'subgraph-imports-another-subgraph',
      comment: 'A subgraph may not import another subgraph\'s code, generated types or Prisma client.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'router-imports-a-subgraph',
      comment: 'The router composes subgraphs over HTTP only.',
      severity: 'error',
      from: { path: '^router/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'package-imports-domain-code',
      comment: 'packages/ is domain-free shared code.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(subgraphs|router|clients|e2e)/' },
    },
    {
      name: 'schema-imports-runtime-code',
      comment: 'Schema tooling reads SDL files; it never imports a subgraph or the router.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: '^(subgraphs|router)/' },
    },
    {
      name: 'client-imports-repository-code',
      comment: 'A client app talks to the router over HTTP only: it imports nothing of the repository outside its own folder.',
      severity: 'error',
      from: { path: '^clients/([^/]+)/' },
      to: { path: '^(subgraphs|router|schema|packages|e2e|clients)/', pathNot: '^clients/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { pathNot: '(^|/)test/fixtures/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Generated Prisma clients are not cruised into, but imports of them are still checked.
    doNotFollow: { path: '(^|/)(node_modules|generated)/' },
    // Build outputs (router/dist, subgraphs/<name>/dist) are bundles, not source.
    exclude: { path: '(^|/)node_modules/|^(router|subgraphs/[^/]+)/dist[^/]*/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], mainFields: ['main', 'typings'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
