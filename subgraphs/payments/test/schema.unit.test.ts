import { composeServices } from '@apollo/composition';
import { parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSubgraphSdl } from '@store/subgraph-kit';

const SUBGRAPH_DIR = new URL('..', import.meta.url).pathname;

// The payments SDL on its own composes, and the provider's reference stays out of what clients see.
describe('payments schema', () => {
  const composed = composeServices([{ name: 'payments', url: 'http://127.0.0.1:4006/graphql', typeDefs: parse(loadSubgraphSdl(SUBGRAPH_DIR).sdl) }]);

  it('composes without errors', () => {
    expect(composed.errors).toBeUndefined();
  });

  it('keeps Payment.providerReference in the supergraph but out of the API schema', () => {
    if (composed.errors) throw composed.errors[0];
    expect(composed.supergraphSdl).toMatch(/providerReference: String @inaccessible/);
    const api = composed.schema.toAPISchema().toGraphQLJSSchema();
    const payment = api.getType('Payment') as GraphQLObjectType;
    expect(Object.keys(payment.getFields()).sort()).toEqual(['amount', 'card', 'createdAt', 'declineReason', 'id', 'method', 'order', 'status']);
  });
});
