import { ErrorNotice, Loading, PartialNotice } from '../components/Notices.tsx';
import { OrderCard } from '../components/OrderCard.tsx';
import { graphql } from '../gql/index.ts';
import { useAuth } from '../lib/auth.tsx';
import { useQuery } from '../lib/graphql-client.ts';
import { Link } from '../lib/navigation.tsx';

const MyOrdersQuery = graphql(`
  query MyOrders {
    me {
      id
      name
      orders(first: 20) {
        totalCount
        edges { node { id ...OrderCard } }
      }
    }
  }
`);

export function OrdersPage() {
  const { session } = useAuth();
  const result = useQuery(MyOrdersQuery, {}, { skip: !session });
  if (!session) {
    return (
      <p className="notice">
        <Link to="/login?next=/orders">Log in</Link> to see your orders.
      </p>
    );
  }
  if (result.loading && !result.data) return <Loading what="your orders" />;
  const me = result.data?.me;
  if (!me) return <ErrorNotice what="your orders" result={result} onRetry={result.refetch} />;
  return (
    <section>
      <h1>My orders</h1>
      <PartialNotice errors={result.errors} />
      {me.orders.edges.length === 0 ? (
        <p className="notice">
          No orders yet. <Link to="/">Find something you like</Link>
        </p>
      ) : (
        <ul className="orders">
          {me.orders.edges.map(({ node }) => (
            <OrderCard key={node.id} order={node} />
          ))}
        </ul>
      )}
    </section>
  );
}
