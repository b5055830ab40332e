import { useEffect, useState, type FormEvent } from 'react';
import { ProductCard } from '../components/ProductCard.tsx';
import { ErrorNotice, Loading, PartialNotice } from '../components/Notices.tsx';
import { graphql } from '../gql/index.ts';
import { useQuery } from '../lib/graphql-client.ts';
import { navigate, useLocation } from '../lib/navigation.tsx';

const PAGE_SIZE = 12;

const CategoriesQuery = graphql(`
  query Categories {
    categories { id slug name }
  }
`);

const ProductListQuery = graphql(`
  query ProductList($filter: ProductFilter, $first: Int!, $after: String) {
    products(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id ...ProductCard } }
    }
  }
`);

/** The catalog: category filter and search in the URL, cursor pagination (next / previous). */
export function ProductsPage() {
  const { search } = useLocation();
  const category = search.get('category') ?? '';
  const text = search.get('q') ?? '';
  // Cursors of the pages before this one: "previous" pops, "next" pushes.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [category, text]);
  const after = cursors[cursors.length - 1] ?? null;

  const categories = useQuery(CategoriesQuery, {});
  const filter = { ...(category ? { categorySlug: category } : {}), ...(text ? { search: text } : {}) };
  const list = useQuery(ProductListQuery, { filter, first: PAGE_SIZE, after });

  const setParams = (next: { category?: string; q?: string }) => {
    const params = new URLSearchParams();
    const c = next.category ?? category;
    const q = next.q ?? text;
    if (c) params.set('category', c);
    if (q) params.set('q', q);
    navigate(params.size ? `/?${params}` : '/', { replace: true });
  };
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setParams({ q: draft.trim() });
  };

  const products = list.data?.products;
  return (
    <section>
      <h1>Products</h1>
      <div className="filters">
        <label>
          Category{' '}
          <select aria-label="Category" value={category} onChange={(e) => setParams({ category: e.target.value })} disabled={!categories.data}>
            <option value="">All categories</option>
            {categories.data?.categories.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={onSearch} role="search">
          <input type="search" aria-label="Search products" placeholder="Search name, SKU or description" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">Search</button>
        </form>
      </div>
      {categories.networkError || (categories.errors.length > 0 && !categories.data) ? <ErrorNotice what="the categories" result={categories} onRetry={categories.refetch} /> : null}

      {list.loading && <Loading what="products" />}
      {!list.loading && !products && <ErrorNotice what="the products" result={list} onRetry={list.refetch} />}
      {products && (
        <>
          <PartialNotice errors={list.errors} />
          <p className="muted" data-testid="result-count">
            {products.totalCount} product{products.totalCount === 1 ? '' : 's'}
            {cursors.length > 1 ? ` · page ${cursors.length}` : ''}
          </p>
          {products.edges.length === 0 ? (
            <p className="notice">No products match. Try another category or search.</p>
          ) : (
            <ul className="grid" aria-busy={list.loading}>
              {products.edges.map(({ node }) => (
                <ProductCard key={node.id} product={node} />
              ))}
            </ul>
          )}
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={cursors.length <= 1 || list.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
              ← Previous
            </button>
            <button type="button" disabled={!products.pageInfo.hasNextPage || list.loading} onClick={() => setCursors((c) => [...c, products.pageInfo.endCursor ?? null])}>
              Next →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
