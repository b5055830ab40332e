import { describe, expect, it } from 'vitest';
import { createdAtCursorKey, decodeCreatedAtCursor, encodeCreatedAtCursor, encodeCursor } from '../src/pagination.ts';

const row = { createdAt: new Date('2026-06-01T12:34:56.789Z'), id: '0a1b2c3d-0000-4000-8000-00000000beef' };

describe('createdAt + id cursors', () => {
  it('round-trip a position, and are absent for no cursor', () => {
    expect(decodeCreatedAtCursor(encodeCreatedAtCursor(row))).toEqual(row);
    expect(decodeCreatedAtCursor(null)).toBeNull();
    expect(decodeCreatedAtCursor(undefined)).toBeNull();
  });

  it.each([
    ['not ours', 'bm9wZQ'],
    ['a bad timestamp', encodeCursor(`2026-06-01|${row.id}`)],
    ['a bad id', encodeCursor(`${row.createdAt.toISOString()}|42`)],
    ['extra parts', encodeCursor(`${row.createdAt.toISOString()}|${row.id}|x`)],
  ])('reject %s with BAD_USER_INPUT on `after`', (_label, cursor) => {
    expect(() => decodeCreatedAtCursor(cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
  });

  it('key loaders by position', () => {
    expect(createdAtCursorKey(row)).toBe(`2026-06-01T12:34:56.789Z|${row.id}`);
    expect(createdAtCursorKey(null)).toBe('');
  });
});
