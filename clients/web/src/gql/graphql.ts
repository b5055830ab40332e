/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddReviewInput = {
  /** 1–5000 characters after trimming. */
  body: string;
  productId: string;
  /** An integer from 1 to 5. */
  rating: number;
};

export type CardInput = {
  /** 3 or 4 digits. Never stored or logged. */
  cvc: string;
  /** 1–12. */
  expMonth: number;
  /** Four digits, e.g. 2030. */
  expYear: number;
  /** 12–19 digits; spaces and dashes are ignored. Never stored or logged. */
  number: string;
};

export type OrderItemInput = {
  productId: string;
  /** An integer from 1 to 1000. */
  quantity: number;
};

export type OrderStatus =
  /** Cancelled before it was paid. */
  | 'CANCELLED'
  /** Paid by an approved payment. */
  | 'PAID'
  /** Placed, waiting for payment. */
  | 'PENDING';

export type PayOrderInput = {
  card: CardInput;
  /** 8–100 characters, unique per payment attempt: a retry with the same key returns the same payment. */
  idempotencyKey: string;
  orderId: string;
};

export type PaymentStatus =
  | 'APPROVED'
  | 'DECLINED'
  /** The provider did not answer in time or failed; nothing was charged. Retry with a new idempotency key. */
  | 'FAILED'
  /** The provider has not answered yet. */
  | 'PENDING';

export type PlaceOrderInput = {
  /** 1–50 lines, each for a different product. */
  items: Array<OrderItemInput>;
};

export type ProductFilter = {
  categoryId?: string | null | undefined;
  categorySlug?: string | null | undefined;
  /** Only the products with these ids (at most 100; an unknown id matches nothing). */
  ids?: Array<string> | null | undefined;
  maxPrice?: number | null | undefined;
  minPrice?: number | null | undefined;
  /** Case-insensitive match on name, SKU or description. */
  search?: string | null | undefined;
};

export type SignUpInput = {
  /** A valid email address, at most 254 characters; stored trimmed and lowercased. */
  email: string;
  /** 1–100 characters after trimming. */
  name: string;
  /** 8–200 characters. */
  password: string;
};

export type OrderCardFragment = { id: string, status: OrderStatus, createdAt: string, total: { amount: number, currency: string }, items: Array<{ quantity: number, subtotal: { amount: number, currency: string }, product: { id: string, name: string } }>, payment: { id: string, status: PaymentStatus, declineReason: string | null, card: { brand: string, last4: string } } | null } & { ' $fragmentName'?: 'OrderCardFragment' };

export type ProductCardFragment = { id: string, sku: string, name: string, inStock: boolean, averageRating: number | null, price: { amount: number, currency: string }, category: { name: string } } & { ' $fragmentName'?: 'ProductCardFragment' };

export type ReviewItemFragment = { id: string, rating: number, body: string, createdAt: string, author: { id: string, name: string } } & { ' $fragmentName'?: 'ReviewItemFragment' };

export type LogInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LogInMutation = { logIn: { token: string, expiresAt: string, user: { id: string, name: string } } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { token: string, expiresAt: string, user: { id: string, name: string } } };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { id: string, status: OrderStatus, total: { amount: number, currency: string } } };

export type PayOrderMutationVariables = Exact<{
  input: PayOrderInput;
}>;


export type PayOrderMutation = { payOrder: { id: string, status: PaymentStatus, declineReason: string | null, amount: { amount: number, currency: string }, card: { brand: string, last4: string }, order: { id: string, status: OrderStatus } } };

export type MyOrdersQueryVariables = Exact<{ [key: string]: never; }>;


export type MyOrdersQuery = { me: { id: string, name: string, orders: { totalCount: number, edges: Array<{ node: (
          { id: string }
          & { ' $fragmentRefs'?: { 'OrderCardFragment': OrderCardFragment } }
        ) }> } } | null };

export type ProductDetailsFragment = { id: string, sku: string, name: string, description: string, weight: number, inStock: boolean, quantityAvailable: number, price: { amount: number, currency: string }, category: { slug: string, name: string }, shippingEstimate: { amount: number, currency: string } | null } & { ' $fragmentName'?: 'ProductDetailsFragment' };

