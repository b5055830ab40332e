import type { Identity } from '@store/core';
import { requireIdentity } from '@store/subgraph-kit';
import type { Payment } from '../generated/prisma/client.ts';
import { notYourPayment } from './errors.ts';

/**
 * A payment is visible to the user who paid (the order's owner) and to admins; to nobody else,
 * services included. UNAUTHENTICATED when anonymous, FORBIDDEN otherwise.
 */
export function requirePaymentVisible(identity: Identity | null, payment: Payment): Payment {
  const who = requireIdentity(identity);
  if (who.role === 'ADMIN' || (who.role === 'CUSTOMER' && who.sub === payment.userId)) return payment;
  throw notYourPayment();
}
