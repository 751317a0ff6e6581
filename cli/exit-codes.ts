/** Exit codes, as DESIGN.md promises them to scripts and schedulers. */
import { isAppError, type AppError } from '../core/errors.js';

export const EXIT = {
  OK: 0,
  USAGE: 1,
  SOME_FAILED: 2,
  FATAL: 3,
  // Also `access-log --verify`: the access log's hash chain is broken (an entry changed, removed or cut off).
  /** `verify` found missing, changed, unreadable or unexpected files; `export` refused a changed or missing PDF. */
  FIXITY: 4,
  /** EX_TEMPFAIL: another Acervo run holds the inbox; try again later. */
  LOCKED: 75,
  INTERRUPTED: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!isAppError(error)) return EXIT.FATAL;
  switch (error.scope) {
    case 'usage':
      return EXIT.USAGE;
    case 'input':
      return EXIT.SOME_FAILED;
    case 'locked':
      return EXIT.LOCKED;
    case 'fatal':
      return EXIT.FATAL;
    case 'fixity':
      return EXIT.FIXITY;
  }
}

/** The one line a person reads when a command fails. */
export function errorLine(error: AppError | Error): string {
  return isAppError(error) ? `acervo: error ${error.code}: ${error.message}` : `acervo: error INTERNAL: ${error.message}`;
}
