import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One GraphQL request the fake router received. */
export interface FakeRouterRequest {
  query: string;
  variables: Record<string, unknown>;
  /** The `authorization` header, as sent. */
  authorization: string | undefined;
}

/** Return this from an answer function to leave the request hanging (a router that never answers). */
export const NO_ANSWER: unique symbol = Symbol('no answer');

/** The JSON body to answer a request with (HTTP 200), or `NO_ANSWER`. */
export type FakeRouterAnswer = (request: FakeRouterRequest) => unknown;

export interface FakeRouter {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:PORT/graphql`. */
  url: string;
  /** Every request, in order (tests may reset it with `requests.length = 0`). */
  requests: FakeRouterRequest[];
  /** Closes the server, dropping hanging requests. */
  close(): Promise<void>;
}

/**
 * A tiny real HTTP stand-in for the router, on an ephemeral port: records every request, then
 * answers it with what `answer` returns, as JSON with status 200. For testing code that calls
 * other subgraphs through the router without starting them.
 */
export function startFakeRouter(answer: FakeRouterAnswer): Promise<FakeRouter> {
  const requests: FakeRouterRequest[] = [];
  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
    const request: FakeRouterRequest = { query, variables: variables ?? {}, authorization: req.headers.authorization };
    requests.push(request);
    const body = await answer(request);
    if (body === NO_ANSWER) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      // A broken answer function fails the caller's request loudly instead of hanging it.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake router: ${(error as Error).message}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        requests,
        close: () => {
          server.closeAllConnections();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
