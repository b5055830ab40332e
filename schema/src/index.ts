export { composeSupergraph, formatProblem, readSubgraphs, type ComposeResult, type CompositionProblem, type SubgraphSource } from './compose.ts';
