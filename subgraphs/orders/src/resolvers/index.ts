import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { OrderConnection } from './OrderConnection.ts';
import { OrderItem } from './OrderItem.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { Query, Mutation, Order, OrderItem, OrderConnection, User };
