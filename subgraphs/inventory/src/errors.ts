// The inventory subgraph's deliberate errors, built by named functions so tests can assert the
// exact message clients see.
import { badUserInput, conflict, notFound, serviceUnavailable } from '@store/core';

export const MAX_RESTOCK_QUANTITY = 100_000;
export const MAX_RESERVED_QUANTITY = 1000;
/** Distinct products one reservation may hold (an order's lines). */
export const MAX_RESERVATION_ITEMS = 100;

export const invalidId = (field: string, id: string) => badUserInput(`${JSON.stringify(id)} is not a valid id.`, { field });
export const invalidRestockQuantity = () =>
  badUserInput(`"quantity" must be an integer from 1 to ${MAX_RESTOCK_QUANTITY}.`, { field: 'input.quantity' });
export const unknownWarehouse = (id: string) => badUserInput(`Warehouse ${id} does not exist.`, { field: 'input.warehouseId' });
export const unknownProduct = (id: string) => badUserInput(`Product ${id} does not exist.`, { field: 'input.productId' });
export const catalogUnavailable = () => serviceUnavailable('The product catalog cannot be reached right now; nothing was saved. Try again shortly.');
export const stockLimitReached = (productId: string, warehouseId: string) =>
  conflict(`Warehouse ${warehouseId} cannot hold more units of product ${productId}; nothing was added.`, { field: 'input.quantity', productId });

export const invalidItemCount = () => badUserInput(`"items" must hold 1 to ${MAX_RESERVATION_ITEMS} products.`, { field: 'items' });
export const invalidReservedQuantity = (index: number) =>
  badUserInput(`"quantity" must be an integer from 1 to ${MAX_RESERVED_QUANTITY}.`, { field: `items[${index}].quantity` });
export const duplicateItem = (index: number, productId: string) =>
  badUserInput(`Product ${productId} appears more than once; give each product once with its total quantity.`, { field: `items[${index}].productId`, productId });
export const insufficientStock = (productId: string, requested: number, available: number) =>
  conflict(`Not enough stock for product ${productId}: ${requested} requested, ${available} available. Nothing was reserved.`, { productId, requested, available });
export const differentReservation = (orderId: string) =>
  conflict(`Order ${orderId} already holds a reservation for other items; release it before reserving again.`, { field: 'items', orderId });
export const reservationConsumed = (orderId: string) =>
  conflict(`The reservation for order ${orderId} has been consumed (the order was paid); it can no longer change.`, { orderId });
export const reservationReleased = (orderId: string) =>
  conflict(`The reservation for order ${orderId} was released; its units are no longer held, so they cannot be consumed. Reserve them again first.`, { orderId });
export const reservationNotFound = (orderId: string) => notFound('Reservation for order', orderId);
