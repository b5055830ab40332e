// Who may see a user's private fields (email). Besides the user themself and admins, that is the
// caller who just proved to be this user by signing up or logging in: such a request carries no
// identity yet, so the mutation marks the row it returns.
import type { Identity } from '@store/core';
import type { User } from '../generated/prisma/client.ts';

// Keyed by the row object, which lives only as long as the response that holds it.
const authenticatedRows = new WeakSet<User>();

export function markAuthenticated(user: User): User {
  authenticatedRows.add(user);
  return user;
}

export function canSeePrivateFields(user: User, identity: Identity | null): boolean {
  return authenticatedRows.has(user) || identity?.role === 'ADMIN' || identity?.sub === user.id;
}
