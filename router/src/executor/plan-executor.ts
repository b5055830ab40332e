// This router's request path after parsing and validation: its own executor over the query plans
// of `@apollo/query-planner` (the gateway's planner, on the supergraph loaded by
// `@apollo/federation-internals` as the gateway loads it), in place of `@apollo/gateway`'s
// `executeQueryPlan`, `RemoteGraphQLDataSource` and result shaping. Same answers (see
// test/differential.unit.test.ts), a fraction of the work per request (bench/README.md).
import { executeSync, getVariableValues, GraphQLError, Kind, visit, type DirectiveNode, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { operationFromDocument } from '@apollo/federation-internals';
import type { Logger } from '@store/core';
import type { RouterContext } from '../request-context.ts';
import { createCostModel, type CostFunction } from '../limits/cost.ts';
import { withDeadline } from '../limits/deadline.ts';
import { COST_HEADER, costEstimatedTooExpensive, gatewayTimeout, wantsCostReport, type CostReport } from '../limits/errors.ts';
import { createAuthorizer, operationRequirements, readRequirements, RequirementIndex, unauthorizedFieldOrType, withoutSelections, type AuthorizationMode, type GuardedNode, type OperationRequirements, type Verdict } from '../authorization/index.ts';
import type { Policy } from '../policies.ts';
import { buildSupergraph } from '../supergraph.ts';
import { operationResolutionFailure, subscriptionsNotSupported } from '../errors.ts';
import { executeStages, type ExecutionEnvironment } from './execute.ts';
import { createSubgraphBatcher } from './batching.ts';
import { compilePlan, type CompiledPlan } from './plan.ts';
import { createQueryPlanner } from './query-planner.ts';
import { addComposedExecutableDirectives, withDirectiveDefaults } from './composed-directives.ts';
import { aliasRenames, plannerSelectedNames, withClientPaths, withRenamedAliases, type AliasRenames } from './aliases.ts';
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
  /** The operation's estimated cost (demand control), once the variables were accepted. */
  cost?: CostReport;
  /**
   * Set when the router refused or cut short the request (cost over the maximum: 400; deadline
   * passed: 504): the answer is `errors` alone with this HTTP status, on both paths.
   */
  status?: number;
}

export interface PlanExecutorOptions {
  /** The supergraph SDL (already validated). */
  supergraphSdl: string;
  /** Subgraph name → URL, with `SUBGRAPH_<NAME>_URL` overrides applied. */
  urls: ReadonlyMap<string, string>;
  /** Subgraph name → secret its requests are signed with (others go unsigned). */
  signingSecrets?: ReadonlyMap<string, string>;
  /** Per subgraph request. */
  timeoutMs: number;
  /** One subgraph call for identical queries in flight (`SUBGRAPH_DEDUPLICATION`). Default false. */
  deduplicateSubgraphRequests?: boolean;
  /** Subgraph requests of concurrent query operations batched per event-loop turn (`SUBGRAPH_BATCHING`). Default true. */
  batchSubgraphRequests?: boolean;
  logger: Logger;
  /** Operations kept prepared (least recently used dropped first). Default 1000. */
  operationCacheSize?: number;
  /** Replaces the HTTP client (benchmark recording). */
  send?: SendToSubgraph;
  /** Demand control: operations estimated over this cost are refused. Default `null` (no maximum). */
  maxCost?: number | null;
  /** Size assumed for list fields without `@listSize`. Default 10. */
  defaultListSize?: number;
  /** Deadline for a request's execution (all its subgraph calls). Default `null` (none). */
  requestTimeoutMs?: number | null;
  /** How `@authenticated` / `@requiresScopes` / `@policy` are enforced. Default `filter`. */
  authorizationMode?: AuthorizationMode;
  /** `@policy` names → functions. Default: router/src/policies.ts. */
  policies?: Readonly<Record<string, Policy>>;
  /** Called as each execution starts, on both request paths (the usage log). Must not throw or block. */
  onExecute?: (prepared: PreparedOperation, context: Partial<RouterContext>) => void;
}

