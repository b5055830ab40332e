import { describe, expect, it, vi } from 'vitest';
import { createLoaders } from '../src/context.ts';

describe('userById loader', () => {
  it('answers N lookups with one query, skipping malformed ids and keeping the order', async () => {
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
    const findMany = vi.fn(async () => [{ id: ids[1] }, { id: ids[0] }]);
    const loaders = createLoaders({ user: { findMany } } as any);
    const result = await Promise.all([...ids, 'not-a-uuid', ids[0]!.toUpperCase()].map((id) => loaders.userById.load(id)));
    expect(findMany).toHaveBeenCalledTimes(1);
    expect((findMany.mock.calls[0] as any[])[0].where.id.in).not.toContain('not-a-uuid');
    expect(result.map((u) => u?.id ?? null)).toEqual([ids[0], ids[1], null, null, ids[0]]);
  });

  it('does not query at all when every id is malformed', async () => {
    const findMany = vi.fn(async () => []);
    const loaders = createLoaders({ user: { findMany } } as any);
    expect(await loaders.userById.loadMany(['x', 'y'])).toEqual([null, null]);
    expect(findMany).not.toHaveBeenCalled();
  });
});
