// The floor: no gateway at all. For each request variant it knows in advance which subgraph
// requests the ideal plan makes, stage by stage (recorded once at start-up), and per incoming
// request it only replays those requests over keep-alive connections and returns the known
// answer. What a gateway cannot go below on the same subgraphs.
// Usage: node --import tsx floor.ts <supergraph file> <variants JSON file> <port>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { rootRequire } from '../lib/root.ts';
import { supergraphUrls } from '../lib/supergraph-urls.ts';
import { JsonWriter } from '../../../router/src/executor/json-writer.ts';
import { createPlanExecutor } from '../../../router/src/executor/plan-executor.ts';
import { createSubgraphClient, type SendToSubgraph } from '../../../router/src/executor/subgraph-client.ts';
import { createLogger } from '@store/core';

const { parse } = rootRequire('graphql') as typeof import('graphql');

const [supergraphFile, variantsFile, port] = process.argv.slice(2);
const sdl = readFileSync(supergraphFile!, 'utf8');
const variants = JSON.parse(readFileSync(variantsFile!, 'utf8')) as { body: string }[];
const urls = supergraphUrls(sdl);
const logger = createLogger({ level: 'error' });

interface Recording {
  stages: { service: string; body: string }[][];
  answer: string;
}

// Record: run each variant once through the plan executor with a send() that notes every request.
const client = createSubgraphClient({ urls, timeoutMs: 10_000, logger });
let stages: { service: string; body: string }[][] = [];
let newStage = true;
const recordingSend: SendToSubgraph = async (service, body, context) => {
  if (newStage) stages.push([]);
  newStage = false;
  stages[stages.length - 1]!.push({ service, body });
  const response = await client.send(service, body, context);
  newStage = true;
  return response;
};
const executor = createPlanExecutor({ supergraphSdl: sdl, urls, timeoutMs: 10_000, logger, send: recordingSend });
const recordings = new Map<string, Recording>();
for (const variant of variants) {
  const request = JSON.parse(variant.body) as { query: string; operationName?: string; variables?: Record<string, unknown> };
  stages = [];
  newStage = true;
  const prepared = executor.prepare(variant.body, parse(request.query), request.operationName);
  const result = await executor.execute(prepared, request.variables, {});
  if (result.errors?.length || !result.writeData) throw new Error(`floor: recording failed: ${result.errors?.map((e) => e.message).join('; ')}`);
  const writer = new JsonWriter();
  writer.ascii('{"data":');
  result.writeData(writer);
  writer.ascii('}');
  recordings.set(variant.body, { stages, answer: writer.toString() });
}
await client.close();

// Replay.
const pools = new Map([...urls].map(([name, url]) => [name, { pool: new Pool(new URL(url).origin, { keepAliveTimeout: 30_000 }), path: new URL(url).pathname }]));
const HEADERS = { 'content-type': 'application/json' };
async function replay(recording: Recording): Promise<void> {
  for (const stage of recording.stages) {
    await Promise.all(
      stage.map(async ({ service, body }) => {
        const { pool, path } = pools.get(service)!;
        const response = await pool.request({ path, method: 'POST', headers: HEADERS, body });
        await response.body.text();
      }),
    );
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const recording = recordings.get(Buffer.concat(chunks).toString('utf8'));
    if (!recording) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"the floor only knows the benchmark\'s requests"}]}');
      return;
    }
    replay(recording).then(
      () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(recording.answer) });
        res.end(recording.answer);
      },
      (error: unknown) => res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port ?? 0), '127.0.0.1', () => {
  process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
});
process.on('SIGTERM', () => process.exit(0));
