import { describe, expect, it } from 'vitest';
import { allocate, holdsSameItems, statusOf, type WarehouseStock } from '../src/reservations.ts';

const stock = (productId: string, code: string, available: number): WarehouseStock => ({ productId, warehouseId: `w-${code}`, code, available });

describe('allocate', () => {
  const levels = [stock('p', 'SIN-1', 10), stock('p', 'AMS-1', 2), stock('p', 'CHI-1', 0), stock('q', 'CHI-1', 4)];

  it('takes each item from warehouses in code order, skipping empty ones', () => {
    expect(allocate([{ productId: 'p', quantity: 5 }], levels)).toEqual({
      ok: true,
      allocations: [
        { productId: 'p', warehouseId: 'w-AMS-1', quantity: 2 },
        { productId: 'p', warehouseId: 'w-SIN-1', quantity: 3 },
      ],
    });
  });

  it('is deterministic whatever order the stock rows come in', () => {
    const items = [
      { productId: 'q', quantity: 4 },
      { productId: 'p', quantity: 12 },
    ];
    expect(allocate(items, [...levels].reverse())).toEqual(allocate(items, levels));
  });

  it('fails the whole request on the first item it cannot cover', () => {
    expect(
      allocate(
        [
          { productId: 'q', quantity: 1 },
          { productId: 'p', quantity: 13 },
        ],
        levels,
      ),
    ).toEqual({ ok: false, productId: 'p', requested: 13, available: 12 });
    expect(allocate([{ productId: 'unknown', quantity: 1 }], levels)).toEqual({ ok: false, productId: 'unknown', requested: 1, available: 0 });
  });
});

describe('statusOf', () => {
  it('is null without rows, else the status the rows share (held units win)', () => {
    expect(statusOf([])).toBeNull();
    expect(statusOf([{ status: 'RELEASED' }, { status: 'RELEASED' }])).toBe('RELEASED');
    expect(statusOf([{ status: 'CONSUMED' }])).toBe('CONSUMED');
    expect(statusOf([{ status: 'RELEASED' }, { status: 'ACTIVE' }])).toBe('ACTIVE');
  });
});

describe('holdsSameItems', () => {
  const rows = [
    { productId: 'p', quantity: 2 },
    { productId: 'p', quantity: 3 },
    { productId: 'q', quantity: 1 },
  ];

  it('compares per-product totals, whatever warehouses they came from', () => {
    expect(
      holdsSameItems(rows, [
        { productId: 'q', quantity: 1 },
        { productId: 'p', quantity: 5 },
      ]),
    ).toBe(true);
    expect(holdsSameItems(rows, [{ productId: 'p', quantity: 5 }])).toBe(false);
    expect(
      holdsSameItems(rows, [
        { productId: 'p', quantity: 4 },
        { productId: 'q', quantity: 1 },
      ]),
    ).toBe(false);
  });
});
