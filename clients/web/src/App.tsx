import { useAuth } from './lib/auth.tsx';
import { useCart } from './lib/cart.tsx';
import { Link, navigate, useLocation } from './lib/navigation.tsx';
import { AuthPage } from './pages/AuthPage.tsx';
import { CartPage } from './pages/CartPage.tsx';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { ProductPage } from './pages/ProductPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';

function Page({ path }: { path: string }) {
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) return <ProductPage key={product[1]} id={decodeURIComponent(product[1]!)} />;
  switch (path) {
    case '/':
      return <ProductsPage />;
    case '/login':
      return <AuthPage />;
    case '/cart':
      return <CartPage />;
    case '/orders':
      return <OrdersPage />;
    default:
      return (
        <p className="notice">
          This page does not exist. <Link to="/">Back to the products</Link>
        </p>
      );
  }
}

export function App() {
  const { path } = useLocation();
  const { session, signOut } = useAuth();
  const cart = useCart();
  return (
    <>
      <header className="site-header">
        <Link to="/" className="brand">
          Store
        </Link>
        <nav>
          <Link to="/">Products</Link>
          <Link to="/cart" data-testid="cart-link">
            Cart ({cart.count})
          </Link>
          {session ? (
            <>
              <Link to="/orders">My orders</Link>
              <span className="muted" data-testid="signed-in-as">
                {session.userName}
              </span>
              <button
                type="button"
                className="link"
                onClick={() => {
                  signOut();
                  navigate('/');
                }}
              >
                Log out
              </button>
            </>
          ) : (
            <Link to={`/login?next=${encodeURIComponent(path)}`}>Log in</Link>
          )}
        </nav>
      </header>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}
