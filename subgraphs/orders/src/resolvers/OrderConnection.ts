import { encodeCreatedAtCursor } from '@store/subgraph-kit';
import type { OrderConnectionResolvers } from '../resolvers-types.generated.ts';

export const OrderConnection: OrderConnectionResolvers = {
  async edges(list, _args, { loaders }) {
    const rows = await loaders.orderPage(list).load(list.userId);
    return rows.slice(0, list.first).map((node) => ({ cursor: encodeCreatedAtCursor(node), node }));
  },
  // Same loader and key as `edges`: DataLoader's cache makes this free when both are asked.
  async pageInfo(list, _args, { loaders }) {
    const rows = await loaders.orderPage(list).load(list.userId);
    const last = rows.slice(0, list.first).at(-1);
    return { hasNextPage: rows.length > list.first, endCursor: last ? encodeCreatedAtCursor(last) : null };
  },
  totalCount: (list, _args, { loaders }) => loaders.userOrderCount.load(list.userId),
};
