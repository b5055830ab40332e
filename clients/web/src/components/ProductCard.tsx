import { graphql, getFragmentData, type FragmentType } from '../gql/index.ts';
import { formatMoney } from '../lib/money.ts';
import { Link } from '../lib/navigation.tsx';
import { Rating } from './Rating.tsx';

// Colocated: the list query spreads this fragment and the card reads only these fields.
// `averageRating` is nullable, so the reviews subgraph being down leaves the list standing.
export const ProductCardFragment = graphql(`
  fragment ProductCard on Product {
    id
    sku
    name
    price { amount currency }
    category { name }
    inStock
    averageRating
  }
`);

export function ProductCard(props: { product: FragmentType<typeof ProductCardFragment> }) {
  const product = getFragmentData(ProductCardFragment, props.product);
  return (
    <li className="card product-card" data-testid="product-card">
      <Link to={`/products/${product.id}`} className="product-link">
        <span className="product-name">{product.name}</span>
      </Link>
      <span className="muted">
        {product.category.name} · {product.sku}
      </span>
      <span className="price">{formatMoney(product.price)}</span>
      <span className={product.inStock ? 'stock in' : 'stock out'}>{product.inStock ? 'In stock' : 'Out of stock'}</span>
      <Rating value={product.averageRating ?? null} />
    </li>
  );
}
