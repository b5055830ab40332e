/** One request the load sends, with the hash of the data it must answer. */
export interface RequestVariant {
  label: string;
  /** The JSON request body. */
  body: string;
  /** sha256 of the canonical `data` (set by the workload's oracle, or by the reference pass). */
  expectedHash?: string;
}

export interface PreparedWorkload {
  id: 'workload1' | 'workload2';
  title: string;
  /** The supergraph with the subgraphs' real URLs. */
  supergraphSdl: string;
  variants: RequestVariant[];
  /** Where the expected answers come from, for the report. */
  oracle: string;
  /** Environment every contender process gets on top of the harness's own. */
  stop(): Promise<void>;
}
