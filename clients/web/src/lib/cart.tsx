import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Money } from './money.ts';

export interface CartLine {
  productId: string;
  name: string;
  unitPrice: Money;
  quantity: number;
}

const STORAGE_KEY = 'store.cart';
const MAX_QUANTITY = 1000;

interface CartContextValue {
  lines: CartLine[];
  count: number;
  add(line: Omit<CartLine, 'quantity'>, quantity: number): void;
  setQuantity(productId: string, quantity: number): void;
  clear(): void;
}

const CartContext = createContext<CartContextValue | null>(null);

function loadCart(): CartLine[] {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as CartLine[];
  } catch {
    return [];
  }
}

/** The cart lives in the browser (localStorage) until an order is placed and paid. */
export function CartProvider({ children }: { children: ReactNode }) {
  const [lines, setLines] = useState<CartLine[]>(loadCart);
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(lines)), [lines]);
  const add = useCallback((line: Omit<CartLine, 'quantity'>, quantity: number) => {
    setLines((current) => {
      const existing = current.find((l) => l.productId === line.productId);
      if (!existing) return [...current, { ...line, quantity: Math.min(quantity, MAX_QUANTITY) }];
      return current.map((l) => (l.productId === line.productId ? { ...l, quantity: Math.min(l.quantity + quantity, MAX_QUANTITY) } : l));
    });
  }, []);
  const setQuantity = useCallback((productId: string, quantity: number) => {
    setLines((current) => (quantity <= 0 ? current.filter((l) => l.productId !== productId) : current.map((l) => (l.productId === productId ? { ...l, quantity: Math.min(quantity, MAX_QUANTITY) } : l))));
  }, []);
  const clear = useCallback(() => setLines([]), []);
  const value = useMemo(() => ({ lines, count: lines.reduce((n, l) => n + l.quantity, 0), add, setQuantity, clear }), [lines, add, setQuantity, clear]);
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartContextValue {
  const value = useContext(CartContext);
  if (!value) throw new Error('useCart outside <CartProvider>');
  return value;
}
