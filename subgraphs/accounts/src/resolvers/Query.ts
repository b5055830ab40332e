import { clampFirst, requireRole } from '@store/subgraph-kit';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { QueryResolvers } from '../resolvers-types.generated.ts';
import { decodeUserCursor, encodeUserCursor } from '../user-cursor.ts';

export const Query: QueryResolvers = {
  // A SERVICE identity's `sub` is not a user id; the loader answers null for it.
  me: (_parent, _args, { identity, loaders }) => (identity ? loaders.userById.load(identity.sub) : null),

  user: (_parent, { id }, { loaders }) => loaders.userById.load(id),

  async users(_parent, { first, after }, { identity, db }) {
    requireRole(identity, 'ADMIN');
    const take = clampFirst(first);
    const position = decodeUserCursor(after);
    const where: Prisma.UserWhereInput = position
      ? { OR: [{ createdAt: { gt: position.createdAt } }, { createdAt: position.createdAt, id: { gt: position.id } }] }
      : {};
    const [rows, totalCount] = await Promise.all([
      db.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: take + 1 }),
      db.user.count(),
    ]);
    const page = rows.slice(0, take);
    const last = page.at(-1);
    return {
      edges: page.map((node) => ({ cursor: encodeUserCursor(node), node })),
      pageInfo: { hasNextPage: rows.length > take, endCursor: last ? encodeUserCursor(last) : null },
      totalCount,
    };
  },
};
