/**
 * A small structured logger: one JSON object per line in production, one readable line in
 * development. Logs go to stderr so stdout stays free for a command's real output.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  bindings?: Record<string, unknown>;
  write?: (line: string) => void;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const format = options.format ?? (process.env.LOG_FORMAT === 'json' ? 'json' : 'pretty');
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const bindings = options.bindings ?? {};
  const threshold = order[level] ?? order.info;

  const log = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < threshold) return;
    const all: Record<string, unknown> = { ...bindings, ...fields };
    for (const key of Object.keys(all)) all[key] = serialise(all[key]);
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...all }));
    } else {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${lvl.toUpperCase().padEnd(5)} ${msg}${extra ? ' ' + extra : ''}`);
    }
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (more) => createLogger({ level, format, write, bindings: { ...bindings, ...more } }),
  };
}
