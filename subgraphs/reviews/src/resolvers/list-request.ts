import { clampFirst, decodeCreatedAtCursor } from '@store/subgraph-kit';
import type { ReviewListRequest, ReviewOwner } from '../loaders.ts';

/**
 * Validates `reviews(first, after)` arguments where they were given, so a bad page size or a
 * forged cursor fails this field with BAD_USER_INPUT, not a connection field below it.
 */
export function reviewListRequest(owner: ReviewOwner, ownerId: string, first: number | null | undefined, after: string | null | undefined, defaultSize: number): ReviewListRequest {
  return { owner, ownerId, first: clampFirst(first, defaultSize), after: decodeCreatedAtCursor(after) };
}
