import { useState, type FormEvent } from 'react';
import { graphql } from '../gql/index.ts';
import { useAuth } from '../lib/auth.tsx';
import { useCart } from '../lib/cart.tsx';
import { execute, type GraphQLErrorShape } from '../lib/graphql-client.ts';
import { formatMoney, type Money } from '../lib/money.ts';
import { Link } from '../lib/navigation.tsx';

const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) { id status total { amount currency } }
  }
`);

const PayOrderMutation = graphql(`
  mutation PayOrder($input: PayOrderInput!) {
    payOrder(input: $input) {
      id
      status
      declineReason
      amount { amount currency }
      card { brand last4 }
      order { id status }
    }
  }
`);

interface PlacedOrder {
  id: string;
  total: Money;
}

type Outcome =
  | { kind: 'paid'; orderId: string; amount: Money; card: string }
  | { kind: 'declined'; orderId: string; reason: string }
  | { kind: 'error'; errors: GraphQLErrorShape[] };

const DECLINE_REASONS: Record<string, string> = {
  card_declined: 'the card was declined by its bank',
  insufficient_funds: 'the card has insufficient funds',
  expired_card: 'the card has expired',
  provider_timeout: 'the payment provider did not answer in time',
};

/**
 * Cart and checkout: place the order once, then pay it by card. A declined card leaves the
 * order placed but unpaid; paying again (another card) pays the same order.
 */
export function CartPage() {
  const cart = useCart();
  const { session } = useAuth();
  const [order, setOrder] = useState<PlacedOrder | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [card, setCard] = useState({ number: '', exp: '12/30', cvc: '' });
  const [attempt, setAttempt] = useState(0);

  if (outcome?.kind === 'paid') {
    return (
      <section className="notice success" role="status" data-testid="checkout-result">
        <h1>Thank you — payment approved</h1>
        <p>
          Order {outcome.orderId.slice(0, 8)} is paid: {formatMoney(outcome.amount)} charged to {outcome.card}.
        </p>
        <p>
          <Link to="/orders">See my orders</Link> · <Link to="/">Keep shopping</Link>
        </p>
      </section>
    );
  }
  if (cart.lines.length === 0 && !order) {
    return (
      <section>
        <h1>Your cart</h1>
        <p className="notice">
          Your cart is empty. <Link to="/">Browse the products</Link>
        </p>
      </section>
    );
  }
  const subtotal = cart.lines.reduce((sum, l) => sum + l.unitPrice.amount * l.quantity, 0);
  const currency = cart.lines[0]?.unitPrice.currency ?? order?.total.currency ?? 'USD';

  const onCheckout = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    let placed = order;
    if (!placed) {
      const result = await execute(PlaceOrderMutation, { input: { items: cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) } });
      if (!result.data?.placeOrder) {
        setBusy(false);
        setOutcome({ kind: 'error', errors: result.networkError ? [{ message: result.networkError }] : result.errors });
        return;
      }
      placed = { id: result.data.placeOrder.id, total: result.data.placeOrder.total };
      setOrder(placed);
    }
    const [month, year] = card.exp.split('/').map((p) => Number(p.trim()));
    const paid = await execute(PayOrderMutation, {
      input: {
        orderId: placed.id,
        card: { number: card.number, expMonth: month ?? 0, expYear: (year ?? 0) < 100 ? 2000 + (year ?? 0) : (year ?? 0), cvc: card.cvc },
        // One key per attempt: a retry of the same attempt never charges twice.
        idempotencyKey: `web-${placed.id}-${attempt}`,
      },
    });
    setAttempt((a) => a + 1);
    setBusy(false);
    const payment = paid.data?.payOrder;
    if (!payment) {
      setOutcome({ kind: 'error', errors: paid.networkError ? [{ message: paid.networkError }] : paid.errors });
    } else if (payment.status === 'APPROVED') {
      cart.clear();
      setOrder(null);
      setOutcome({ kind: 'paid', orderId: placed.id, amount: payment.amount, card: `${payment.card.brand} ···· ${payment.card.last4}` });
    } else {
      const reason = payment.declineReason ?? payment.status.toLowerCase();
      setOutcome({ kind: 'declined', orderId: placed.id, reason: DECLINE_REASONS[reason] ?? reason.replace(/_/g, ' ') });
    }
  };

  return (
    <section>
      <h1>Your cart</h1>
      {order ? (
        <p className="notice">
          Order {order.id.slice(0, 8)} is placed ({formatMoney(order.total)}) and waiting for payment.
        </p>
      ) : (
        <table className="cart">
          <thead>
            <tr>
              <th>Product</th>
              <th>Price</th>
              <th>Quantity</th>
              <th>Subtotal</th>
            </tr>
          </thead>
          <tbody>
            {cart.lines.map((line) => (
              <tr key={line.productId} data-testid="cart-line">
                <td>
                  <Link to={`/products/${line.productId}`}>{line.name}</Link>
                </td>
                <td>{formatMoney(line.unitPrice)}</td>
                <td>
                  <input type="number" aria-label={`Quantity of ${line.name}`} min={0} max={1000} value={line.quantity} onChange={(e) => cart.setQuantity(line.productId, Number(e.target.value) || 0)} />
                </td>
                <td>{formatMoney({ amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency })}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={3}>Total (shipping not included)</td>
              <td data-testid="cart-total">{formatMoney({ amount: subtotal, currency })}</td>
            </tr>
          </tfoot>
        </table>
      )}

      {outcome?.kind === 'declined' && (
        <div className="notice error" role="alert" data-testid="checkout-result">
          <strong>Payment declined: {outcome.reason}.</strong> Nothing was charged. Order {outcome.orderId.slice(0, 8)} is placed but not paid — try another card.
        </div>
      )}
      {outcome?.kind === 'error' && (
        <div className="notice error" role="alert" data-testid="checkout-result">
          <strong>Checkout did not go through.</strong>
          <ul>
            {outcome.errors.map((e) => (
              <li key={e.message}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}

      {!session ? (
        <p className="notice">
          <Link to="/login?next=/cart">Log in or sign up</Link> to check out.
        </p>
      ) : (
        <form className="checkout stack" onSubmit={onCheckout}>
          <h2>Pay by card</h2>
          <p className="muted">Test cards: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.</p>
          <label>
            Card number
            <input name="card-number" inputMode="numeric" autoComplete="cc-number" value={card.number} onChange={(e) => setCard({ ...card, number: e.target.value })} required />
          </label>
          <div className="row">
            <label>
              Expiry (MM/YY)
              <input name="card-exp" value={card.exp} onChange={(e) => setCard({ ...card, exp: e.target.value })} required pattern="\d{1,2}\s*/\s*\d{2,4}" />
            </label>
            <label>
              CVC
              <input name="card-cvc" inputMode="numeric" value={card.cvc} onChange={(e) => setCard({ ...card, cvc: e.target.value })} required pattern="\d{3,4}" />
            </label>
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Processing…' : order ? `Pay ${formatMoney(order.total)}` : 'Place order and pay'}
          </button>
        </form>
      )}
    </section>
  );
}
