import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRouter {
  url: string;
  /** The `authorization` header of every request, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * A tiny real HTTP stand-in for the router: answers `product(id:)` from `knownProducts`, answers
 * with GraphQL errors for `brokenProduct` (catalog down behind the router), and records who asked.
 */
export function startFakeRouter(knownProducts: ReadonlySet<string>, brokenProduct: string): Promise<FakeRouter> {
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { id: string } };
    authorizations.push(req.headers.authorization);
    const body =
      variables.id === brokenProduct
        ? { data: { product: null }, errors: [{ message: 'catalog is down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }
        : { data: { product: knownProducts.has(variables.id) ? { id: variables.id } : null } };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        authorizations,
        close: () => {
          server.closeAllConnections();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
