/** Exit codes, as DESIGN.md promises them to scripts and schedulers. */
import { isAppError, type AppError } from '../core/errors.js';

export const EXIT = {
  OK: 0,
  USAGE: 1,
  SOME_FAILED: 2,
  FATAL: 3,
  INTERRUPTED: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!isAppError(error)) return EXIT.FATAL;
  return error.scope === 'usage' ? EXIT.USAGE : error.scope === 'input' ? EXIT.SOME_FAILED : EXIT.FATAL;
}

/** The one line a person reads when a command fails. */
export function errorLine(error: AppError | Error): string {
  return isAppError(error) ? `acervo: error ${error.code}: ${error.message}` : `acervo: error INTERNAL: ${error.message}`;
}
