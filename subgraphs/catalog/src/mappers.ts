// GraphQL types backed by Prisma rows (codegen `mappers`): resolvers return rows, field
// resolvers shape them.
import type { Category, Product } from '../generated/prisma/client.ts';

export type ProductMapper = Product;
export type CategoryMapper = Category;

/** A page of products; the total is counted only when a client asks for it. */
export interface ProductConnectionMapper {
  edges: { cursor: string; node: Product }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}
