import type { Resolvers } from '../resolvers-types.generated.ts';
import { Mutation } from './Mutation.ts';
import { Product } from './Product.ts';
import { Query } from './Query.ts';
import { Reservation } from './Reservation.ts';
import { ReservedItem } from './ReservedItem.ts';
import { StockLevel } from './StockLevel.ts';
import { Warehouse } from './Warehouse.ts';

export const resolvers: Resolvers = { Query, Mutation, Product, Warehouse, StockLevel, Reservation, ReservedItem };
