// This router's request path after parsing and validation: its own executor over the query plans
// of `@apollo/query-planner` (the gateway's planner, on the supergraph loaded by
// `@apollo/federation-internals` as the gateway loads it), in place of `@apollo/gateway`'s
// `executeQueryPlan`, `RemoteGraphQLDataSource` and result shaping. Same answers (see
// test/differential.unit.test.ts), a fraction of the work per request (bench/README.md).
import { executeSync, getVariableValues, GraphQLError, Kind, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { Logger } from '@store/core';
import type { RouterContext } from '../request-context.ts';
import { executeStages, type ExecutionEnvironment } from './execute.ts';
import { compilePlan, type CompiledPlan } from './plan.ts';
import { JsonWriter } from './json-writer.ts';
import { compileResponseShape, TypeOracle, writeResponseData, type ResponseShape } from './shape.ts';
import { createSubgraphClient, type CacheHint, type SendToSubgraph } from './subgraph-client.ts';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayLoadResult = Awaited<ReturnType<GatewayInterface['load']>>;
type GatewayExecutor = NonNullable<GatewayLoadResult['executor']>;
type GatewaySchemaCallback = Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0];

/** What an executed operation gives back: the gateway's result, plus the subgraphs' cache hints. */
export interface ExecutionResult {
  /** Execution errors (or the variables' errors when `variablesRejected`). */
  errors?: readonly Error[];
  cacheHints: readonly CacheHint[];
  /**
   * Writes the response's `data` as JSON and returns the shaping errors (the gateway shows them in
   * `extensions.valueCompletion` when there are no execution errors). Absent when nothing ran. When
   * it throws, the gateway's answer is that error alone, without data.
   */
  writeData?: (writer: JsonWriter) => GraphQLError[];
  /** The variables did not fit the operation: nothing ran (Apollo Server answers 400). */
  variablesRejected?: true;
}

export interface PlanExecutorOptions {
  /** The supergraph SDL (already validated). */
  supergraphSdl: string;
  /** Subgraph name → URL, with `SUBGRAPH_<NAME>_URL` overrides applied. */
  urls: ReadonlyMap<string, string>;
  /** Per subgraph request. */
  timeoutMs: number;
  logger: Logger;
  /** Operations kept prepared (least recently used dropped first). Default 1000. */
  operationCacheSize?: number;
  /** Replaces the HTTP client (benchmark recording). */
  send?: SendToSubgraph;
}

/** An operation prepared once: plan, response shape, variable definitions. */
export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  plan: CompiledPlan;
  shape: ResponseShape;
  variableDefinitions: readonly VariableDefinitionNode[];
  /** Size of the last answer, to size the next one's buffer. */
  answerBytes: number;
}

export interface PlanExecutor {
  /** The graphql-js API schema (what requests are validated against). */
  readonly apiSchema: GraphQLSchema;
  /** Prepares (or finds) an operation of an already validated document. */
  prepare(key: string, document: DocumentNode, operationName: string | undefined): PreparedOperation;
  /** A prepared operation by key, if one is cached. */
  lookup(key: string): PreparedOperation | undefined;
  /** Checks variables, runs the plan and shapes the response (as the gateway's executor does). */
  execute(prepared: PreparedOperation, variables: Record<string, unknown> | undefined, context: Partial<RouterContext>): Promise<ExecutionResult>;
  close(): Promise<void>;
}

/** The cache key of an operation: its text and name. */
export function operationKey(query: string, operationName: string | null | undefined): string {
  return operationName ? `${operationName}\u0000${query}` : query;
}

