/**
 * The check itself could not run: a bad git ref, unreadable or unparseable SDL, a broken config or
 * approvals file. The CLIs exit 2 with this message, which names the file (and line) at fault.
 */
export class CheckInputError extends Error {
  override readonly name = 'CheckInputError';
}

/** `file:line:column: message` for a problem found in a file (line and column when known). */
export function atFile(file: string, message: string, position?: { line: number; col?: number; column?: number }): string {
  if (!position) return `${file}: ${message}`;
  const column = position.col ?? position.column;
  return `${file}:${position.line}${column ? `:${column}` : ''}: ${message}`;
}
