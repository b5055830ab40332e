// Composition problems as values, shared by `npm run compose` and the schema checks (kept apart
// from compose.ts so that printing a cached result does not load the composition library).

export interface CompositionProblem {
  code: string;
  message: string;
  /** Subgraphs the problem is located in (from the error's source locations). */
  subgraphs: string[];
  /** `Type.field` coordinates named by the problem, where it can tell. */
  coordinates: string[];
  /** `file:line:column` of the subgraph SDL the problem points at, where it can tell. */
  locations?: string[];
}

export function formatProblem(p: CompositionProblem): string {
  const where = p.subgraphs.length ? ` [${p.subgraphs.join(', ')}]` : '';
  const at = p.coordinates.length ? ` at ${p.coordinates.join(', ')}` : '';
  const files = p.locations?.length ? ` (${p.locations.join(', ')})` : '';
  return `${p.code}${where}${at}: ${p.message}${files}`;
}
