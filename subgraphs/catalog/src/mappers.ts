// GraphQL types backed by Prisma rows (codegen `mappers`): resolvers return rows, field
// resolvers shape them.
import type { Category, Product } from '../generated/prisma/client.ts';

export type ProductMapper = Product;
export type CategoryMapper = Category;
