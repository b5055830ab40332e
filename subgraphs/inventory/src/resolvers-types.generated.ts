import type { GraphQLResolveInfo } from 'graphql';
import type { WarehouseMapper, StockLevelMapper, ProductMapper, ReservationMapper, ReservedItemMapper } from './mappers.ts';
import type { SubgraphContext } from './context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** An amount of money in minor units (cents). */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['Int']['output'];
  /** ISO 4217 code, e.g. USD. */
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Checkout only (SERVICE role), once the order is paid: its held units are sold. Each stock level
   * loses the units the order held in it and the reservation becomes CONSUMED, in one transaction,
   * so availability does not change. Idempotent: a consumed reservation is returned unchanged. Null
   * when the order never reserved anything; CONFLICT when its reservation was released.
   */
  consumeStock: Maybe<Reservation>;
  /**
   * Checkout only (SERVICE role). Gives an order's held units back. Idempotent: releasing a released
   * reservation returns it unchanged. NOT_FOUND when the order never reserved anything.
   */
  releaseStock: Reservation;
  /**
   * Checkout only (SERVICE role). Holds every item for the order, or nothing: each item is taken from
   * the warehouses that have it, in warehouse code order. CONFLICT (with `extensions.productId`) when
   * an item lacks stock. Calling it again for an order that holds the same items returns the existing
   * reservation; a released reservation may be replaced by a new one.
   */
  reserveStock: Reservation;
  /**
   * Admin only. Adds `quantity` units of a catalog product to a warehouse's stock (creating the
   * stock level when the warehouse did not hold the product) and returns the new level.
   */
  restock: StockLevel;
};


export type MutationConsumeStockArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationReleaseStockArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationReserveStockArgs = {
  items: Array<ReservationItemInput>;
  orderId: Scalars['ID']['input'];
};


export type MutationRestockArgs = {
  input: RestockInput;
};

export type Product = {
  __typename?: 'Product';
  id: Scalars['ID']['output'];
  /** Whether at least one unit can be ordered now (`quantityAvailable > 0`). */
  inStock: Scalars['Boolean']['output'];
  price: Money;
  /**
   * Units that can be ordered now: per warehouse, the units on hand minus those held by active
   * reservations (never below 0), summed over warehouses. 0 for a product no warehouse holds.
   */
  quantityAvailable: Scalars['Int']['output'];
  /**
   * Units held by active reservations. Composed so that another subgraph (e.g. a fulfilment or
   * forecasting service) can `@requires` it, but never part of the API schema: it reveals how much
   * is in checkouts right now, which is commercially sensitive.
   */
  reservedQuantity: Scalars['Int']['output'];
  /**
   * Standard shipping for one unit, in the product's currency (no I/O, same answer everywhere):
   * free (amount 0) when `price.amount` ≥ 10000 minor units (100.00); otherwise 499 plus 50 for
   * every started 500 g of `weight` (e.g. 1 g → 549, 500 g → 549, 501 g → 599, 0 g → 499).
   */
  shippingEstimate: Maybe<Money>;
  /** Admin only. The stock level in every warehouse that holds the product, in warehouse code order. */
  stock: Array<StockLevel>;
  weight: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Every warehouse, in code order. */
  warehouses: Array<Warehouse>;
};

/** The units held for one order (an orders id). */
export type Reservation = {
  __typename?: 'Reservation';
  /** One entry per product and warehouse the units were taken from. */
  items: Array<ReservedItem>;
  orderId: Scalars['ID']['output'];
  status: ReservationStatus;
};

export type ReservationItemInput = {
  /** A catalog product id; each product at most once per call. */
  productId: Scalars['ID']['input'];
  /** Units to hold: an integer from 1 to 1000. */
  quantity: Scalars['Int']['input'];
};

export type ReservationStatus =
  /** Held: counts against availability. */
  | 'ACTIVE'
  /** Sold (the order was paid): taken off the stock level, counts for nothing. */
  | 'CONSUMED'
  /** Given back: counts for nothing. */
  | 'RELEASED';

export type ReservedItem = {
  __typename?: 'ReservedItem';
  product: Product;
  quantity: Scalars['Int']['output'];
  warehouse: Warehouse;
};

export type RestockInput = {
  /** A catalog product id. */
  productId: Scalars['ID']['input'];
  /** Units to add: an integer from 1 to 100000. */
  quantity: Scalars['Int']['input'];
  warehouseId: Scalars['ID']['input'];
};

/**
 * Units on hand in one warehouse (active reservations are not subtracted). Staff only: every field
 * that returns it (`Product.stock`, `restock`) needs the `inventory:write` scope.
 */
export type StockLevel = {
  __typename?: 'StockLevel';
  quantity: Scalars['Int']['output'];
  warehouse: Warehouse;
};

export type Warehouse = {
  __typename?: 'Warehouse';
  city: Scalars['String']['output'];
  /** Short operator-facing code, e.g. AMS-1. */
  code: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Product: Product;
  Warehouse: Warehouse;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Product'], {"weight":true,"price":{"amount":true,"currency":true}}> ) );
  Warehouse:
    ( { __typename: 'Warehouse' }
    & GraphQLRecursivePick<FederationTypes['Warehouse'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Money: ResolverTypeWrapper<Money>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Product: ResolverTypeWrapper<ProductMapper>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reservation: ResolverTypeWrapper<ReservationMapper>;
  ReservationItemInput: ReservationItemInput;
  ReservationStatus: ReservationStatus;
  ReservedItem: ResolverTypeWrapper<ReservedItemMapper>;
  RestockInput: RestockInput;
  StockLevel: ResolverTypeWrapper<StockLevelMapper>;
  Warehouse: ResolverTypeWrapper<WarehouseMapper>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Money: Money;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Product: ProductMapper;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Reservation: ReservationMapper;
  ReservationItemInput: ReservationItemInput;
  ReservedItem: ReservedItemMapper;
  RestockInput: RestockInput;
  StockLevel: StockLevelMapper;
  Warehouse: WarehouseMapper;
}>;

export type MoneyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  consumeStock?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<MutationConsumeStockArgs, 'orderId'>>;
  releaseStock?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReleaseStockArgs, 'orderId'>>;
  reserveStock?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'items' | 'orderId'>>;
  restock?: Resolver<ResolversTypes['StockLevel'], ParentType, ContextType, RequireFields<MutationRestockArgs, 'input'>>;
}>;

export type ProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  quantityAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shippingEstimate?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  stock?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  warehouses?: Resolver<Array<ResolversTypes['Warehouse']>, ParentType, ContextType>;
}>;

export type ReservationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['ReservedItem']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
}>;

export type ReservedItemResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ReservedItem'] = ResolversParentTypes['ReservedItem']> = ResolversObject<{
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['Warehouse'], ParentType, ContextType>;
}>;

export type StockLevelResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['StockLevel'] = ResolversParentTypes['StockLevel']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['Warehouse'], ParentType, ContextType>;
}>;

export type WarehouseResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Warehouse'] = ResolversParentTypes['Warehouse'], FederationReferenceType extends FederationReferenceTypes['Warehouse'] = FederationReferenceTypes['Warehouse']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Warehouse']> | FederationReferenceType, FederationReferenceType, ContextType>;
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservedItem?: ReservedItemResolvers<ContextType>;
  StockLevel?: StockLevelResolvers<ContextType>;
  Warehouse?: WarehouseResolvers<ContextType>;
}>;

