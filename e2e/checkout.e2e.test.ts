import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql } from '@store/testkit';
import { startStack, type Stack } from './stack.ts';

// The checkout journey through the one endpoint, every part real: sign up, log in, place an
// order (prices fetched by orders through the router), pay (payments reads the order and marks
// it paid through the router), then read it all back as the customer.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables?: Record<string, unknown>, token?: string) =>
  graphql(stack.routerUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});

const APPROVED = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2035, cvc: '123' };
const DECLINED = { number: '4000 0000 0000 0002', expMonth: 12, expYear: 2035, cvc: '123' };

async function newCustomer(label: string): Promise<string> {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const signUp = await q('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', { i: { email, name: `Shopper ${label}`, password: 'correct horse battery' } });
  expect(signUp.errors).toBeUndefined();
  const logIn = await q('mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: 'correct horse battery' });
  return logIn.data!.logIn.token;
}

async function inStockProducts(count: number): Promise<{ id: string; price: { amount: number } }[]> {
  const res = await q('{ products(first: 40) { edges { node { id inStock price { amount } } } } }');
  return res.data!.products.edges.map((e: any) => e.node).filter((p: any) => p.inStock).slice(0, count);
}

const PLACE = 'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status total { amount currency } items { quantity unitPrice { amount } product { id } } } }';
const PAY = 'mutation($i: PayOrderInput!) { payOrder(input: $i) { id status amount { amount } declineReason } }';

describe('checkout through the router', () => {
  it('sign up → log in → place an order → pay with the approved card → see it paid', async () => {
    const token = await newCustomer('happy');
    const [a, b] = await inStockProducts(2);
    const placed = await q(PLACE, { i: { items: [{ productId: a!.id, quantity: 2 }, { productId: b!.id, quantity: 1 }] } }, token);
    expect(placed.errors).toBeUndefined();
    const order = placed.data!.placeOrder;
    expect(order.status).toBe('PENDING');
    expect(order.total.amount).toBe(2 * a!.price.amount + b!.price.amount);

    const paid = await q(PAY, { i: { orderId: order.id, card: APPROVED, idempotencyKey: `pay-${order.id}` } }, token);
    expect(paid.errors).toBeUndefined();
    expect(paid.data!.payOrder).toMatchObject({ status: 'APPROVED', amount: { amount: order.total.amount } });

    const again = await q(PAY, { i: { orderId: order.id, card: APPROVED, idempotencyKey: `pay-${order.id}` } }, token);
    expect(again.data!.payOrder.id).toBe(paid.data!.payOrder.id);

    const me = await q('{ me { orders(first: 5) { edges { node { id status items { product { name inStock } } payment { id status } } } } } }', {}, token);
    expect(me.errors).toBeUndefined();
    const mine = me.data!.me.orders.edges.map((e: any) => e.node);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: order.id, status: 'PAID', payment: { id: paid.data!.payOrder.id, status: 'APPROVED' } });
    for (const item of mine[0].items) expect(item.product).toEqual({ name: expect.any(String), inStock: expect.any(Boolean) });
  });

  it('a declined card leaves the order unpaid; another customer cannot read or pay it', async () => {
    const token = await newCustomer('declined');
    const [a] = await inStockProducts(1);
    const order = (await q(PLACE, { i: { items: [{ productId: a!.id, quantity: 1 }] } }, token)).data!.placeOrder;
    const declined = await q(PAY, { i: { orderId: order.id, card: DECLINED, idempotencyKey: `decline-${order.id}` } }, token);
    expect(declined.data!.payOrder.status).toBe('DECLINED');
    const read = await q('query($id: ID!) { order(id: $id) { status payment { status } } }', { id: order.id }, token);
    expect(read.data!.order).toEqual({ status: 'PENDING', payment: { status: 'DECLINED' } });

    const stranger = await newCustomer('stranger');
    const peek = await q('query($id: ID!) { order(id: $id) { id total { amount } } }', { id: order.id }, stranger);
    expect(peek.data?.order ?? null).toBeNull();
    expect(errorCodes(peek).every((code) => code === 'FORBIDDEN')).toBe(true);
    const steal = await q(PAY, { i: { orderId: order.id, card: APPROVED, idempotencyKey: `steal-${order.id}` } }, stranger);
    expect(errorCodes(steal)).toEqual(['FORBIDDEN']);
  });

  it('without a token only public data is served', async () => {
    const pub = await q('{ products(first: 2) { edges { node { name inStock shippingEstimate { amount } } } } }');
    expect(pub.errors).toBeUndefined();
    // The router removes what needs a caller (@authenticated, @requiresScopes) before any subgraph sees it.
    expect(errorCodes(await q('{ me { id } myOrders { totalCount } }'))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE', 'UNAUTHORIZED_FIELD_OR_TYPE']);
    const [a] = await inStockProducts(1);
    expect(errorCodes(await q(PLACE, { i: { items: [{ productId: a!.id, quantity: 1 }] } }))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('rejects a negative quantity and an unknown product with stable codes', async () => {
    const token = await newCustomer('bad');
    const [a] = await inStockProducts(1);
    expect(errorCodes(await q(PLACE, { i: { items: [{ productId: a!.id, quantity: -1 }] } }, token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q(PLACE, { i: { items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] } }, token))).toEqual(['BAD_USER_INPUT']);
    const me = await q('{ me { orders(first: 5) { totalCount } } }', {}, token);
    expect(me.data!.me.orders.totalCount).toBe(0);
  });
});
