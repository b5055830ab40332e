import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import type { Identity } from '@store/core';
import { isUuid, requireRole } from '@store/subgraph-kit';
import { Prisma, type Payment } from '../generated/prisma/client.ts';
import { checkCard, type CardInput, type ValidCard } from './card.ts';
import type { SubgraphContext } from './context.ts';
import {
  idempotencyKeyReused,
  invalidIdempotencyKey,
  invalidOrderId,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MIN_IDEMPOTENCY_KEY_LENGTH,
  notYourOrder,
  onlyUserAccounts,
  orderAlreadyPaid,
  orderCancelled,
  orderNotFound,
  ordersUnavailable,
  otherCardForKey,
  paymentInProgress,
} from './errors.ts';
import { OrdersUnavailableError, type OrderForPayment } from './orders-client.ts';
import { chargeWithTimeout, type ChargeOutcome } from './provider.ts';

export interface PayOrderInput {
  orderId: string;
  card: CardInput;
  idempotencyKey: string;
}

// A replay that finds the first attempt still PENDING polls for its outcome this often.
const SETTLE_POLL_MS = 25;
// …for at most the provider timeout plus this (the first attempt's own update after the call).
// A PENDING row untouched for that long has no live attempt: its process died mid-charge.
const SETTLE_GRACE_MS = 1000;

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/**
 * `payOrder`: charges the caller's own PENDING order once per idempotency key.
 *
 * 1. Local checks (identity, ids, key, card) — nothing is written or called when they fail.
 * 2. Same (user, key) seen before → that payment, unchanged: no provider or router call, except
 *    that an APPROVED payment orders has not confirmed yet is re-announced (`markOrderPaid`).
 * 3. The order through the router: it must exist, be the caller's and be PENDING. The amount is
 *    its total, never anything the client sent.
 * 4. A PENDING row is written before the provider is called: the unique (user, key) index makes a
 *    concurrent duplicate lose here and replay, and the per-order partial index stops a second
 *    attempt for an order that is being paid or paid.
 * 5. The provider's answer (or FAILED provider_timeout / provider_error) is recorded; an
 *    APPROVED payment is announced to orders, and a failed announcement is logged and retried by
 *    the next `payOrder` with the same key (the payment stays APPROVED).
 * 6. A PENDING payment whose attempt died mid-charge is finished by the next `payOrder` with the
 *    same key (and card): see `resumeAbandoned`.
 */