export type ProductReviewsFragment = { averageRating: number | null, reviewCount: number, reviews: { edges: Array<{ node: (
        { id: string }
        & { ' $fragmentRefs'?: { 'ReviewItemFragment': ReviewItemFragment } }
      ) }> } } & { ' $fragmentName'?: 'ProductReviewsFragment' };

export type ProductPageQueryVariables = Exact<{
  id: string;
}>;


export type ProductPageQuery = { product: (
    { id: string }
    & { ' $fragmentRefs'?: { 'ProductDetailsFragment': ProductDetailsFragment } }
  ) | null, productReviews: (
    { id: string }
    & { ' $fragmentRefs'?: { 'ProductReviewsFragment': ProductReviewsFragment } }
  ) | null };

export type AddReviewMutationVariables = Exact<{
  input: AddReviewInput;
}>;


export type AddReviewMutation = { addReview: (
    { id: string }
    & { ' $fragmentRefs'?: { 'ReviewItemFragment': ReviewItemFragment } }
  ) };

export type CategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type CategoriesQuery = { categories: Array<{ id: string, slug: string, name: string }> };

export type ProductListQueryVariables = Exact<{
  filter?: ProductFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ProductListQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: (
        { id: string }
        & { ' $fragmentRefs'?: { 'ProductCardFragment': ProductCardFragment } }
      ) }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const OrderCardFragmentDoc = new TypedDocumentString(`
    fragment OrderCard on Order {
  id
  status
  createdAt
  total {
    amount
    currency
  }
  items {
    quantity
    subtotal {
      amount
      currency
    }
    product {
      id
      name
    }
  }
  payment {
    id
    status
    declineReason
    card {
      brand
      last4
    }
  }
}
    `, {"fragmentName":"OrderCard"}) as unknown as TypedDocumentString<OrderCardFragment, unknown>;
export const ProductCardFragmentDoc = new TypedDocumentString(`
    fragment ProductCard on Product {
  id
  sku
  name
  price {
    amount
    currency
  }
  category {
    name
  }
  inStock
  averageRating
}
    `, {"fragmentName":"ProductCard"}) as unknown as TypedDocumentString<ProductCardFragment, unknown>;
export const ProductDetailsFragmentDoc = new TypedDocumentString(`
    fragment ProductDetails on Product {
  id
  sku
  name
  description
  price {
    amount
    currency
  }
  weight
  category {
    slug
    name
  }
  inStock
  quantityAvailable
  shippingEstimate {
    amount
    currency
  }
}
    `, {"fragmentName":"ProductDetails"}) as unknown as TypedDocumentString<ProductDetailsFragment, unknown>;
export const ReviewItemFragmentDoc = new TypedDocumentString(`
    fragment ReviewItem on Review {
  id
  rating
  body
  createdAt
  author {
    id
    name
  }
}
    `, {"fragmentName":"ReviewItem"}) as unknown as TypedDocumentString<ReviewItemFragment, unknown>;
