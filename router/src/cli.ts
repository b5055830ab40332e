import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { portSchema } from '@store/core';

/** The committed supergraph, relative to the repository root. */
export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export const USAGE = `usage: npm run router -- [--supergraph <file>] [--port <n>] [--host <address>]
  --supergraph  supergraph SDL to serve (default: schema/supergraph.graphql in the repository)
  --port        TCP port, 0 = any free port (default: $PORT or 4000)
  --host        address to bind (default: $HOST or 127.0.0.1)`;

export interface RouterArgs {
  /** Absolute path of the supergraph file. */
  supergraphPath: string;
  /** From `--port`; `undefined` means "use the environment". */
  port?: number;
  host?: string;
  help: boolean;
}

export type RouterArgsResult = ({ ok: true } & RouterArgs) | { ok: false; message: string };

/** Parses the launch contract's arguments. Relative paths are relative to the working directory. */
export function parseRouterArgs(argv: readonly string[], cwd = process.cwd()): RouterArgsResult {
  let values: { supergraph?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    const parsed = portSchema.safeParse(values.port.trim() === '' ? undefined : values.port);
    if (!parsed.success) return { ok: false, message: `--port ${JSON.stringify(values.port)}: expected an integer from 0 to 65535` };
    port = parsed.data;
  }
  if (values.host !== undefined && values.host.trim() === '') return { ok: false, message: '--host must not be empty' };
  if (values.supergraph !== undefined && values.supergraph.trim() === '') return { ok: false, message: '--supergraph must not be empty' };
  return {
    ok: true,
    supergraphPath: values.supergraph === undefined ? DEFAULT_SUPERGRAPH_PATH : resolve(cwd, values.supergraph),
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    help: values.help ?? false,
  };
}
