// The payments subgraph's deliberate errors, built by named functions so tests can assert the
// exact message clients see. None of them ever contains card data.
import { badUserInput, conflict, forbidden, notFound, serviceUnavailable } from '@store/core';

export const MIN_IDEMPOTENCY_KEY_LENGTH = 8;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;

export const invalidOrderId = (id: string) => badUserInput(`Order id ${JSON.stringify(id)} is not a valid id.`, { field: 'input.orderId' });
export const invalidIdempotencyKey = () =>
  badUserInput(`"idempotencyKey" must be ${MIN_IDEMPOTENCY_KEY_LENGTH}–${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, { field: 'input.idempotencyKey' });
export const invalidCardNumber = () => badUserInput('The card number is not valid.', { field: 'input.card.number' });
export const invalidExpiryMonth = () => badUserInput('"expMonth" must be from 1 to 12.', { field: 'input.card.expMonth' });
export const invalidExpiryYear = () => badUserInput('"expYear" must be a four-digit year.', { field: 'input.card.expYear' });
export const cardExpired = (field: 'input.card.expMonth' | 'input.card.expYear') => badUserInput('The card has expired.', { field });
export const invalidCvc = () => badUserInput('"cvc" must be 3 or 4 digits.', { field: 'input.card.cvc' });

export const onlyUserAccounts = () => forbidden('Only user accounts can pay orders.');
export const orderNotFound = (id: string) => notFound('Order', id);
export const notYourOrder = () => forbidden('You can only pay your own orders.');
export const orderAlreadyPaid = (id: string) => conflict(`Order ${id} is already paid.`, { field: 'input.orderId' });
export const orderCancelled = (id: string) => conflict(`Order ${id} is cancelled and cannot be paid.`, { field: 'input.orderId' });
export const paymentInProgress = (id: string) =>
  conflict(`Order ${id} is already paid or another payment for it is in progress.`, { field: 'input.orderId' });
export const idempotencyKeyReused = () =>
  conflict('This idempotency key was already used to pay another order; use a new key.', { field: 'input.idempotencyKey' });
export const otherCardForKey = () =>
  conflict('This idempotency key was first used with another card, and that payment is unfinished; retry it with the same card.', { field: 'input.card.number' });
export const ordersUnavailable = () => serviceUnavailable('The order service cannot be reached right now; nothing was charged. Try again shortly.');

export const notYourPayment = () => forbidden('Only the payer or an admin can see this payment.');
