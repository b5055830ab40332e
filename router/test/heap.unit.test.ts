import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../src/heap.ts';

describe('limitHeapGrowth', () => {
  it("leaves an operator's own --heap-growing-percent alone (command line or NODE_OPTIONS)", () => {
    expect(limitHeapGrowth(['--heap-growing-percent=80'], '')).toBe(false);
    expect(limitHeapGrowth([], '--max-old-space-size=512 --heap_growing_percent=80')).toBe(false);
  });

  it('sets it otherwise', () => {
    expect(limitHeapGrowth(['--enable-source-maps'], '--max-old-space-size=512')).toBe(true);
  });
});
