export { createTestDatabase, pgAdminUrl, type TestDatabase } from './database.ts';
export { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, type GraphQLResponse } from './graphql.ts';
export { startSubgraphForTest, type TestSubgraph } from './subgraph.ts';
