/**
 * stdout carries results only (one JSON document with --json); everything else — progress,
 * logs, warnings — goes to stderr, so `acervo ... --json | jq` always works.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function logLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** ANSI styling on a terminal that wants it (https://no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
