import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLHandler, createHttpServer, listen, type RunningServer } from '@store/core';
import { createRouterErrorFormatter } from '../src/errors.ts';
import { createRouter, type Router } from '../src/server.ts';
import { DIFFERENTIAL_GRAPHS, type DifferentialGraph } from './fixtures/differential/index.ts';
import { composeSupergraph, DEV_KEY, quietLogger } from './support/test-graph.ts';

// The router's executor against stock @apollo/gateway, both real and over HTTP, on the same
// subgraphs: every operation must give identical `data` (same JSON, key order included) and
// equivalent errors (message and path, in any order), in `errors` and in the gateway's
// `extensions.valueCompletion`. Each operation is sent to the router twice: the first answer comes
// through Apollo Server, the next through the router's fast path. A graph stock refuses to load
// (`stockRefuses`) is checked against its operations' spec answers (`expected`) alone.

interface Answer {
  status: number;
  data: string;
  errors: string[];
  valueCompletion: string[];
}

async function serve(apollo: ApolloServer<BaseContext>): Promise<RunningServer> {
  await apollo.start();
  const handler = createGraphQLHandler<BaseContext>({ apollo, logger: quietLogger, context: async () => ({}) });
  return listen(createHttpServer(handler), 0, '127.0.0.1');
}

function errorKeys(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { message?: string; path?: unknown }) => JSON.stringify({ message: e.message, path: e.path ?? null })).sort();
}

async function ask(url: string, operation: DifferentialGraph['operations'][number]): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: operation.query, variables: operation.variables, operationName: operation.operationName }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown; extensions?: { valueCompletion?: unknown } };
  return { status: response.status, data: JSON.stringify(body.data), errors: errorKeys(body.errors), valueCompletion: errorKeys(body.extensions?.valueCompletion) };
}

for (const graph of DIFFERENTIAL_GRAPHS) {
  describe(`differential: ${graph.name}`, () => {
    const stops: (() => Promise<void>)[] = [];
    let stockUrl: string;
    let routerUrl: string;

    beforeAll(async () => {
      const services = [];
      for (const subgraph of graph.subgraphs) {
        const typeDefs = parse(subgraph.typeDefs);
        const apollo = new ApolloServer<BaseContext>({
          schema: buildSubgraphSchema({ typeDefs, resolvers: subgraph.resolvers as never }),
          stopOnTerminationSignals: false,
          plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
        });
        const running = await serve(apollo);
        stops.push(async () => {
          await apollo.stop();
          await running.close(1_000);
        });
        services.push({ name: subgraph.name, typeDefs, url: `${running.url}/graphql` });
      }
      const supergraphSdl = composeSupergraph(services);

      if (graph.stockRefuses) {
        // Documented: stock cannot load this supergraph (see the graph's `why`).
        await expect(new ApolloGateway({ supergraphSdl }).load()).rejects.toThrow(graph.stockRefuses.message);
      } else {
        // Stock: the gateway with Apollo Server defaults, and the router's own error formatting so
        // that both mask the same way.
        const stock = new ApolloServer<BaseContext>({
          gateway: new ApolloGateway({ supergraphSdl }),
          formatError: createRouterErrorFormatter(quietLogger),
          includeStacktraceInErrorResponses: false,
          stopOnTerminationSignals: false,
          plugins: [ApolloServerPluginLandingPageDisabled()],
        });
        const stockServer = await serve(stock);
        stops.push(async () => {
          await stock.stop();
          await stockServer.close(1_000);
        });
        stockUrl = `${stockServer.url}/graphql`;
      }

      const router: Router = await createRouter({ supergraphSdl, logger: quietLogger, verifyingKey: DEV_KEY, introspection: true });
      const running = await router.listen(0);
      stops.push(() => router.stop());
      routerUrl = `${running.url}/graphql`;
    });
    afterAll(async () => {
      for (const stop of stops.reverse()) await stop();
    });

    for (const operation of graph.operations) {
      it(operation.name, async () => {
        const stock = graph.stockRefuses ? null : await ask(stockUrl, operation);
        const first = await ask(routerUrl, operation);
        const second = await ask(routerUrl, operation);
        if (operation.expected) {
          for (const answer of [first, second]) {
            expect(JSON.parse(answer.data ?? 'null')).toEqual(operation.expected.data);
            if (operation.expected.errors !== undefined) expect(answer.errors.length > 0).toBe(operation.expected.errors);
            if (operation.expected.errorList) expect(answer.errors).toEqual(errorKeys(operation.expected.errorList));
          }
        }
        if (!stock) {
          // Stock refuses the supergraph: the spec answer (required) is the check, on both paths.
          expect(operation.expected).toBeDefined();
          expect(second).toEqual(first);
          return;
        }
        if (operation.expected) {
          if (operation.stockDataIsWrong) {
            // Documented: stock answers other data than the spec (see `stockDataIsWrong`).
            expect(JSON.parse(stock.data ?? 'null')).not.toEqual(operation.expected.data);
            return;
          }
        }
        const wrong = operation.stockIsWrong;
        if (wrong) {
          // Documented: stock is wrong by the spec here, the router right (see the fixture's `why`).
          expect(stock.errors).toEqual(errorKeys(wrong.stockErrors));
          expect(first.errors).toEqual(errorKeys(wrong.routerErrors));
        }
        const expected = wrong ? { ...stock, errors: errorKeys(wrong.routerErrors) } : stock;
        expect(first).toEqual(expected);
        expect(second).toEqual(expected);
      });
    }
  });
}
