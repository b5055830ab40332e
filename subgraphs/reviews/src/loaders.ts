import DataLoader from 'dataloader';
import { createdAtCursorKey, isUuid, type CreatedAtCursor } from '@store/subgraph-kit';
import { Prisma, type PrismaClient, type Review } from '../generated/prisma/client.ts';

/** Whose reviews a list holds: a product's, or an author's. */
export type ReviewOwner = 'product' | 'author';

/** One `reviews(first, after)` field on one product or user. */
export interface ReviewListRequest {
  owner: ReviewOwner;
  ownerId: string;
  first: number;
  after: CreatedAtCursor | null;
}

export interface ProductReviewStats {
  count: number;
  /** `null` when the product has no reviews. */
  average: number | null;
}

// Column names cannot be bind parameters; these come from a closed union, never from input.
const OWNER_COLUMN: Record<ReviewOwner, Prisma.Sql> = {
  product: Prisma.raw('product_id'),
  author: Prisma.raw('author_id'),
};

/**
 * Up to `limit` newest reviews of every owner in `ids`, after `after`: one statement for any
 * number of owners (a window function ranks each owner's reviews; the outer query keeps the top).
 */
async function newestReviewsOf(db: PrismaClient, owner: ReviewOwner, ids: string[], limit: number, after: CreatedAtCursor | null): Promise<Review[]> {
  const column = OWNER_COLUMN[owner];
  const afterClause = after ? Prisma.sql`AND (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  return db.$queryRaw<Review[]>`
    SELECT id, product_id AS "productId", author_id AS "authorId", rating, body, created_at AS "createdAt"
    FROM (
      SELECT *, row_number() OVER (PARTITION BY ${column} ORDER BY created_at DESC, id DESC) AS position
      FROM reviews
      WHERE ${column} = ANY(${ids}::uuid[]) ${afterClause}
    ) ranked
    WHERE position <= ${limit}
    ORDER BY created_at DESC, id DESC`;
}

/** Groups rows by `key`, keeping their order, in the order of `ids` (DataLoader's contract). */
function groupInOrder<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = key(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return ids.map((id) => groups.get(id) ?? []);
}

/**
 * Per-request loaders. However many products or users one `_entities` call resolves, each kind
 * of data is one SQL statement: reviews by id, one page query per distinct (first, after), one
 * aggregate for product counts and averages, one for author counts. Ids that are not UUIDs cannot
 * exist in a uuid column, so they are answered without asking PostgreSQL (which would reject them).
 */
export function createLoaders(db: PrismaClient) {
  const reviewById = new DataLoader<string, Review | null>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length ? await db.review.findMany({ where: { id: { in: wanted } } }) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

  // `averageRating`, `reviewCount` and a product connection's `totalCount` share this one.
  const productStats = new DataLoader<string, ProductReviewStats>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length
      ? await db.review.groupBy({ by: ['productId'], where: { productId: { in: wanted } }, _avg: { rating: true }, _count: { _all: true } })
      : [];
    const found = new Map(rows.map((row) => [row.productId, { count: row._count._all, average: row._avg.rating }]));
    return ids.map((id) => found.get(id) ?? { count: 0, average: null });
  });

  const authorReviewCount = new DataLoader<string, number>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows = wanted.length ? await db.review.groupBy({ by: ['authorId'], where: { authorId: { in: wanted } }, _count: { _all: true } }) : [];
    const found = new Map(rows.map((row) => [row.authorId, row._count._all]));
    return ids.map((id) => found.get(id) ?? 0);
  });

  // Owners asking for the same (first, after) batch together; different arguments cannot share
  // a LIMIT, so each combination gets its own loader (and its own statement).
  const pageLoaders = new Map<string, DataLoader<string, Review[]>>();
  const reviewPage = ({ owner, first, after }: Omit<ReviewListRequest, 'ownerId'>) => {
    const key = `${owner}|${first}|${createdAtCursorKey(after)}`;
    let loader = pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, Review[]>(async (ids) => {
        const wanted = ids.filter(isUuid);
        // One row more than the page tells whether there is a next page.
        const rows = wanted.length ? await newestReviewsOf(db, owner, wanted, first + 1, after) : [];
        return groupInOrder(ids, rows, (row) => (owner === 'product' ? row.productId : row.authorId));
      });
      pageLoaders.set(key, loader);
    }
    return loader;
  };

  return { reviewById, productStats, authorReviewCount, reviewPage };
}

export type Loaders = ReturnType<typeof createLoaders>;