/** An operation prepared once: plan, response shape, variable definitions. */
export interface PreparedOperation {
  document: DocumentNode;
  /** The document's text as the request sent it (or as its persisted hash resolved to). */
  source?: string;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  plan: CompiledPlan;
  shape: ResponseShape;
  variableDefinitions: readonly VariableDefinitionNode[];
  /** Demand control: the operation's estimated cost for a request's variables. */
  cost: CostFunction;
  /** Size of the last answer, to size the next one's buffer. */
  answerBytes: number;
  /** What the operation's selections require; absent when nothing it selects is guarded. */
  authorization?: OperationRequirements;
  /** Client fields planned under another alias (./aliases.ts); absent in the usual case. */
  renames?: AliasRenames;
  /** Variables that `@skip(if:)` / `@include(if:)` read, with the first directive that reads each. */
  conditionVariables?: ReadonlyMap<string, DirectiveNode>;
  /** Plans and shapes without the selections a request may not make, by failed requirements. */
  filtered?: Map<string, FilteredOperation>;
}

/** The operation as planned for requests that fail some requirements (see ../authorization/). */
interface FilteredOperation {
  /** Null when nothing is left to fetch. */
  plan: CompiledPlan | null;
  shape: ResponseShape;
}

/** Filtered variants kept per operation (distinct sets of failed requirements are few). */
const MAX_FILTERED_VARIANTS = 16;

export interface PlanExecutor {
  /** The graphql-js API schema (what requests are validated against). */
  readonly apiSchema: GraphQLSchema;
  /** Prepares (or finds) an operation of an already validated document. */
  prepare(key: string, document: DocumentNode, operationName: string | undefined, source?: string): PreparedOperation;
  /** A prepared operation by key, if one is cached. */
  lookup(key: string): PreparedOperation | undefined;
  /** Checks variables, runs the plan and shapes the response (as the gateway's executor does). */
  execute(prepared: PreparedOperation, variables: Record<string, unknown> | undefined, context: Partial<RouterContext>): Promise<ExecutionResult>;
  close(): Promise<void>;
}

/** graphql-js's own cap on variable coercion errors (`execute`'s `maxErrors`). */
const MAX_VARIABLE_ERRORS = 50;

/** The cache key of an operation: its text and name. */
export function operationKey(query: string, operationName: string | null | undefined): string {
  return operationName ? `${operationName}\u0000${query}` : query;
}

