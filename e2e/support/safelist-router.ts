import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@store/db';
import { createRouter, type Router } from '../../router/src/server.ts';
import { parseSupergraph } from '../../router/src/supergraph.ts';
import { closedPortUrl, DEV_KEY, quietLogger } from '../../router/test/support/test-graph.ts';

/**
 * A router on the committed supergraph in safelist mode with `manifestFiles`, every subgraph
 * pointed at a closed port: nothing answers behind it, the point is what it lets through.
 */
export async function startSafelistRouter(manifestFiles: string[]): Promise<{ router: Router; url: string }> {
  const supergraphSdl = readFileSync(join(repoRoot, 'schema/supergraph.graphql'), 'utf8');
  const parsed = parseSupergraph(supergraphSdl);
  if (!parsed.ok) throw new Error(parsed.message);
  const closed = await closedPortUrl();
  const overrides = Object.fromEntries(parsed.subgraphs.map(({ name }) => [`SUBGRAPH_${name.toUpperCase()}_URL`, closed]));
  const router = await createRouter({
    supergraphSdl,
    logger: quietLogger,
    verifyingKey: DEV_KEY,
    subgraphUrlOverrides: overrides,
    persistedOperations: { mode: 'safelist', manifestFiles },
  });
  return { router, url: `${(await router.listen(0)).url}/graphql` };
}
