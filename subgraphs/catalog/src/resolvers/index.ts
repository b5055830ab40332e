import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Product } from './Product.ts';
import { Query } from './Query.ts';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Product,
  ProductConnection: { totalCount: (connection) => connection.totalCount() },
};
