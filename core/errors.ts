/**
 * One error type for the whole product. Library code throws AppError with a stable `code`;
 * only the CLI turns errors into exit codes and one-line messages.
 *
 * `scope` says what an error spoils: one input file (the batch goes on), the user's command
 * line or config (nothing ran), or the whole run (the library or a dependency is unusable);
 * `locked`: another Acervo run holds what this one needs (try again later); `fixity`: a file in
 * the library is not what the catalog recorded when it was made (changed, gone, unreadable).
 */
export type ErrorScope = 'input' | 'usage' | 'fatal' | 'locked' | 'fixity';

/** Stable codes. Scripts and the catalog rely on them: never rename, only add. */
export const ERROR_CODES = {
  // input: one file is refused, the rest of the batch goes on
  INPUT_NOT_FOUND: 'input',
  INPUT_EMPTY: 'input',
  INPUT_UNSUPPORTED: 'input',
  INPUT_UNREADABLE: 'input',
  IMAGE_CORRUPT: 'input',
  IMAGE_TOO_LARGE: 'input',
  PDF_ENCRYPTED: 'input',
  PDF_CORRUPT: 'input',
  PDF_NO_PAGES: 'input',
  OUTPUT_CONFLICT: 'input',
  OCR_FAILED: 'input',
  OCR_TIMEOUT: 'input',
  /** Every queue worker that took the document died or vanished under it, as many times as allowed. */
  WORKER_LOST: 'input',
  // usage: bad command line or config
  USAGE: 'usage',
  CONFIG_INVALID: 'usage',
  CONFIG_NOT_FOUND: 'usage',
  LANGUAGE_UNAVAILABLE: 'usage',
  QUERY_INVALID: 'usage',
  LIBRARY_NOT_FOUND: 'usage',
  INBOX_NOT_FOUND: 'usage',
  // locked: another run holds it
  INBOX_LOCKED: 'locked',
  LIBRARY_LOCKED: 'locked',
  // fatal: the run cannot go on
  LIBRARY_UNUSABLE: 'fatal',
  CATALOG_CORRUPT: 'fatal',
  DEPENDENCY_MISSING: 'fatal',
  /** The search backend (Meilisearch) cannot be reached or refused a request. */
  SEARCH_UNAVAILABLE: 'fatal',
  /** The job queue's Redis server cannot be reached at start. */
  QUEUE_UNAVAILABLE: 'fatal',
  INTERNAL: 'fatal',
  // usage (export)
  /** `export --collection X` names a collection the library has no converted document of. */
  COLLECTION_NOT_FOUND: 'usage',
  /** The export's target folder already holds files (a bag must hold only what its manifests list). */
  EXPORT_TARGET_NOT_EMPTY: 'usage',
  // usage (redact)
  /** `redact ID` names no converted document of the library. */
  DOCUMENT_NOT_FOUND: 'usage',
  /** `redact -o FILE`: the copy would overwrite the original, a library file, or an existing file without --force. */
  OUTPUT_REFUSED: 'usage',
  // fixity: the library's files are not what the catalog recorded
  /** A PDF's bytes differ from the SHA-256 the catalog recorded when it was written. */
  FIXITY_CHANGED: 'fixity',
  /** A PDF the catalog lists is not in the library. */
  FIXITY_MISSING: 'fixity',
  /** The Meilisearch server is a version Acervo does not work with (the message names those that work). */
  SEARCH_BACKEND_UNSUPPORTED: 'fatal',
  // fatal (access log)
  /** The access log cannot be opened or written (disk full, read-only, locked too long): the access it should record is refused. */
  ACCESS_LOG_UNWRITABLE: 'fatal',
  /** The access log file is not a readable SQLite database. */
  ACCESS_LOG_CORRUPT: 'fatal',
} as const satisfies Record<string, ErrorScope>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for logs and JSON reports (file, page, limits...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
  }

  get scope(): ErrorScope {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Anything thrown, as an AppError: unexpected errors become INTERNAL with their message kept. */
export function toAppError(error: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}

/** A plain, serialisable view of an error, for job results, the catalog and JSON output. */
export interface ErrorRecord {
  code: ErrorCode;
  message: string;
}

export function errorRecord(error: unknown): ErrorRecord {
  const appError = toAppError(error);
  return { code: appError.code, message: appError.message };
}
