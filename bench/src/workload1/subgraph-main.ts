// One benchmark subgraph in its own process: `node --import tsx subgraph-main.ts <name> [port]`.
// Prints `ready <port>` on stdout once it listens. BENCH_SUBGRAPH_MEMO=0 turns memoised answers off.
import { serveGraphQL } from '../lib/graphql-server.ts';
import { buildWorkload1Schema, WORKLOAD1_SUBGRAPHS, type Workload1Subgraph } from './subgraphs.ts';

const name = process.argv[2] as Workload1Subgraph;
if (!WORKLOAD1_SUBGRAPHS.includes(name)) {
  process.stderr.write(`usage: subgraph-main.ts <${WORKLOAD1_SUBGRAPHS.join('|')}> [port]\n`);
  process.exit(2);
}
const server = await serveGraphQL(buildWorkload1Schema(name), Number(process.argv[3] ?? 0), '127.0.0.1', process.env.BENCH_SUBGRAPH_MEMO !== '0');
process.stdout.write(`ready ${server.port}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
