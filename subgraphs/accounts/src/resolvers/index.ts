import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { Query, Mutation, User };
