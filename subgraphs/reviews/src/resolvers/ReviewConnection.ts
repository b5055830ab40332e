import { encodeCreatedAtCursor } from '@store/subgraph-kit';
import type { ReviewConnectionResolvers } from '../resolvers-types.generated.ts';

export const ReviewConnection: ReviewConnectionResolvers = {
  async edges(list, _args, { loaders }) {
    const rows = await loaders.reviewPage(list).load(list.ownerId);
    return rows.slice(0, list.first).map((node) => ({ cursor: encodeCreatedAtCursor(node), node }));
  },
  // Same loader and key as `edges`: DataLoader's cache makes this free when both are asked.
  async pageInfo(list, _args, { loaders }) {
    const rows = await loaders.reviewPage(list).load(list.ownerId);
    const last = rows.slice(0, list.first).at(-1);
    return { hasNextPage: rows.length > list.first, endCursor: last ? encodeCreatedAtCursor(last) : null };
  },
  async totalCount(list, _args, { loaders }) {
    switch (list.owner) {
      case 'product':
        return (await loaders.productStats.load(list.ownerId)).count;
      case 'author':
        return loaders.authorReviewCount.load(list.ownerId);
      default:
        throw new Error(`unknown review owner ${list.owner satisfies never}`);
    }
  },
};
