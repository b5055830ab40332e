import { useState, type FormEvent } from 'react';
import { ErrorNotice, Loading, PartialNotice } from '../components/Notices.tsx';
import { Rating } from '../components/Rating.tsx';
import { ReviewItem } from '../components/ReviewItem.tsx';
import { graphql, getFragmentData, type FragmentType } from '../gql/index.ts';
import { useAuth } from '../lib/auth.tsx';
import { useCart } from '../lib/cart.tsx';
import { execute, useQuery, type GraphQLErrorShape } from '../lib/graphql-client.ts';
import { formatMoney } from '../lib/money.ts';
import { Link } from '../lib/navigation.tsx';

const ProductDetailsFragment = graphql(`
  fragment ProductDetails on Product {
    id
    sku
    name
    description
    price { amount currency }
    weight
    category { slug name }
    inStock
    quantityAvailable
    shippingEstimate { amount currency }
  }
`);

const ProductReviewsFragment = graphql(`
  fragment ProductReviews on Product {
    averageRating
    reviewCount
    reviews(first: 10) { edges { node { id ...ReviewItem } } }
  }
`);

// Two root fields on purpose: the product (catalog, inventory) and its reviews (reviews,
// accounts) fail independently — with the reviews subgraph down, the product still shows.
const ProductPageQuery = graphql(`
  query ProductPage($id: ID!) {
    product(id: $id) { id ...ProductDetails }
    productReviews: product(id: $id) { id ...ProductReviews }
  }
`);

const AddReviewMutation = graphql(`
  mutation AddReview($input: AddReviewInput!) {
    addReview(input: $input) { id ...ReviewItem }
  }
`);

export function ProductPage({ id }: { id: string }) {
  const result = useQuery(ProductPageQuery, { id });
  if (result.loading && !result.data) return <Loading what="the product" />;
  if (!result.data) return <ErrorNotice what="the product" result={result} onRetry={result.refetch} />;
  if (!result.data.product) {
    if (result.errors.length) return <ErrorNotice what="the product" result={result} onRetry={result.refetch} />;
    return (
      <p className="notice">
        There is no such product. <Link to="/">Back to the products</Link>
      </p>
    );
  }
  return (
    <article>
      <PartialNotice errors={result.errors} />
      <ProductDetails product={result.data.product} />
      <section className="reviews" aria-labelledby="reviews-title">
        <h2 id="reviews-title">Reviews</h2>
        {result.data.productReviews ? <ProductReviews product={result.data.productReviews} /> : <p className="notice warning">Reviews are unavailable right now.</p>}
        <ReviewForm productId={id} onAdded={result.refetch} />
      </section>
    </article>
  );
}

function ProductDetails(props: { product: FragmentType<typeof ProductDetailsFragment> }) {
  const product = getFragmentData(ProductDetailsFragment, props.product);
  const cart = useCart();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);
  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    cart.add({ productId: product.id, name: product.name, unitPrice: product.price }, quantity);
    setAdded(true);
  };
  return (
    <div className="product-detail">
      <p className="muted">
        <Link to={`/?category=${product.category.slug}`}>{product.category.name}</Link> · {product.sku}
      </p>
      <h1>{product.name}</h1>
      <p>{product.description}</p>
      <dl className="facts">
        <dt>Price</dt>
        <dd className="price" data-testid="price">
          {formatMoney(product.price)}
        </dd>
        <dt>Stock</dt>
        <dd data-testid="stock">{product.inStock ? `${product.quantityAvailable} available` : 'Out of stock'}</dd>
        <dt>Shipping</dt>
        <dd data-testid="shipping">{product.shippingEstimate ? (product.shippingEstimate.amount === 0 ? 'Free shipping' : `${formatMoney(product.shippingEstimate)} standard shipping`) : 'Shipping estimate unavailable'}</dd>
        <dt>Weight</dt>
        <dd>{product.weight} g</dd>
      </dl>
      <form className="add-to-cart" onSubmit={onAdd}>
        <label>
          Quantity{' '}
          <input type="number" min={1} max={Math.max(1, Math.min(product.quantityAvailable, 1000))} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <button type="submit" disabled={!product.inStock}>
          Add to cart
        </button>
        {added && (
          <span role="status">
            Added. <Link to="/cart">Go to the cart</Link>
          </span>
        )}
      </form>
    </div>
  );
}

function ProductReviews(props: { product: FragmentType<typeof ProductReviewsFragment> }) {
  const product = getFragmentData(ProductReviewsFragment, props.product);
  return (
    <>
      <p>
        <Rating value={product.averageRating ?? null} count={product.reviewCount} />
      </p>
      {product.reviews.edges.length === 0 ? (
        <p className="muted">No reviews yet — be the first.</p>
      ) : (
        <ul className="review-list">
          {product.reviews.edges.map(({ node }) => (
            <ReviewItem key={node.id} review={node} />
          ))}
        </ul>
      )}
    </>
  );
}

function ReviewForm({ productId, onAdded }: { productId: string; onAdded: () => void }) {
  const { session } = useAuth();
  const [rating, setRating] = useState(5);
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<GraphQLErrorShape[]>([]);
  const [done, setDone] = useState(false);
  if (!session) {
    return (
      <p className="muted">
        <Link to={`/login?next=/products/${productId}`}>Log in</Link> to write a review.
      </p>
    );
  }
  if (done) return <p role="status">Thank you — your review is published.</p>;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await execute(AddReviewMutation, { input: { productId, rating, body } });
    setBusy(false);
    if (result.data?.addReview) {
      setDone(true);
      onAdded();
    } else setErrors(result.networkError ? [{ message: result.networkError }] : result.errors);
  };
  return (
    <form className="review-form" onSubmit={onSubmit}>
      <h3>Write a review</h3>
      <label>
        Rating{' '}
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((r) => (
            <option key={r} value={r}>
              {r} star{r === 1 ? '' : 's'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Review
        <textarea value={body} onChange={(e) => setBody(e.target.value)} required maxLength={5000} rows={4} />
      </label>
      {errors.length > 0 && (
        <p className="notice error" role="alert">
          {errors.map((e) => e.message).join(' ')}
        </p>
      )}
      <button type="submit" disabled={busy || body.trim() === ''}>
        {busy ? 'Publishing…' : 'Publish review'}
      </button>
    </form>
  );
}
