import { isUuid, requireIdentity, requireRole } from '@store/subgraph-kit';
import { Prisma, type Order } from '../../generated/prisma/client.ts';
import { requireOrderOwnerOrAdmin } from '../access.ts';
import type { SubgraphContext } from '../context.ts';
import {
  cancelledOrderCannotBePaid,
  catalogUnavailable,
  invalidId,
  inventoryUnavailable,
  notCancellable,
  onlyUserAccounts,
  orderNotFound,
  paidByAnotherPayment,
  paymentUsedElsewhere,
} from '../errors.ts';
import { InventoryUnavailableError } from '../inventory.ts';
import { PriceListUnavailableError, type CatalogPrice } from '../price-list.ts';
import { checkOrderLines, priceOrder } from '../pricing.ts';
import type { MutationResolvers } from '../resolvers-types.generated.ts';

async function currentPrices(ctx: SubgraphContext, productIds: string[]): Promise<Map<string, CatalogPrice | null>> {
  try {
    return await ctx.priceList.pricesOf(productIds);
  } catch (error) {
    if (!(error instanceof PriceListUnavailableError)) throw error;
    // The client sees a stable code; the reason (host, status, router errors) stays in the log.
    ctx.logger.warn('price lookup failed', { error, productIds });
    throw catalogUnavailable();
  }
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/**
 * PENDING → PAID in one conditional statement, so two concurrent calls cannot both pay an order.
 * `null` when the order is not PENDING (or does not exist): the caller looks at why.
 */
async function payIfPending(ctx: SubgraphContext, orderId: string, paymentId: string): Promise<Order | null> {
  try {
    const [paid] = await ctx.db.order.updateManyAndReturn({ where: { id: orderId, status: 'PENDING' }, data: { status: 'PAID', paymentId, paidAt: new Date() } });
    return paid ?? null;
  } catch (error) {
    // One payment pays one order (unique payment_id).
    if (isUniqueViolation(error)) throw paymentUsedElsewhere(paymentId);
    throw error;
  }
}

/**
 * A paid order's reserved units are sold: inventory's `consumeStock`, through the router. Called on
 * every `markOrderPaid` that answers PAID, the repeats too (consuming is idempotent), so when
 * inventory cannot be reached the order stays PAID, the call answers SERVICE_UNAVAILABLE, and
 * payments' retry of the same payment finishes it. A released reservation holds nothing to
 * consume; retrying cannot change that, so it is logged for an operator instead.
 */
async function consumeReservedStock(ctx: SubgraphContext, order: Order): Promise<Order> {
  let outcome;
  try {
    outcome = await ctx.inventory.consumeReservation(order.id);
  } catch (error) {
    if (!(error instanceof InventoryUnavailableError)) throw error;
    ctx.logger.warn('consumeStock failed: order PAID, its reserved stock not marked sold yet (a retry of markOrderPaid does it)', { error, orderId: order.id });
    throw inventoryUnavailable(order.id);
  }
  if (outcome === 'RELEASED') ctx.logger.error('paid order whose stock reservation was released: no stock was taken for it (to reconcile)', { orderId: order.id });
  return order;
}

export const Mutation: MutationResolvers = {
  async placeOrder(_parent, { input }, ctx) {
    const customer = requireRole(ctx.identity, 'CUSTOMER', 'ADMIN');
    // Orders belong to user accounts, whose ids are UUIDs (the user column is one).
    if (!isUuid(customer.sub)) throw onlyUserAccounts();
    // Cheap checks first, the router round trip after: a rejected order costs no network call.
    const lines = checkOrderLines(input.items);
    if (!lines.ok) throw lines.error;
    const priced = priceOrder(lines.value, await currentPrices(ctx, lines.value.map((line) => line.productId)));
    if (!priced.ok) throw priced.error;
    const { items, totalAmount, currency } = priced.value;
    // A nested create is one transaction: the order with all its lines, or nothing.
    return ctx.db.order.create({
      data: {
        userId: customer.sub,
        status: 'PENDING',
        totalAmount,
        currency,
        items: { createMany: { data: items.map((item, position) => ({ position, ...item })) } },
      },
    });
  },

  async cancelOrder(_parent, { id }, ctx) {
    requireIdentity(ctx.identity);
    if (!isUuid(id)) throw invalidId('id', id);
    const order = await ctx.db.order.findUnique({ where: { id } });
    if (!order) throw orderNotFound(id);
    requireOrderOwnerOrAdmin(ctx.identity, order);
    // Conditional on PENDING in the same statement, so a payment landing meanwhile wins cleanly.
    const [cancelled] = await ctx.db.order.updateManyAndReturn({ where: { id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
    if (cancelled) return cancelled;
    const current = await ctx.db.order.findUniqueOrThrow({ where: { id } });
    throw notCancellable(id, current.status);
  },

  async markOrderPaid(_parent, { orderId, paymentId }, ctx) {
    requireRole(ctx.identity, 'SERVICE');
    if (!isUuid(orderId)) throw invalidId('orderId', orderId);
    if (!isUuid(paymentId)) throw invalidId('paymentId', paymentId);
    const payment = paymentId.toLowerCase();
    const paid = await payIfPending(ctx, orderId, payment);
    if (paid) return consumeReservedStock(ctx, paid);
    const order = await ctx.db.order.findUnique({ where: { id: orderId } });
    if (!order) throw orderNotFound(orderId);
    switch (order.status) {
      case 'PAID':
        // A retry of the same payment (e.g. after a timeout) is answered, not refused.
        if (order.paymentId === payment) return consumeReservedStock(ctx, order);
        throw paidByAnotherPayment(orderId);
      case 'CANCELLED':
        throw cancelledOrderCannotBePaid(orderId);
      case 'PENDING':
        // The conditional update above matched no PENDING row, and orders never return to PENDING.
        throw new Error(`order ${orderId} is PENDING after a conditional update missed it`);
      default:
        throw new Error(`unknown order status ${order.status satisfies never}`);
    }
  },
};
