import { badUserInput } from '@store/core';
import { decodeCursor, encodeCursor, isUuid } from '@store/subgraph-kit';

/**
 * A position in newest-first order. `createdAt` alone is not unique (orders can share a
 * millisecond), so the id breaks ties, exactly as in `ORDER BY created_at DESC, id DESC`.
 */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

export function encodeOrderCursor(order: OrderCursor): string {
  return encodeCursor(`${order.createdAt.toISOString()}|${order.id}`);
}

/** `null` when absent; BAD_USER_INPUT (field `after`) for anything we did not issue. */
export function decodeOrderCursor(after: string | null | undefined): OrderCursor | null {
  const text = decodeCursor(after);
  if (text === null) return null;
  const [at, id, ...rest] = text.split('|');
  const createdAt = new Date(at ?? '');
  // Round-tripping the timestamp rejects anything that is not exactly what we encoded.
  const valid = rest.length === 0 && id !== undefined && isUuid(id) && !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === at;
  if (!valid) throw badUserInput(`Invalid cursor ${JSON.stringify(after)}.`, { field: 'after' });
  return { createdAt, id };
}

/** A stable string for a cursor, to key per-arguments loaders. */
export function cursorKey(cursor: OrderCursor | null): string {
  return cursor ? `${cursor.createdAt.toISOString()}|${cursor.id}` : '';
}
