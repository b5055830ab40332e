import type { Identity } from '@store/core';
import { isAdmin, requireIdentity } from '@store/subgraph-kit';
import { notYourOrder, notYourOrders } from './errors.ts';

/**
 * Who may read one order: its owner, an admin, or a service (payments reads the order it charges,
 * through the router with its service token). Anonymous → UNAUTHENTICATED, anyone else → FORBIDDEN.
 */
export function requireOrderReader(identity: Identity | null, order: { userId: string }): Identity {
  const who = requireIdentity(identity);
  if (who.role === 'ADMIN' || who.role === 'SERVICE' || who.sub === order.userId) return who;
  throw notYourOrder();
}

/** Who may change one order (cancel it): its owner or an admin. */
export function requireOrderOwnerOrAdmin(identity: Identity | null, order: { userId: string }): Identity {
  const who = requireIdentity(identity);
  if (isAdmin(who) || who.sub === order.userId) return who;
  throw notYourOrder();
}

/** Who may list a user's orders: the user themself or an admin. */
export function requireOrdersOf(identity: Identity | null, userId: string): Identity {
  const who = requireIdentity(identity);
  if (isAdmin(who) || who.sub === userId) return who;
  throw notYourOrders();
}
