// Every operation reviews sends to the router (as the `service:reviews` SERVICE identity), in one
// place: the code sends these exact strings, and `npm run codegen` writes them to
// subgraphs/reviews/persisted-operations.json, the manifest the router's safelist runs them from.
// Every exported string is an operation of that manifest; a new call needs a new export here (and
// `npm run codegen`), or a safelisting router refuses it.

/** Whether a catalog product exists. */
export const PRODUCT_QUERY = 'query ReviewsProductExists($id: ID!) { product(id: $id) { id } }';
