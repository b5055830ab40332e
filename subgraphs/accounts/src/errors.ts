// Error messages of this subgraph, built once so tests assert on the same text clients see.
import { conflict, unauthenticated } from '@store/core';

/** One message for an unknown email and a wrong password: the answer must not reveal which. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password.';
export const invalidCredentials = () => unauthenticated(INVALID_CREDENTIALS_MESSAGE);

export const emailTaken = () => conflict('An account with this email already exists.', { field: 'input.email' });
