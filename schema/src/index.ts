export { composeSupergraph, formatProblem, readSubgraphs, type ComposeResult, type CompositionProblem, type SubgraphSource } from './compose.ts';
export {
  checkSchemaChanges,
  type BaseSpec,
  type CheckContext,
  type CheckOptions,
  type CheckOutcome,
  type CheckReport,
  type HeadSpec,
  type LintFinding,
  type OperationUse,
  type ReportedChange,
} from './check.ts';
export { buildContractSchema, type ContractFilter } from './contracts.ts';
export { CheckInputError } from './errors.ts';
export { publishSchema, type PublishOptions, type PublishResult } from './publish.ts';
export { formatReport, type ReportFormat } from './report.ts';
