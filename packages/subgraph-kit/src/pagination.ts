import { badUserInput } from '@store/core';

/** Relay-style connection arguments. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

/** Validates `first`: 1..100 (default 20). */
export function clampFirst(first: number | null | undefined, defaultSize = 20): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}; got ${first}.`, { field: 'first' });
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the row's position key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`c:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c:')) throw badUserInput(`Invalid cursor ${JSON.stringify(cursor)}.`, { field: 'after' });
  return text.slice(2);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for a syntactically valid UUID; ids that are not cannot exist in a `@db.Uuid` column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A position in newest-first (`ORDER BY created_at DESC, id DESC`) or oldest-first order.
 * `createdAt` alone is not unique (rows can share a millisecond), so the id breaks ties.
 */
export interface CreatedAtCursor {
  createdAt: Date;
  id: string;
}

export function encodeCreatedAtCursor(row: CreatedAtCursor): string {
  return encodeCursor(createdAtCursorKey(row));
}

/** `null` when absent; BAD_USER_INPUT (field `after`) for anything we did not issue. */
export function decodeCreatedAtCursor(after: string | null | undefined): CreatedAtCursor | null {
  const text = decodeCursor(after);
  if (text === null) return null;
  const [at, id, ...rest] = text.split('|');
  const createdAt = new Date(at ?? '');
  // Round-tripping the timestamp rejects anything that is not exactly what we encoded.
  const valid = rest.length === 0 && id !== undefined && isUuid(id) && !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === at;
  if (!valid) throw badUserInput(`Invalid cursor ${JSON.stringify(after)}.`, { field: 'after' });
  return { createdAt, id };
}

/** A stable string for a cursor (`''` for none), to key per-arguments loaders. */
export function createdAtCursorKey(cursor: CreatedAtCursor | null): string {
  return cursor ? `${cursor.createdAt.toISOString()}|${cursor.id}` : '';
}
