import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Product } from './Product.ts';
import { Query } from './Query.ts';
import { Review } from './Review.ts';
import { ReviewConnection } from './ReviewConnection.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { Query, Mutation, Review, Product, User, ReviewConnection };
