// The orders subgraph's deliberate errors, built by named functions so tests can assert the
// exact message clients see.
import { badUserInput, conflict, forbidden, notFound, serviceUnavailable } from '@store/core';

export const MAX_ITEMS = 50;
export const MAX_QUANTITY = 1000;
/** GraphQL `Int` (and the `integer` columns) stop here. */
export const MAX_AMOUNT = 2_147_483_647;

const itemField = (index: number, name: string) => `input.items[${index}].${name}`;

// placeOrder input
export const invalidItemCount = (count: number) =>
  badUserInput(`An order needs 1–${MAX_ITEMS} items; got ${count}.`, { field: 'input.items' });
export const invalidProductId = (index: number, id: string) =>
  badUserInput(`Product id ${JSON.stringify(id)} is not a valid id.`, { field: itemField(index, 'productId'), productId: id });
export const duplicateProduct = (index: number, id: string) =>
  badUserInput(`Product ${id} appears more than once; put it on one line with the total quantity.`, { field: itemField(index, 'productId'), productId: id });
export const invalidQuantity = (index: number) =>
  badUserInput(`"quantity" must be an integer from 1 to ${MAX_QUANTITY}.`, { field: itemField(index, 'quantity') });
export const unknownProduct = (index: number, id: string) =>
  badUserInput(`Product ${id} does not exist.`, { field: itemField(index, 'productId'), productId: id });
export const mixedCurrencies = (currencies: string[]) =>
  badUserInput(`All products of one order must have the same currency; these are priced in ${currencies.join(', ')}.`, { field: 'input.items' });
export const totalTooLarge = () => badUserInput(`The order total is larger than ${MAX_AMOUNT} minor units; split it into several orders.`, { field: 'input.items' });
export const catalogUnavailable = () => serviceUnavailable('The product catalog cannot be reached right now; nothing was saved. Try again shortly.');
export const onlyUserAccounts = () => forbidden('Only user accounts can place orders.');

// Reading and changing one order
export const invalidId = (field: string, id: string) => badUserInput(`${JSON.stringify(id)} is not a valid id.`, { field });
export const orderNotFound = (id: string) => notFound('Order', id);
export const notYourOrder = () => forbidden('This order belongs to another user.');
export const notYourOrders = () => forbidden('Only the user themself and admins can see a user’s orders.');
export const notCancellable = (id: string, status: string) =>
  conflict(`Order ${id} is ${status}; only a PENDING order can be cancelled.`, { field: 'id', status });
export const cancelledOrderCannotBePaid = (id: string) => conflict(`Order ${id} is CANCELLED; it cannot be paid.`, { field: 'orderId', status: 'CANCELLED' });
export const paidByAnotherPayment = (id: string) => conflict(`Order ${id} is already PAID by another payment.`, { field: 'paymentId', status: 'PAID' });
export const paymentUsedElsewhere = (paymentId: string) => conflict(`Payment ${paymentId} has already paid another order.`, { field: 'paymentId' });
export const inventoryUnavailable = (id: string) =>
  serviceUnavailable(`Order ${id} is PAID, but inventory cannot be reached to mark its reserved stock sold; call markOrderPaid again with the same payment.`);