export function createPlanExecutor(options: PlanExecutorOptions): PlanExecutor {
  const supergraph = buildSupergraph(options.supergraphSdl);
  const apiFederationSchema = supergraph.apiSchema();
  const composedDirectives = addComposedExecutableDirectives(supergraph.schema, apiFederationSchema);
  const apiSchema = apiFederationSchema.toGraphQLJSSchema();
  const plannerNames = plannerSelectedNames(options.supergraphSdl);
  /**
   * The operation the planner plans: the document with composed directives' defaults written out
   * and the client fields that collide with the planner's own selections under fresh aliases.
   */
  const plannedOperation = (document: DocumentNode, operationName: string | undefined, renames: AliasRenames | undefined) =>
    operationFromDocument(apiFederationSchema, withRenamedAliases(withDirectiveDefaults(document, apiSchema, composedDirectives), renames), { operationName });
  const planner = createQueryPlanner(supergraph);
  const client = options.send ? null : createSubgraphClient({ urls: options.urls, timeoutMs: options.timeoutMs, logger: options.logger, deduplicate: options.deduplicateSubgraphRequests === true, ...(options.signingSecrets && { signingSecrets: options.signingSecrets }) });
  const env: ExecutionEnvironment = {
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    send: options.send ?? client!.send,
    ...(options.batchSubgraphRequests !== false && { batcher: createSubgraphBatcher() }),
  };
  const types = new TypeOracle(apiSchema);
  const cacheSize = options.operationCacheSize ?? 1000;
  const cache = new Map<string, PreparedOperation>();
  const costModel = createCostModel(env.supergraphSchema, options.defaultListSize !== undefined ? { defaultListSize: options.defaultListSize } : {});
  const maxCost = options.maxCost ?? null;
  const requestTimeoutMs = options.requestTimeoutMs ?? null;
  const authorizationMode = options.authorizationMode ?? 'filter';
  const declared = readRequirements(supergraph.schema);
  const requirementIndex = new RequirementIndex(apiSchema, declared);
  const authorizer = createAuthorizer({ mode: authorizationMode, declared, logger: options.logger, ...(options.policies ? { policies: options.policies } : {}) });

  /** The operation without the selections `verdict` removes, planned once per set of failed requirements. */
  const filteredOperation = (prepared: PreparedOperation, verdict: Extract<Verdict, { allowed: false }>): FilteredOperation => {
    const variants = (prepared.filtered ??= new Map());
    const cached = variants.get(verdict.key);
    if (cached) return cached;
    const removed = new Set<GuardedNode>(verdict.sites.map((site) => site.node));
    const { document, emptyRoot } = withoutSelections(prepared.document, prepared.operation, removed);
    const shaped = compileResponseShape(apiSchema, prepared.document, prepared.operationName, removed, prepared.renames);
    if (!shaped.ok) throw new GraphQLError(shaped.reason);
    let plan: CompiledPlan | null = null;
    if (!emptyRoot) {
      const operation = plannedOperation(document, prepared.operationName, prepared.renames);
      const compiled = compilePlan(planner.buildQueryPlan(operation), operation);
      if (!compiled.ok) throw new Error(compiled.reason);
      plan = compiled.plan;
    }
    const variant: FilteredOperation = { plan, shape: shaped.shape };
    variants.set(verdict.key, variant);
    if (variants.size > MAX_FILTERED_VARIANTS) variants.delete(variants.keys().next().value!);
    return variant;
  };

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
    prepare(key, document, operationName, source) {
      const cached = this.lookup(key);
      if (cached) return cached;
      const renames = aliasRenames(document, plannerNames);
      const shaped = compileResponseShape(apiSchema, document, operationName, undefined, renames);
      if (!shaped.ok) throw new GraphQLError(shaped.reason);
      // As the gateway: the operation is planned from the document against the API schema.
      const operation = plannedOperation(document, operationName, renames);
      const compiled = compilePlan(planner.buildQueryPlan(operation), operation);
      if (!compiled.ok) throw new Error(compiled.reason);
      const prepared: PreparedOperation = {
        document,
        ...(source !== undefined ? { source } : {}),
        operation: shaped.shape.operation,
        operationName,
        plan: compiled.plan,
        shape: shaped.shape,
        variableDefinitions: shaped.shape.operation.variableDefinitions ?? [],
        cost: costModel.compile(document, shaped.shape.operation),
        answerBytes: 4096,
        ...(renames.size > 0 ? { renames } : {}),
      };
      const conditionVariables = conditionVariablesOf(document);
      if (conditionVariables.size > 0) prepared.conditionVariables = conditionVariables;
      if (authorizer.mode !== 'off') {
        const requirements = operationRequirements(requirementIndex, apiSchema, document, shaped.shape.operation);
        if (requirements) prepared.authorization = requirements;
      }
      cache.set(key, prepared);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return prepared;
    },
    async execute(prepared, variables, context) {
      options.onExecute?.(prepared, context);
      // As the gateway: variables are checked before any subgraph is called, and forwarded as sent.
      if (prepared.variableDefinitions.length > 0) {
        // As graphql-js's execute: at most 50 errors, so a list of 100 000 bad items answers at once.
        const { errors } = getVariableValues(apiSchema, prepared.variableDefinitions, variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
        // Without the final "too many errors" error, all are variable errors: Apollo's 400 BAD_USER_INPUT.
        if (errors) return { errors: errors.slice(0, MAX_VARIABLE_ERRORS), cacheHints: [], variablesRejected: true };
      }
      // A condition's variable sent as null: `if` is `Boolean!`. graphql-js fails the operation;
      // answered before any subgraph is called, as a bad variable is.
      if (prepared.conditionVariables) {
        for (const [name, directive] of prepared.conditionVariables) {
          if (variables?.[name] === null) return { errors: [nullConditionError(directive)], cacheHints: [], status: 400 };
        }
      }
      // Demand control: the estimate for these variables, refused over the maximum before any
      // subgraph is called.
      const cost: CostReport = { estimated: prepared.cost(variables), max: maxCost };
      if (maxCost !== null && cost.estimated > maxCost) return { errors: [costEstimatedTooExpensive(cost.estimated, maxCost)], cacheHints: [], cost, status: 400 };
      // Authorization: the caller against what the selected fields require. Filter mode plans the
      // operation without what the caller may not select (no subgraph sees it); reject mode refuses it.
      let plan: CompiledPlan | null = prepared.plan;
      let shape = prepared.shape;
      let unauthorized: GraphQLError[] | undefined;
      if (prepared.authorization) {
        const verdict = authorizer.check(prepared.authorization, { identity: context.identity ?? null, operationName: prepared.operationName, operationType: prepared.operation.operation, variables: variables ?? {} });
        if (!verdict.allowed) {
          unauthorized = verdict.sites.map((site) => unauthorizedFieldOrType(site.path));
          if (authorizer.mode === 'reject') return { errors: unauthorized, cacheHints: [], writeData: writeNullData };
          ({ plan, shape } = filteredOperation(prepared, verdict));
        }
      }
      // Request deadline: the plan's subgraph calls get one signal, aborted when it passes.
      const readOnly = prepared.operation.operation === 'query';
      let outcome: Awaited<ReturnType<typeof executeStages>>;
      if (!plan) outcome = { data: {}, errors: [], cacheHints: [], requests: 0 };
      else if (requestTimeoutMs === null) outcome = await executeStages(plan.stagesFor(variables), variables, context, env, readOnly);
      else {
        // Counted from the request's arrival when the server knows it, so time spent uploading,
        // parsing and validating is spent from the same budget.
        const remainingMs = context.deadline === undefined ? requestTimeoutMs : context.deadline - performance.now();
        if (remainingMs <= 0) return { errors: [gatewayTimeout(requestTimeoutMs)], cacheHints: [], cost, status: 504 };
        const stages = plan.stagesFor(variables);
        const timed = await withDeadline(remainingMs, (signal) => executeStages(stages, variables, { ...context, signal }, env, readOnly));
        if (!timed.ok) return { errors: [gatewayTimeout(requestTimeoutMs)], cacheHints: [], cost, status: 504 };
        outcome = timed.value;
      }
      const fetchErrors = withClientPaths(outcome.errors, prepared.renames);
      const errors = unauthorized ? [...unauthorized, ...fetchErrors] : fetchErrors;
      const introspect = prepared.shape.hasIntrospection ? (field: FieldNode) => introspection(apiSchema, prepared, field, variables) : undefined;
      return {
        ...(errors.length > 0 ? { errors } : {}),
        cacheHints: outcome.cacheHints,
        cost,
        writeData: (writer) => {
          const start = writer.length;
          const errors = writeResponseData(writer, shape, types, outcome.data, variables, introspect);
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

/** A refused operation's `data`. */
function writeNullData(writer: JsonWriter): GraphQLError[] {
  writer.ascii('null');
  return [];
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
        // Apollo Server hands over documents it could not pick an operation from (unknown or missing
        // operationName): refused as graphql-js would, not as a crash.
        if (!operation) throw operationResolutionFailure(document, request.operationName);
        if (operation.operation === 'subscription') throw subscriptionsNotSupported();
        const prepared = planExecutor.prepare(operationKey(requestContext.source, request.operationName), document, request.operationName, requestContext.source);
        const result = await planExecutor.execute(prepared, request.variables, requestContext.context as Partial<RouterContext>);
        // As RemoteGraphQLDataSource: every subgraph answer's cache-control restricts the response's.
        for (const hint of result.cacheHints) requestContext.overallCachePolicy?.restrict?.(hint);
        const costExtension = result.cost && wantsCostReport(request.http?.headers.get(COST_HEADER)) ? { cost: result.cost } : undefined;
        if (!result.writeData) return { errors: result.errors as GraphQLError[], ...(costExtension && { extensions: costExtension }) };
        const writer = new JsonWriter(prepared.answerBytes + 1024);
        let shapingErrors: GraphQLError[];
        try {
          shapingErrors = result.writeData(writer);
        } catch (error) {
          return { errors: [asGraphQLError(error)], ...(costExtension && { extensions: costExtension }) };
        }
        const data = JSON.parse(writer.toString()) as Record<string, unknown> | null;
        if (result.errors) return { errors: result.errors as GraphQLError[], data, ...(costExtension && { extensions: costExtension }) };
        const extensions = { ...(shapingErrors.length > 0 && { valueCompletion: shapingErrors }), ...costExtension };
        return Object.keys(extensions).length > 0 ? { data, extensions } : { data };
      };
      return { executor: execute };
    },
    async stop() {
      await executor?.close();
    },
  };
}

/** The variables `@skip` / `@include` read as their `if` argument (the first directive of each). */
function conditionVariablesOf(document: DocumentNode): Map<string, DirectiveNode> {
  const found = new Map<string, DirectiveNode>();
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      const value = node.arguments?.find((argument) => argument.name.value === 'if')?.value;
      if (value?.kind === Kind.VARIABLE && !found.has(value.name.value)) found.set(value.name.value, node);
    },
  });
  return found;
}

/** graphql-js's message for a null `if`, as a bad-input error. */
function nullConditionError(directive: DirectiveNode): GraphQLError {
  return new GraphQLError('Argument "if" of non-null type "Boolean!" must not be null.', { nodes: directive, extensions: { code: 'BAD_USER_INPUT' } });
}
