/** Exit codes, as scripts and schedulers rely on them (docs/reference/errors.md is made from this file). */
import { isAppError, type AppError } from '../core/errors.js';

export const EXIT = {
  /** Everything was done (also a run stopped by --until or --max-minutes, which the next run resumes). */
  OK: 0,
  /** Bad usage or config: nothing was done. */
  USAGE: 1,
  /** Some inputs failed, the rest were done (see the error lines, `--json` or the run's report). */
  SOME_FAILED: 2,
  /** Fatal: the library or a dependency is unusable. */
  FATAL: 3,
  /**
   * Fixity problems: `verify` found missing, changed, unreadable or unexpected files; `export` refused
   * a changed or missing PDF; `access-log --verify` found the log's hash chain broken (an entry
   * changed, removed or cut off).
   */
  FIXITY: 4,
  /** EX_TEMPFAIL: another run holds the library, or another watcher the inbox; try again later, or --wait-lock. */
  LOCKED: 75,
  /**
   * Interrupted (Ctrl-C, SIGTERM; a second signal quits at once). A `watch` (without --once) or a
   * `worker` that a first signal stops exits 0 once it has finished what it held.
   */
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
