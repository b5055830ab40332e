import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawnReady } from '../lib/processes.ts';
import { BENCH_DIR } from '../lib/root.ts';
import { supergraphUrls, withSubgraphUrls } from '../lib/supergraph-urls.ts';
import type { PreparedWorkload, RequestVariant } from '../lib/workload.ts';

const PRODUCT_LIST = `query ProductList($first: Int!, $filter: ProductFilter) {
  products(first: $first, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id sku name
        price { amount currency }
        category { slug name }
        inStock
        shippingEstimate { amount currency }
        averageRating
        reviewCount
        reviews(first: 2) { edges { node { rating body author { name } } } }
      }
    }
  }
}`;

const PRODUCT_DETAIL = `query ProductDetail($sku: String!, $reviews: Int!) {
  product(sku: $sku) {
    id sku name description weight createdAt
    price { amount currency }
    category { id slug name }
    inStock
    quantityAvailable
    shippingEstimate { amount currency }
    averageRating
    reviewCount
    reviews(first: $reviews) {
      totalCount
      pageInfo { hasNextPage }
      edges { node { id rating body createdAt author { id name } } }
    }
  }
}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The request mix: product lists (varied page sizes and filters) and product details (varied SKUs). */
function variants(categorySlugs: readonly string[], smoke: boolean): RequestVariant[] {
  const lists: RequestVariant[] = [];
  const filters: (Record<string, unknown> | undefined)[] = [
    undefined,
    ...categorySlugs.map((slug) => ({ categorySlug: slug })),
    { minPrice: 1000, maxPrice: 5000 },
    { maxPrice: 2500 },
    { search: 'a' },
    { search: 'pro' },
  ];
  filters.forEach((filter, i) => {
    const first = [5, 10, 20][i % 3]!;
    lists.push({ label: `ProductList first=${first} ${filter ? JSON.stringify(filter) : 'all'}`, body: JSON.stringify({ query: PRODUCT_LIST, operationName: 'ProductList', variables: { first, filter } }) });
  });
  const details: RequestVariant[] = [];
  for (let n = 3; n <= 240; n += 7) {
    const sku = `SKU-${String(n).padStart(4, '0')}`;
    details.push({ label: `ProductDetail ${sku}`, body: JSON.stringify({ query: PRODUCT_DETAIL, operationName: 'ProductDetail', variables: { sku, reviews: 3 + (n % 5) } }) });
  }
  // Two details for every list, interleaved.
  const mix: RequestVariant[] = [];
  for (let i = 0; i < Math.max(lists.length, details.length / 2); i++) {
    if (lists[i]) mix.push(lists[i]!);
    if (details[2 * i]) mix.push(details[2 * i]!);
    if (details[2 * i + 1]) mix.push(details[2 * i + 1]!);
  }
  return smoke ? mix.slice(0, 9) : mix;
}

/**
 * The store supergraph (schema/supergraph.graphql's subgraphs) on the embedded PostgreSQL, started
 * by the store's own launcher (`STORE_COMPILED=1 npm start`'s: compiled subgraphs) on free ports.
 * Its data folder is kept under bench/results/ so later runs skip initialisation and seeding.
 */
export async function prepareWorkload2(options: { smoke: boolean }): Promise<PreparedWorkload> {
  const dataDir = join(BENCH_DIR, 'results', 'store-data');
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APOLLO_TELEMETRY_DISABLED: '1',
    STORE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ROUTER_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    // The stock gateway and Hive call the subgraphs directly and cannot sign router→subgraph
    // requests, so this run turns signing off on every side (see packages/devstack start.ts).
    ALLOW_UNSIGNED_REQUESTS: 'on',
    // The subgraphs run as production runs them: bundled JavaScript, no TypeScript loader in their
    // process (the launcher builds them first when their sources changed; npm run build:subgraphs).
    STORE_COMPILED: '1',
  };
  const subgraphNames = ['accounts', 'catalog', 'inventory', 'orders', 'payments', 'reviews'];
  for (const name of subgraphNames) env[`${name.toUpperCase()}_PORT`] = String(await freePort());
  const stack = await spawnReady('store (STORE_COMPILED=1 npm start)', process.execPath, ['--import', 'tsx', 'packages/devstack/src/start.ts'], { env, ready: /Press Ctrl-C to stop\./, timeoutMs: 180_000 });
  const stop = async () => {
    if (stack.child.exitCode !== null) return;
    stack.child.kill('SIGINT');
    await new Promise<void>((resolve) => stack.child.once('exit', () => resolve()));
  };
  try {
    const composed = readFileSync(join(dataDir, 'supergraph.graphql'), 'utf8');
    // The launcher tells its own router about the moved ports with SUBGRAPH_<NAME>_URL; the
    // contenders get a supergraph with the real URLs instead (stock and Hive know no such variable).
    const urls = new Map<string, string>();
    for (const name of supergraphUrls(composed).keys()) {
      const port = env[`${name.toUpperCase()}_PORT`];
      if (port) urls.set(name, `http://127.0.0.1:${port}/graphql`);
    }
    const supergraphSdl = withSubgraphUrls(composed, urls);
    const routerUrl = `http://127.0.0.1:${env.ROUTER_PORT}/graphql`;
    const response = await fetch(routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ categories { slug } }' }) });
    const categories = ((await response.json()) as { data: { categories: { slug: string }[] } }).data.categories.map((c) => c.slug);
    return {
      id: 'workload2',
      title: 'Workload 2: the store supergraph on the embedded PostgreSQL (product lists and details, varied variables)',
      supergraphSdl,
      variants: variants(categories, options.smoke),
      oracle: 'stock @apollo/gateway, asked twice before the run (identical answers required)',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
