// The reviews subgraph's deliberate errors, built by named functions so tests can assert the
// exact message clients see.
import { badUserInput, conflict, serviceUnavailable } from '@store/core';

export const MAX_BODY_LENGTH = 5000;

export const invalidProductId = (id: string) => badUserInput(`Product id ${JSON.stringify(id)} is not a valid id.`, { field: 'input.productId' });
export const invalidRating = () => badUserInput('"rating" must be an integer from 1 to 5.', { field: 'input.rating' });
export const invalidBody = () => badUserInput(`"body" must be 1–${MAX_BODY_LENGTH} characters (after trimming).`, { field: 'input.body' });
export const unknownProduct = (id: string) => badUserInput(`Product ${id} does not exist.`, { field: 'input.productId' });
export const duplicateReview = (productId: string) =>
  conflict(`You have already reviewed product ${productId}.`, { field: 'input.productId' });
export const catalogUnavailable = () => serviceUnavailable('The product catalog cannot be reached right now; nothing was saved. Try again shortly.');