export const ProductReviewsFragmentDoc = new TypedDocumentString(`
    fragment ProductReviews on Product {
  averageRating
  reviewCount
  reviews(first: 10) {
    edges {
      node {
        id
        ...ReviewItem
      }
    }
  }
}
    fragment ReviewItem on Review {
  id
  rating
  body
  createdAt
  author {
    id
    name
  }
}`, {"fragmentName":"ProductReviews"}) as unknown as TypedDocumentString<ProductReviewsFragment, unknown>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) {
    token
    expiresAt
    user {
      id
      name
    }
  }
}
    `, {"hash":"c76185906c6ec7ad6bfe35b58fb28d3f2cd6f24fc2f9108287b1414097be582e"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    token
    expiresAt
    user {
      id
      name
    }
  }
}
    `, {"hash":"804a60fdc2f17323cdb10072635b3aca08507410fc95ccb85564849223475195"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const PlaceOrderDocument = new TypedDocumentString(`
    mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    id
    status
    total {
      amount
      currency
    }
  }
}
    `, {"hash":"cc77e7139b132c4928fed633aa231e32eb073d76e35af7b5353fa92a8d1b6e70"}) as unknown as TypedDocumentString<PlaceOrderMutation, PlaceOrderMutationVariables>;
export const PayOrderDocument = new TypedDocumentString(`
    mutation PayOrder($input: PayOrderInput!) {
  payOrder(input: $input) {
    id
    status
    declineReason
    amount {
      amount
      currency
    }
    card {
      brand
      last4
    }
    order {
      id
      status
    }
  }
}
    `, {"hash":"753428f147f3c34e9642fbcc5dfed889b2f9af5e2512edf8d29d827ded20ea86"}) as unknown as TypedDocumentString<PayOrderMutation, PayOrderMutationVariables>;
export const MyOrdersDocument = new TypedDocumentString(`
    query MyOrders {
  me {
    id
    name
    orders(first: 20) {
      totalCount
      edges {
        node {
          id
          ...OrderCard
        }
      }
    }
  }
}
    fragment OrderCard on Order {
  id
  status
  createdAt
  total {
    amount
    currency
  }
  items {
    quantity
    subtotal {
      amount
      currency
    }
    product {
      id
      name
    }
  }
  payment {
    id
    status
    declineReason
    card {
      brand
      last4
    }
  }
}`, {"hash":"44fbcb84df78055123fb66164f7821c3e53498dc91f62e25a9ee7846b4d2d378"}) as unknown as TypedDocumentString<MyOrdersQuery, MyOrdersQueryVariables>;
export const ProductPageDocument = new TypedDocumentString(`
    query ProductPage($id: ID!) {
  product(id: $id) {
    id
    ...ProductDetails
  }
  productReviews: product(id: $id) {
    id
    ...ProductReviews
  }
}
    fragment ReviewItem on Review {
  id
  rating
  body
  createdAt
  author {
    id
    name
  }
}
fragment ProductDetails on Product {
  id
  sku
  name
  description
  price {
    amount
    currency
  }
  weight
  category {
    slug
    name
  }
  inStock
  quantityAvailable
  shippingEstimate {
    amount
    currency
  }
}
fragment ProductReviews on Product {
  averageRating
  reviewCount
  reviews(first: 10) {
    edges {
      node {
        id
        ...ReviewItem
      }
    }
  }
}`, {"hash":"2fed2d093113bf76146bd8f86e1779a68aae77a76c3bccf85ffb1285531b6e0b"}) as unknown as TypedDocumentString<ProductPageQuery, ProductPageQueryVariables>;
export const AddReviewDocument = new TypedDocumentString(`
    mutation AddReview($input: AddReviewInput!) {
  addReview(input: $input) {
    id
    ...ReviewItem
  }
}
    fragment ReviewItem on Review {
  id
  rating
  body
  createdAt
  author {
    id
    name
  }
}`, {"hash":"273a7630372cd17f01e29ebcad24a896733da38a2b41a222b38709a24ef900e7"}) as unknown as TypedDocumentString<AddReviewMutation, AddReviewMutationVariables>;
export const CategoriesDocument = new TypedDocumentString(`
    query Categories {
  categories {
    id
    slug
    name
  }
}
    `, {"hash":"3ecc50b53c102988dc2f720cfd25588071686b56d8d8e8baf8dd0d3226fb3581"}) as unknown as TypedDocumentString<CategoriesQuery, CategoriesQueryVariables>;
export const ProductListDocument = new TypedDocumentString(`
    query ProductList($filter: ProductFilter, $first: Int!, $after: String) {
  products(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        ...ProductCard
      }
    }
  }
}
    fragment ProductCard on Product {
  id
  sku
  name
  price {
    amount
    currency
  }
  category {
    name
  }
  inStock
  averageRating
}`, {"hash":"966ba54c9b1c634bcd757a8cf0c9c35625ba4ff94ce969c2133d1b10a83a9148"}) as unknown as TypedDocumentString<ProductListQuery, ProductListQueryVariables>;