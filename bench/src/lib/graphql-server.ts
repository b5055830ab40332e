import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { rootRequire } from './root.ts';

const { execute, parse, validate } = rootRequire('graphql') as typeof import('graphql');

export interface GraphQLServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

type Prepared = { ok: true; document: DocumentNode } | { ok: false; errors: readonly GraphQLError[] };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A plain GraphQL-over-HTTP server for benchmark subgraphs: graphql-js `execute` on a schema,
 * each distinct query parsed and validated once. `GET /__stats` reports how many GraphQL requests
 * it served (the benchmark's "subgraph requests per operation"); `POST /__stats/reset` zeroes it.
 *
 * With `memoise`, the answer to a request body seen before is sent again without executing it:
 * the data never changes, so the answer is the same, and the benchmark then measures the gateways
 * rather than graphql-js in the subgraphs (the public benchmark's subgraphs are Rust for the same
 * reason). A gateway that sends different inputs (say, a `@requires` field missing) still gets its
 * request executed, and its wrong answer caught.
 */
export async function serveGraphQL(schema: GraphQLSchema, port = 0, host = '127.0.0.1', memoise = false): Promise<GraphQLServer> {
  const documents = new Map<string, Prepared>();
  const answers = new Map<string, string>();
  let requests = 0;
  const prepare = (query: string): Prepared => {
    let prepared = documents.get(query);
    if (prepared) return prepared;
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      prepared = errors.length ? { ok: false, errors } : { ok: true, document };
    } catch (error) {
      prepared = { ok: false, errors: [error as GraphQLError] };
    }
    if (documents.size < 1_000) documents.set(query, prepared);
    return prepared;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/__stats') {
      if (req.method === 'POST') requests = 0;
      return send(res, 200, { requests });
    }
    if (path === '/ready' || path === '/health') return send(res, 200, { status: 'ready' });
    if (path !== '/graphql' || req.method !== 'POST') return send(res, 404, { error: 'not found' });
    requests++;
    const text = await readBody(req);
    const known = memoise ? answers.get(text) : undefined;
    if (known !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(known) });
      res.end(known);
      return;
    }
    let body: { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, 400, { errors: [{ message: 'Malformed JSON body' }] });
    }
    if (typeof body.query !== 'string') return send(res, 400, { errors: [{ message: 'Missing query' }] });
    const prepared = prepare(body.query);
    if (!prepared.ok) return send(res, 400, { errors: prepared.errors.map((e) => ({ message: e.message })) });
    const result = await execute({ schema, document: prepared.document, variableValues: body.variables ?? {}, operationName: body.operationName ?? null });
    if (memoise && answers.size < 10_000) answers.set(text, JSON.stringify(result));
    send(res, 200, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: (error as Error).message }] });
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
