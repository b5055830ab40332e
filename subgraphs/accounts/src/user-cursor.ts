// `users` pages in sign-up order. The position is (createdAt, id): createdAt alone is not unique.
import { badUserInput } from '@store/core';
import { decodeCursor, encodeCursor, isUuid } from '@store/subgraph-kit';

export interface UserPosition {
  createdAt: Date;
  id: string;
}

export function encodeUserCursor(user: UserPosition): string {
  return encodeCursor(`${user.createdAt.toISOString()}|${user.id}`);
}

/** The position after which the page starts, `null` for the first page; BAD_USER_INPUT when forged. */
export function decodeUserCursor(after: string | null | undefined): UserPosition | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [at, id, ...rest] = key.split('|');
  const createdAt = new Date(at ?? '');
  const valid = rest.length === 0 && id !== undefined && isUuid(id) && !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === at;
  if (!valid) throw badUserInput(`Invalid cursor ${JSON.stringify(after)}.`, { field: 'after' });
  return { createdAt, id: id.toLowerCase() };
}