export async function payOrder(ctx: SubgraphContext, input: PayOrderInput): Promise<Payment> {
  const payer = checkPayer(ctx.identity);
  if (!isUuid(input.orderId)) throw invalidOrderId(input.orderId);
  const key = input.idempotencyKey;
  if (key.length < MIN_IDEMPOTENCY_KEY_LENGTH || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw invalidIdempotencyKey();
  const checked = checkCard(input.card, ctx.now());
  if (!checked.ok) throw checked.error;
  const card = checked.card;

  const previous = await findByKey(ctx, payer.sub, key);
  if (previous) return replay(ctx, previous, input.orderId, { announce: previous.status !== 'PENDING', card });

  const order = await lookUpOrder(ctx, input.orderId);
  // Only the owner pays an order, admins included: an admin paying a customer's order would
  // charge the admin's card for someone else's purchase.
  if (order.userId !== payer.sub) throw notYourOrder();
  const verdict = await mayCharge(ctx, order);
  if (!verdict.ok) {
    // A request with the same key may have paid the order since we looked the key up: the same
    // key still gets that payment, not a CONFLICT.
    const twin = await findByKey(ctx, payer.sub, key);
    if (twin) return replay(ctx, twin, input.orderId, { announce: false, card });
    if (verdict.unannounced) await announcePaid(ctx, verdict.unannounced);
    throw verdict.error;
  }

  let payment: Payment;
  try {
    payment = await ctx.db.payment.create({
      data: {
        orderId: order.id,
        userId: payer.sub,
        amount: order.total.amount,
        currency: order.total.currency,
        status: 'PENDING',
        method: 'CARD',
        cardBrand: card.brand,
        cardLast4: card.last4,
        idempotencyKey: key,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent request with the same key got there first: it owns the charge and the
    // announcement; this one reports its outcome.
    const twin = await findByKey(ctx, payer.sub, key);
    if (twin) return replay(ctx, twin, input.orderId, { announce: false, card });
    throw paymentInProgress(order.id);
  }
  return chargeAndRecord(ctx, payment, card);
}

/**
 * Charges a PENDING payment under its own id (the provider's idempotency key: a repeated call for
 * one payment charges at most once), records the answer, and announces an APPROVED one. The
 * record is conditional on PENDING: should two attempts ever charge one payment (a resumed one
 * and a stalled original), the first answer recorded stands and the other is not written over it.
 */
async function chargeAndRecord(ctx: SubgraphContext, payment: Payment, card: ValidCard): Promise<Payment> {
  const { outcome, error } = await chargeWithTimeout(
    ctx.provider,
    { paymentId: payment.id, amount: payment.amount, currency: payment.currency, card: { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc } },
    ctx.providerTimeoutMs,
  );
  if (outcome.outcome === 'FAILED') ctx.logger.warn('payment failed at the provider', { paymentId: payment.id, reason: outcome.reason, ...(error !== undefined && { error }) });
  const [recorded] = await ctx.db.payment.updateManyAndReturn({ where: { id: payment.id, status: 'PENDING' }, data: recordOf(outcome) });
  // Recorded by the other attempt, which also announces it.
  if (!recorded) return ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
  return recorded.status === 'APPROVED' ? announcePaid(ctx, recorded) : recorded;
}

function checkPayer(identity: Identity | null): Identity {
  // Anonymous → UNAUTHENTICATED; services → FORBIDDEN: a payment needs a paying customer.
  const payer = requireRole(identity, 'CUSTOMER', 'ADMIN');
  // User accounts' ids are UUIDs (the user_id column is one).
  if (!isUuid(payer.sub)) throw onlyUserAccounts();
  return payer;
}

type ChargeVerdict = { ok: true } | { ok: false; error: GraphQLError; unannounced?: Payment };

/** Whether a PENDING charge may start for the caller's `order`. */
async function mayCharge(ctx: SubgraphContext, order: OrderForPayment): Promise<ChargeVerdict> {
  switch (order.status) {
    case 'PAID':
      return { ok: false, error: orderAlreadyPaid(order.id) };
    case 'CANCELLED':
      return { ok: false, error: orderCancelled(order.id) };
    case 'PENDING': {
      // Approved here but orders never heard of it (an announcement failed, and this is a new
      // key): charging again would pay twice. It is announced again instead.
      const approved = await ctx.db.payment.findFirst({ where: { orderId: order.id, status: 'APPROVED' } });
      return approved ? { ok: false, error: orderAlreadyPaid(order.id), unannounced: approved } : { ok: true };
    }
    default:
      throw new Error(`unknown order status ${order.status satisfies never}`);
  }
}

function findByKey(ctx: SubgraphContext, userId: string, idempotencyKey: string): Promise<Payment | null> {
  return ctx.db.payment.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } });
}

function recordOf(outcome: ChargeOutcome): Prisma.PaymentUpdateManyMutationInput {
  switch (outcome.outcome) {
    case 'APPROVED':
      return { status: 'APPROVED', providerReference: outcome.reference };
    case 'DECLINED':
      return { status: 'DECLINED', declineReason: outcome.reason, providerReference: outcome.reference };
    case 'FAILED':
      return { status: 'FAILED', declineReason: outcome.reason };
    default:
      throw new Error(`unknown charge outcome ${JSON.stringify(outcome satisfies never)}`);
  }
}

async function lookUpOrder(ctx: SubgraphContext, orderId: string): Promise<OrderForPayment> {
  let order: OrderForPayment | null;
  try {
    order = await ctx.orders.findOrder(orderId);
  } catch (error) {
    if (!(error instanceof OrdersUnavailableError)) throw error;
    // The client sees a stable code; the reason (host, status, router errors) stays in the log.
    ctx.logger.warn('order lookup failed', { error, orderId });
    throw ordersUnavailable();
  }
  if (!order) throw orderNotFound(orderId);
  return order;
}

/**
 * The payment a repeated key stands for. The same key for another order is a client bug
 * (CONFLICT). A PENDING one is still being charged by a concurrent request: wait (bounded) for
 * its outcome; one still PENDING after that has no live attempt and is resumed with `card`. With
 * `announce`, an APPROVED payment orders has not confirmed is announced again.
 */
async function replay(ctx: SubgraphContext, payment: Payment, orderId: string, { announce, card }: { announce: boolean; card: ValidCard }): Promise<Payment> {
  if (payment.orderId !== orderId) throw idempotencyKeyReused();
  let settled = payment.status === 'PENDING' ? await waitUntilSettled(ctx, payment) : payment;
  // A resumed payment is announced by the attempt that resumed it.
  if (settled.status === 'PENDING') return resumeAbandoned(ctx, settled, card);
  if (announce && settled.status === 'APPROVED' && settled.orderMarkedPaidAt === null) settled = await announcePaid(ctx, settled);
  return settled;
}

/** How long a PENDING row may go untouched while its attempt is alive: the provider call is bounded. */
const abandonedAfterMs = (ctx: SubgraphContext) => ctx.providerTimeoutMs + SETTLE_GRACE_MS;

/**
 * Polls a PENDING payment until its attempt records an answer, for as long as that attempt can be
 * alive: until the row has gone untouched for `abandonedAfterMs` (a resumed attempt touches it,
 * so waiting then extends to its own bound).
 */
async function waitUntilSettled(ctx: SubgraphContext, payment: Payment): Promise<Payment> {
  let current = payment;
  while (current.status === 'PENDING' && Date.now() < current.updatedAt.getTime() + abandonedAfterMs(ctx)) {
    await sleep(SETTLE_POLL_MS);
    current = (await ctx.db.payment.findUnique({ where: { id: payment.id } })) ?? current;
  }
  return current;
}

/**
 * Finishes a payment left PENDING by an attempt that died between writing the row and recording
 * the provider's answer (before, a PENDING row was answered as PENDING forever and blocked new
 * attempts for the order). It is charged again under the same payment id, the provider's
 * idempotency key, so a charge that went through is answered rather than repeated:
 * - only with the card of the first attempt (the row keeps its brand and last four digits);
 * - by one retry: claiming the row is a conditional update of `updatedAt`, so a concurrent
 *   retry's claim matches nothing and it waits for this attempt's answer instead;
 * - only for an order still PENDING: one cancelled meanwhile is not charged (the row stays
 *   PENDING, logged for an operator to settle with the provider).
 */
async function resumeAbandoned(ctx: SubgraphContext, payment: Payment, card: ValidCard): Promise<Payment> {
  if (card.brand !== payment.cardBrand || card.last4 !== payment.cardLast4) throw otherCardForKey();
  const abandonedBefore = new Date(Date.now() - abandonedAfterMs(ctx));
  const [claimed] = await ctx.db.payment.updateManyAndReturn({
    where: { id: payment.id, status: 'PENDING', updatedAt: { lt: abandonedBefore } },
    data: { updatedAt: new Date() },
  });
  if (!claimed) return waitUntilSettled(ctx, await ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id } }));
  ctx.logger.warn('resuming a payment left PENDING by an attempt that stopped mid-charge', { paymentId: payment.id, orderId: payment.orderId });
  const order = await lookUpOrder(ctx, payment.orderId);
  if (order.status !== 'PENDING') {
    ctx.logger.error('abandoned PENDING payment for an order no longer PENDING: not charged again (to settle with the provider)', { paymentId: payment.id, orderId: order.id, orderStatus: order.status });
    throw order.status === 'PAID' ? orderAlreadyPaid(order.id) : orderCancelled(order.id);
  }
  return chargeAndRecord(ctx, claimed, card);
}

/**
 * Tells orders that `payment` paid its order. When that fails the payment stays APPROVED (the
 * card was charged) and the order is reconciled later: by the next `payOrder` with the same key,
 * by any new `payOrder` for the order, or by an operator from the log line below.
 */
async function announcePaid(ctx: SubgraphContext, payment: Payment): Promise<Payment> {
  try {
    await ctx.orders.markOrderPaid(payment.orderId, payment.id);
  } catch (error) {
    if (!(error instanceof OrdersUnavailableError)) throw error;
    ctx.logger.error('markOrderPaid failed: payment APPROVED, not confirmed by orders yet (to reconcile)', { error, paymentId: payment.id, orderId: payment.orderId });
    return payment;
  }
  return ctx.db.payment.update({ where: { id: payment.id }, data: { orderMarkedPaidAt: ctx.now() } });
}
