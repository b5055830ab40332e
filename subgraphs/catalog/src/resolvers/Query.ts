import { badUserInput } from '@store/core';
import { clampFirst, decodeCursor, encodeCursor, isUuid } from '@store/subgraph-kit';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { QueryResolvers } from '../resolvers-types.generated.ts';

/** `filter.ids` takes at most this many: one page (`first` is at most 100 too). */
export const MAX_FILTER_IDS = 100;

/** The ids that can name a product: a malformed one matches nothing (PostgreSQL would refuse it as a uuid). */
function knownIdShapes(ids: readonly string[]): string[] {
  if (ids.length > MAX_FILTER_IDS) {
    throw badUserInput(`"filter.ids" takes at most ${MAX_FILTER_IDS} ids; got ${ids.length}. Ask for them in several requests.`, { field: 'filter.ids' });
  }
  return ids.filter(isUuid);
}

export const Query: QueryResolvers = {
  async products(_parent, { filter, first, after }, { db }) {
    const take = clampFirst(first);
    const where: Prisma.ProductWhereInput = {};
    if (filter?.ids != null) where.id = { in: knownIdShapes(filter.ids) };
    if (filter?.categoryId) where.categoryId = filter.categoryId;
    if (filter?.categorySlug) where.category = { slug: filter.categorySlug };
    if (filter?.search) {
      const contains = filter.search;
      where.OR = [
        { name: { contains, mode: 'insensitive' } },
        { sku: { contains, mode: 'insensitive' } },
        { description: { contains, mode: 'insensitive' } },
      ];
    }
    if (filter?.minPrice != null || filter?.maxPrice != null) {
      if (filter.minPrice != null && filter.maxPrice != null && filter.minPrice > filter.maxPrice) {
        throw badUserInput('"minPrice" must not exceed "maxPrice".', { field: 'filter.minPrice' });
      }
      where.priceAmount = { ...(filter.minPrice != null && { gte: filter.minPrice }), ...(filter.maxPrice != null && { lte: filter.maxPrice }) };
    }
    const afterSku = decodeCursor(after);
    const rows = await db.product.findMany({
      where: afterSku === null ? where : { AND: [where, { sku: { gt: afterSku } }] },
      orderBy: { sku: 'asc' },
      take: take + 1,
    });
    const page = rows.slice(0, take);
    return {
      edges: page.map((node) => ({ cursor: encodeCursor(node.sku), node })),
      pageInfo: { hasNextPage: rows.length > take, endCursor: page.length ? encodeCursor(page.at(-1)!.sku) : null },
      totalCount: () => db.product.count({ where }),
    };
  },

  async product(_parent, { id, sku }, { loaders }) {
    if ((id == null) === (sku == null)) throw badUserInput('Pass exactly one of "id" or "sku".', { field: id == null ? 'id' : 'sku' });
    return id != null ? loaders.productById.load(id) : loaders.productBySku.load(sku!);
  },

  async categories(_parent, _args, { db }) {
    return db.category.findMany({ orderBy: { name: 'asc' } });
  },
};
