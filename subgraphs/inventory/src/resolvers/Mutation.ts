import { isUuid, requireRole } from '@store/subgraph-kit';
import type { SubgraphContext } from '../context.ts';
import {
  catalogUnavailable,
  duplicateItem,
  invalidId,
  invalidItemCount,
  invalidReservedQuantity,
  invalidRestockQuantity,
  MAX_RESERVATION_ITEMS,
  MAX_RESERVED_QUANTITY,
  MAX_RESTOCK_QUANTITY,
  stockLimitReached,
  unknownProduct,
  unknownWarehouse,
} from '../errors.ts';
import { ProductDirectoryUnavailableError } from '../product-directory.ts';
import { consumeStock, releaseStock, reserveStock, type ReservationRequest } from '../reservations.ts';
import type { MutationResolvers, ReservationItemInput } from '../resolvers-types.generated.ts';
import { addStock } from '../stock.ts';

async function checkProductExists(ctx: SubgraphContext, productId: string): Promise<void> {
  let exists: boolean;
  try {
    exists = await ctx.productDirectory.exists(productId);
  } catch (error) {
    if (!(error instanceof ProductDirectoryUnavailableError)) throw error;
    // The client sees a stable code; the reason (host, status, router errors) stays in the log.
    ctx.logger.warn('product lookup failed', { error, productId });
    throw catalogUnavailable();
  }
  if (!exists) throw unknownProduct(productId);
}

const isQuantity = (value: number, max: number) => Number.isInteger(value) && value >= 1 && value <= max;

/** A uuid in the form PostgreSQL prints it, so ids compare equal however the caller cased them. */
function uuidArgument(field: string, value: string): string {
  if (!isUuid(value)) throw invalidId(field, value);
  return value.toLowerCase();
}

/** Validates a reservation's items: 1–100 distinct products, 1–1000 units each. */
function reservationRequest(items: readonly ReservationItemInput[]): ReservationRequest[] {
  if (items.length === 0 || items.length > MAX_RESERVATION_ITEMS) throw invalidItemCount();
  const seen = new Set<string>();
  return items.map((item, index) => {
    const productId = uuidArgument(`items[${index}].productId`, item.productId);
    if (!isQuantity(item.quantity, MAX_RESERVED_QUANTITY)) throw invalidReservedQuantity(index);
    if (seen.has(productId)) throw duplicateItem(index, productId);
    seen.add(productId);
    return { productId, quantity: item.quantity };
  });
}

export const Mutation: MutationResolvers = {
  async restock(_parent, { input }, ctx) {
    requireRole(ctx.identity, 'ADMIN');
    // Cheap checks first, the router round trip last: a rejected restock costs no network call.
    const productId = uuidArgument('input.productId', input.productId);
    const warehouseId = uuidArgument('input.warehouseId', input.warehouseId);
    if (!isQuantity(input.quantity, MAX_RESTOCK_QUANTITY)) throw invalidRestockQuantity();
    if (!(await ctx.loaders.warehouseById.load(warehouseId))) throw unknownWarehouse(input.warehouseId);
    await checkProductExists(ctx, productId);
    const level = await addStock(ctx.db, warehouseId, productId, input.quantity);
    if (!level) throw stockLimitReached(productId, warehouseId);
    return level;
  },

  // The checkout's calls: only services (the orders subgraph, through the router) hold stock.
  async reserveStock(_parent, { orderId, items }, ctx) {
    requireRole(ctx.identity, 'SERVICE');
    const order = uuidArgument('orderId', orderId);
    return reserveStock(ctx.db, order, reservationRequest(items));
  },

  async releaseStock(_parent, { orderId }, ctx) {
    requireRole(ctx.identity, 'SERVICE');
    return releaseStock(ctx.db, uuidArgument('orderId', orderId));
  },

  // Orders' markOrderPaid, once the order is paid.
  async consumeStock(_parent, { orderId }, ctx) {
    requireRole(ctx.identity, 'SERVICE');
    return consumeStock(ctx.db, uuidArgument('orderId', orderId));
  },
};
