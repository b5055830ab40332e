import { graphql, getFragmentData, type FragmentType } from '../gql/index.ts';
import { formatMoney } from '../lib/money.ts';

export const OrderCardFragment = graphql(`
  fragment OrderCard on Order {
    id
    status
    createdAt
    total { amount currency }
    items {
      quantity
      subtotal { amount currency }
      product { id name }
    }
    payment {
      id
      status
      declineReason
      card { brand last4 }
    }
  }
`);

const PAYMENT_LABELS: Record<string, string> = {
  APPROVED: 'Payment approved',
  DECLINED: 'Payment declined',
  FAILED: 'Payment failed',
  PENDING: 'Payment pending',
};

export function OrderCard(props: { order: FragmentType<typeof OrderCardFragment> }) {
  const order = getFragmentData(OrderCardFragment, props.order);
  return (
    <li className="card order-card" data-testid="order" data-order-id={order.id}>
      <div className="order-head">
        <strong>Order {order.id.slice(0, 8)}</strong>
        <span className="muted">{new Date(order.createdAt).toLocaleString('en-US')}</span>
        <span className={`badge status-${order.status.toLowerCase()}`} data-testid="order-status">
          {order.status}
        </span>
      </div>
      <ul className="order-items">
        {order.items.map((item) => (
          <li key={item.product.id}>
            {item.quantity} × {item.product.name} <span className="muted">{formatMoney(item.subtotal)}</span>
          </li>
        ))}
      </ul>
      <div className="order-foot">
        <span>Total {formatMoney(order.total)}</span>
        <span data-testid="payment-status">
          {order.payment ? (
            <>
              {PAYMENT_LABELS[order.payment.status] ?? order.payment.status} ({order.payment.card.brand} ···· {order.payment.card.last4})
              {order.payment.declineReason && <span className="muted"> — {order.payment.declineReason.replace(/_/g, ' ')}</span>}
            </>
          ) : (
            'Not paid yet'
          )}
        </span>
      </div>
    </li>
  );
}
