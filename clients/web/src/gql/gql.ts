/* eslint-disable */
import * as types from './graphql.ts';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment OrderCard on Order {\n    id\n    status\n    createdAt\n    total { amount currency }\n    items {\n      quantity\n      subtotal { amount currency }\n      product { id name }\n    }\n    payment {\n      id\n      status\n      declineReason\n      card { brand last4 }\n    }\n  }\n": typeof types.OrderCardFragmentDoc,
    "\n  fragment ProductCard on Product {\n    id\n    sku\n    name\n    price { amount currency }\n    category { name }\n    inStock\n    averageRating\n  }\n": typeof types.ProductCardFragmentDoc,
    "\n  fragment ReviewItem on Review {\n    id\n    rating\n    body\n    createdAt\n    author { id name }\n  }\n": typeof types.ReviewItemFragmentDoc,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token expiresAt user { id name } }\n  }\n": typeof types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token expiresAt user { id name } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { id status total { amount currency } }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) {\n      id\n      status\n      declineReason\n      amount { amount currency }\n      card { brand last4 }\n      order { id status }\n    }\n  }\n": typeof types.PayOrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      name\n      orders(first: 20) {\n        totalCount\n        edges { node { id ...OrderCard } }\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  fragment ProductDetails on Product {\n    id\n    sku\n    name\n    description\n    price { amount currency }\n    weight\n    category { slug name }\n    inStock\n    quantityAvailable\n    shippingEstimate { amount currency }\n  }\n": typeof types.ProductDetailsFragmentDoc,
    "\n  fragment ProductReviews on Product {\n    averageRating\n    reviewCount\n    reviews(first: 10) { edges { node { id ...ReviewItem } } }\n  }\n": typeof types.ProductReviewsFragmentDoc,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) { id ...ProductDetails }\n    productReviews: product(id: $id) { id ...ProductReviews }\n  }\n": typeof types.ProductPageDocument,
    "\n  mutation AddReview($input: AddReviewInput!) {\n    addReview(input: $input) { id ...ReviewItem }\n  }\n": typeof types.AddReviewDocument,
    "\n  query Categories {\n    categories { id slug name }\n  }\n": typeof types.CategoriesDocument,
    "\n  query ProductList($filter: ProductFilter, $first: Int!, $after: String) {\n    products(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id ...ProductCard } }\n    }\n  }\n": typeof types.ProductListDocument,
};
const documents: Documents = {
    "\n  fragment OrderCard on Order {\n    id\n    status\n    createdAt\n    total { amount currency }\n    items {\n      quantity\n      subtotal { amount currency }\n      product { id name }\n    }\n    payment {\n      id\n      status\n      declineReason\n      card { brand last4 }\n    }\n  }\n": types.OrderCardFragmentDoc,
    "\n  fragment ProductCard on Product {\n    id\n    sku\n    name\n    price { amount currency }\n    category { name }\n    inStock\n    averageRating\n  }\n": types.ProductCardFragmentDoc,
    "\n  fragment ReviewItem on Review {\n    id\n    rating\n    body\n    createdAt\n    author { id name }\n  }\n": types.ReviewItemFragmentDoc,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token expiresAt user { id name } }\n  }\n": types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token expiresAt user { id name } }\n  }\n": types.SignUpDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { id status total { amount currency } }\n  }\n": types.PlaceOrderDocument,
    "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) {\n      id\n      status\n      declineReason\n      amount { amount currency }\n      card { brand last4 }\n      order { id status }\n    }\n  }\n": types.PayOrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      name\n      orders(first: 20) {\n        totalCount\n        edges { node { id ...OrderCard } }\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  fragment ProductDetails on Product {\n    id\n    sku\n    name\n    description\n    price { amount currency }\n    weight\n    category { slug name }\n    inStock\n    quantityAvailable\n    shippingEstimate { amount currency }\n  }\n": types.ProductDetailsFragmentDoc,
    "\n  fragment ProductReviews on Product {\n    averageRating\n    reviewCount\n    reviews(first: 10) { edges { node { id ...ReviewItem } } }\n  }\n": types.ProductReviewsFragmentDoc,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) { id ...ProductDetails }\n    productReviews: product(id: $id) { id ...ProductReviews }\n  }\n": types.ProductPageDocument,
    "\n  mutation AddReview($input: AddReviewInput!) {\n    addReview(input: $input) { id ...ReviewItem }\n  }\n": types.AddReviewDocument,
    "\n  query Categories {\n    categories { id slug name }\n  }\n": types.CategoriesDocument,
    "\n  query ProductList($filter: ProductFilter, $first: Int!, $after: String) {\n    products(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id ...ProductCard } }\n    }\n  }\n": types.ProductListDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderCard on Order {\n    id\n    status\n    createdAt\n    total { amount currency }\n    items {\n      quantity\n      subtotal { amount currency }\n      product { id name }\n    }\n    payment {\n      id\n      status\n      declineReason\n      card { brand last4 }\n    }\n  }\n"): typeof import('./graphql.ts').OrderCardFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCard on Product {\n    id\n    sku\n    name\n    price { amount currency }\n    category { name }\n    inStock\n    averageRating\n  }\n"): typeof import('./graphql.ts').ProductCardFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReviewItem on Review {\n    id\n    rating\n    body\n    createdAt\n    author { id name }\n  }\n"): typeof import('./graphql.ts').ReviewItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token expiresAt user { id name } }\n  }\n"): typeof import('./graphql.ts').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token expiresAt user { id name } }\n  }\n"): typeof import('./graphql.ts').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { id status total { amount currency } }\n  }\n"): typeof import('./graphql.ts').PlaceOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) {\n      id\n      status\n      declineReason\n      amount { amount currency }\n      card { brand last4 }\n      order { id status }\n    }\n  }\n"): typeof import('./graphql.ts').PayOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders {\n    me {\n      id\n      name\n      orders(first: 20) {\n        totalCount\n        edges { node { id ...OrderCard } }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').MyOrdersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductDetails on Product {\n    id\n    sku\n    name\n    description\n    price { amount currency }\n    weight\n    category { slug name }\n    inStock\n    quantityAvailable\n    shippingEstimate { amount currency }\n  }\n"): typeof import('./graphql.ts').ProductDetailsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductReviews on Product {\n    averageRating\n    reviewCount\n    reviews(first: 10) { edges { node { id ...ReviewItem } } }\n  }\n"): typeof import('./graphql.ts').ProductReviewsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($id: ID!) {\n    product(id: $id) { id ...ProductDetails }\n    productReviews: product(id: $id) { id ...ProductReviews }\n  }\n"): typeof import('./graphql.ts').ProductPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddReview($input: AddReviewInput!) {\n    addReview(input: $input) { id ...ReviewItem }\n  }\n"): typeof import('./graphql.ts').AddReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Categories {\n    categories { id slug name }\n  }\n"): typeof import('./graphql.ts').CategoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductList($filter: ProductFilter, $first: Int!, $after: String) {\n    products(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id ...ProductCard } }\n    }\n  }\n"): typeof import('./graphql.ts').ProductListDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
