import { describe, expect, it } from 'vitest';
import { MAX_PREPARED_STATEMENTS, preparedStatementNames } from '../src/prisma.ts';

describe('preparedStatementNames', () => {
  it('names each distinct SQL text once, the same text always the same name', () => {
    const name = preparedStatementNames();
    const a = name({ sql: 'SELECT 1' });
    const b = name({ sql: 'SELECT 2' });
    expect(a).toEqual(expect.any(String));
    expect(b).not.toBe(a);
    expect(name({ sql: 'SELECT 1' })).toBe(a);
    // Each client has its own names (pg prepares per connection; names only need to be unique per text).
    expect(preparedStatementNames()({ sql: 'SELECT 2' })).toEqual(expect.any(String));
  });

  it('stops naming new texts past the bound (they run unnamed), and keeps the names it gave', () => {
    const name = preparedStatementNames();
    const first = name({ sql: 'SELECT 0' });
    for (let i = 1; i < MAX_PREPARED_STATEMENTS; i++) expect(name({ sql: `SELECT ${i}` })).toEqual(expect.any(String));
    expect(name({ sql: 'SELECT past the bound' })).toBeUndefined();
    expect(name({ sql: 'SELECT 0' })).toBe(first);
  });
});
