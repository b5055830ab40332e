import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { Payment } from './Payment.ts';
import { Query } from './Query.ts';

export const resolvers: Resolvers = { Query, Mutation, Payment, Order };
