// The production configuration's safelist against the subgraphs' own calls through the router:
// orders, payments, inventory and reviews are SERVICE clients of the router, and every document
// their code sends (the exports of their src/router-operations.ts, which the code uses as they are)
// must be one that docker-compose.yml's router lets through — else checkout and reviews break in
// production only. A document no manifest lists is still refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, listSubgraphDirs } from '@store/core';
import { repoRoot } from '@store/db';
import { createRouterClient, createServiceTokenSource, RouterUnavailableError } from '@store/subgraph-kit';
import type { Router } from '../router/src/server.ts';
import { startSafelistRouter } from './support/safelist-router.ts';

interface ServiceOperation {
  subgraph: string;
  exportName: string;
  document: string;
}

/** Every exported string of every subgraph's src/router-operations.ts: what its code sends to the router. */
async function serviceOperations(): Promise<ServiceOperation[]> {
  const operations: ServiceOperation[] = [];
  for (const { name, dir } of listSubgraphDirs(join(repoRoot, 'subgraphs'))) {
    const module = join(dir, 'src', 'router-operations.ts');
    if (!existsSync(module)) continue;
    const exported = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exported)) if (typeof value === 'string') operations.push({ subgraph: name, exportName, document: value });
  }
  return operations;
}

/** A value of the variable's type, enough to get past validation (nothing answers behind the router). */
function sampleValue(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return sampleValue(type.type);
  if (type.kind === Kind.LIST_TYPE) return [sampleValue(type.type)];
  if (type.name.value === 'ID') return '00000000-0000-4000-8000-000000000001';
  throw new Error(`no sample value for type ${type.name.value}: add one here`);
}

function sampleVariables(document: string): Record<string, unknown> {
  const operation = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return Object.fromEntries((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, sampleValue(v.type)]));
}

// The router's environment in docker-compose.yml: the manifests production safelists.
const compose = parseYaml(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: { router: { environment: Record<string, string> } } };
const productionManifests = compose.services.router.environment.PERSISTED_OPERATIONS_MANIFESTS!.split(',').map((file) => join(repoRoot, file.trim()));
const operations = await serviceOperations();
const REFUSALS = ['PERSISTED_QUERY_NOT_IN_LIST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'];

let router: Router;
let url: string;
beforeAll(async () => {
  ({ router, url } = await startSafelistRouter(productionManifests));
});
afterAll(() => router?.stop());

describe("the subgraphs' calls through a router under PERSISTED_OPERATIONS=safelist with production's manifests", () => {
  it('finds the operations of orders, payments, inventory and reviews', () => {
    expect(new Set(operations.map((o) => o.subgraph))).toEqual(new Set(['inventory', 'orders', 'payments', 'reviews']));
  });

  it.each(operations.map((o) => [`${o.subgraph} ${o.exportName}`, o] as const))('%s is let through and valid against the supergraph', async (_label, operation) => {
    // Sent the way the subgraph sends it: its router client, its SERVICE token, the exact document.
    const client = createRouterClient({ routerUrl: url, token: createServiceTokenSource({ service: operation.subgraph, jwtSecret: DEV_JWT_SECRET }) });
    const outcome = await client.request(operation.document, sampleVariables(operation.document), z.unknown()).then(
      () => ({ reason: 'answered', codes: [] as string[] }),
      (error: unknown) => {
        if (!(error instanceof RouterUnavailableError)) throw error;
        return { reason: error.reason, codes: error.errors.map((e) => e.code ?? 'none'), message: error.message };
      },
    );
    // The subgraphs behind are down, so GraphQL errors are expected; a refusal (a 403 or 400, not a
    // GraphQL answer) or a validation error is not.
    expect(outcome).toMatchObject({ reason: expect.stringMatching(/^(answered|graphql-errors)$/) });
    for (const code of REFUSALS) expect(outcome.codes).not.toContain(code);
  });

  it('still refuses a document no manifest lists, such as the old per-count prices query', async () => {
    const unlisted = 'query OrdersPrices($id0: ID!, $id1: ID!) { p0: product(id: $id0) { id price { amount currency } } p1: product(id: $id1) { id price { amount currency } } }';
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await createServiceTokenSource({ service: 'orders', jwtSecret: DEV_JWT_SECRET })()}` },
      body: JSON.stringify({ query: unlisted, variables: { id0: 'a', id1: 'b' } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(response.status).toBe(403);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });
});
