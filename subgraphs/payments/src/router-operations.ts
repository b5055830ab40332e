// Every operation payments sends to the router (as the `service:payments` SERVICE identity), in
// one place: the code sends these exact strings, and `npm run codegen` writes them to
// subgraphs/payments/persisted-operations.json, the manifest the router's safelist runs them from.
// Every exported string is an operation of that manifest; a new call needs a new export here (and
// `npm run codegen`), or a safelisting router refuses it.

/** An order's owner, status and total: what paying it needs. */
export const ORDER_QUERY = 'query PaymentsOrderForPayment($id: ID!) { order(id: $id) { id status total { amount currency } user { id } } }';

/** Tells orders the order is paid by this payment (idempotent at orders). */
export const MARK_PAID_MUTATION =
  'mutation PaymentsMarkOrderPaid($orderId: ID!, $paymentId: ID!) { markOrderPaid(orderId: $orderId, paymentId: $paymentId) { id status } }';
