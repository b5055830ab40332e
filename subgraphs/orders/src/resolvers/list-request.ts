import { clampFirst, decodeCreatedAtCursor } from '@store/subgraph-kit';
import type { OrderListRequest } from '../loaders.ts';

export const DEFAULT_PAGE_SIZE = 10;

/**
 * Validates `orders(first, after)` arguments where they were given, so a bad page size or a
 * forged cursor fails this field with BAD_USER_INPUT, not a connection field below it.
 */
export function orderListRequest(userId: string, first: number | null | undefined, after: string | null | undefined): OrderListRequest {
  return { userId, first: clampFirst(first, DEFAULT_PAGE_SIZE), after: decodeCreatedAtCursor(after) };
}
