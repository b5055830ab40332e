export { createTestDatabase, pgAdminUrl, type TestDatabase } from './database.ts';
export { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, signRequestsTo, type GraphQLRequestOptions, type GraphQLResponse } from './graphql.ts';
export { randomSigningSecret, startSubgraphForTest, type StartSubgraphOptions, type TestRequestSigning, type TestSubgraph } from './subgraph.ts';
export { NO_ANSWER, startFakeRouter, type FakeRouter, type FakeRouterAnswer, type FakeRouterRequest } from './fake-router.ts';
export { redisAnswers, redisTestsEnabled, TEST_REDIS_URL } from './redis.ts';