export function createPlanExecutor(options: PlanExecutorOptions): PlanExecutor {
  const supergraph = Supergraph.build(options.supergraphSdl);
  const apiFederationSchema = supergraph.apiSchema();
  const apiSchema = apiFederationSchema.toGraphQLJSSchema();
  const planner = new QueryPlanner(supergraph);
  const client = options.send ? null : createSubgraphClient({ urls: options.urls, timeoutMs: options.timeoutMs, logger: options.logger });
  const env: ExecutionEnvironment = { supergraphSchema: supergraph.schema.toGraphQLJSSchema(), send: options.send ?? client!.send };
  const types = new TypeOracle(apiSchema);
  const cacheSize = options.operationCacheSize ?? 1000;
  const cache = new Map<string, PreparedOperation>();

  return {
    apiSchema,
    lookup(key) {
      const prepared = cache.get(key);
      if (prepared) {
        // Least recently used first: a hit moves to the end.
        cache.delete(key);
        cache.set(key, prepared);
      }
      return prepared;
    },
    prepare(key, document, operationName) {
      const cached = this.lookup(key);
      if (cached) return cached;
      const shaped = compileResponseShape(apiSchema, document, operationName);
      if (!shaped.ok) throw new GraphQLError(shaped.reason);
      // As the gateway: the operation is planned from the document against the API schema.
      const operation = operationFromDocument(apiFederationSchema, document, { operationName });
      const compiled = compilePlan(planner.buildQueryPlan(operation), operation);
      if (!compiled.ok) throw new Error(compiled.reason);
      const prepared: PreparedOperation = {
        document,
        operation: shaped.shape.operation,
        operationName,
        plan: compiled.plan,
        shape: shaped.shape,
        variableDefinitions: shaped.shape.operation.variableDefinitions ?? [],
        answerBytes: 4096,
      };
      cache.set(key, prepared);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return prepared;
    },
    async execute(prepared, variables, context) {
      // As the gateway: variables are checked before any subgraph is called, and forwarded as sent.
      if (prepared.variableDefinitions.length > 0) {
        const { errors } = getVariableValues(apiSchema, prepared.variableDefinitions, variables ?? {});
        if (errors) return { errors, cacheHints: [], variablesRejected: true };
      }
      const outcome = await executeStages(prepared.plan.stagesFor(variables), variables, context, env);
      const introspect = prepared.shape.hasIntrospection ? (field: FieldNode) => introspection(apiSchema, prepared, field, variables) : undefined;
      return {
        ...(outcome.errors.length > 0 ? { errors: outcome.errors } : {}),
        cacheHints: outcome.cacheHints,
        writeData: (writer) => {
          const start = writer.length;
          const errors = writeResponseData(writer, prepared.shape, types, outcome.data, variables, introspect);
          prepared.answerBytes = writer.length - start;
          return errors;
        },
      };
    },
    async close() {
      await client?.close();
    },
  };
}

/** One `__schema` / `__type` field, answered by graphql-js on the API schema (as the gateway does). */
function introspection(schema: GraphQLSchema, prepared: PreparedOperation, field: FieldNode, variables: Record<string, unknown> | undefined): unknown {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { kind: Kind.OPERATION_DEFINITION, operation: 'query' as OperationDefinitionNode['operation'], variableDefinitions: prepared.operation.variableDefinitions ?? [], selectionSet: { kind: Kind.SELECTION_SET, selections: [field] } },
      ...prepared.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
  const result = executeSync({ schema, document, rootValue: {}, variableValues: variables ?? {} });
  if (result.errors?.length) throw result.errors[0];
  const data = result.data as Record<string, unknown>;
  return data[field.alias?.value ?? field.name.value];
}

/** What the gateway reports when its post-processing throws. */
export function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error });
}

export interface RouterGateway extends GatewayInterface {
  /** The executor, once `load` has run (Apollo Server calls it when it starts). */
  readonly executor: PlanExecutor | null;
}

/**
 * What Apollo Server sees as its gateway: loads the static supergraph, hands Apollo Server the API
 * schema, and executes every operation with the plan executor.
 */
export function createRouterGateway(options: PlanExecutorOptions): RouterGateway {
  let executor: PlanExecutor | null = null;
  const listeners = new Set<GatewaySchemaCallback>();
  return {
    get executor() {
      return executor;
    },
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      executor ??= createPlanExecutor(options);
      const planExecutor = executor;
      for (const listener of listeners) listener({ apiSchema: planExecutor.apiSchema, coreSupergraphSdl: options.supergraphSdl });
      const execute: GatewayExecutor = async (requestContext) => {
        const { request, document, operation } = requestContext;
        if (operation.operation === 'subscription') throw new Error('Execution of subscriptions not supported by gateway');
        const prepared = planExecutor.prepare(operationKey(requestContext.source, request.operationName), document, request.operationName);
        const result = await planExecutor.execute(prepared, request.variables, requestContext.context as Partial<RouterContext>);
        // As RemoteGraphQLDataSource: every subgraph answer's cache-control restricts the response's.
        for (const hint of result.cacheHints) requestContext.overallCachePolicy?.restrict?.(hint);
        if (!result.writeData) return { errors: result.errors as GraphQLError[] };
        const writer = new JsonWriter(prepared.answerBytes + 1024);
        let shapingErrors: GraphQLError[];
        try {
          shapingErrors = result.writeData(writer);
        } catch (error) {
          return { errors: [asGraphQLError(error)] };
        }
        const data = JSON.parse(writer.toString()) as Record<string, unknown> | null;
        if (result.errors) return { errors: result.errors as GraphQLError[], data };
        return shapingErrors.length > 0 ? { data, extensions: { valueCompletion: shapingErrors } } : { data };
      };
      return { executor: execute };
    },
    async stop() {
      await executor?.close();
    },
  };
}
