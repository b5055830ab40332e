// Every operation orders sends to the router (as the `service:orders` SERVICE identity), in one
// place: the code sends these exact strings, and `npm run codegen` writes them to
// subgraphs/orders/persisted-operations.json, the manifest the router's safelist runs them from.
// Every exported string is an operation of that manifest; a new call needs a new export here (and
// `npm run codegen`), or a safelisting router refuses it.

/** `OrdersPrices` asks for at most this many products at once: one page of the catalog's `products`. */
export const PRICES_MAX_IDS = 50;

/** The current price of up to `PRICES_MAX_IDS` catalog products; the ones the catalog does not know are left out. */
export const PRICES_QUERY = `query OrdersPrices($ids: [ID!]!) { products(filter: { ids: $ids }, first: ${PRICES_MAX_IDS}) { edges { node { id price { amount currency } } } } }`;

/** Inventory's idempotent `consumeStock` for a paid order. */
export const CONSUME_MUTATION = 'mutation OrdersConsumeStock($orderId: ID!) { consumeStock(orderId: $orderId) { status } }';
