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
  /** The file is not there: a path given that does not exist, or a file moved or deleted while the batch ran. */
  INPUT_NOT_FOUND: 'input',
  /** The file is empty (0 bytes): scan it or copy it from the scanner again. */
  INPUT_EMPTY: 'input',
  /** Not a PNG, JPEG, TIFF or PDF, whatever its name says (the type is read from the bytes). */
  INPUT_UNSUPPORTED: 'input',
  /** The file cannot be read (permissions, I/O errors, not a regular file), or is a PDF over 4 GiB. */
  INPUT_UNREADABLE: 'input',
  /** A page of the image cannot be decoded: the file is truncated or damaged (copy or scan it again). */
  IMAGE_CORRUPT: 'input',
  /** An image past `input.maxImagePixels` (absurd dimensions, as a decompression bomb has); raise the limit if the scan is genuine. */
  IMAGE_TOO_LARGE: 'input',
  /**
   * The file ends early (copied while the scanner was still writing it, or cut short): the pages
   * that could be read are converted and searchable, and the document is marked incomplete. The
   * message says how many pages were expected or where the file ends. Copy the whole file again
   * and run `acervo retry --failed` (a hot folder tries such a file again first, and keeps what it
   * holds the same way at its last attempt).
   */
  INPUT_TRUNCATED: 'input',
  /** The PDF is password-protected. */
  PDF_ENCRYPTED: 'input',
  /** The PDF cannot be parsed (damaged, or not really a PDF), or changed while it was read. */
  PDF_CORRUPT: 'input',
  /** The PDF has no pages. */
  PDF_NO_PAGES: 'input',
  /** Kept for scripts, no longer raised: two originals that would write the same PDF get `a.pdf` and `a (2).pdf`. */
  OUTPUT_CONFLICT: 'input',
  /** The OCR engine failed on a page twice, the second time on a fresh worker. */
  OCR_FAILED: 'input',
  /** Reading a page took longer than `ocr.pageTimeoutSeconds` twice, the second time on a fresh worker. */
  OCR_TIMEOUT: 'input',
  /** Every queue worker that took the document died or vanished under it, as many times as allowed. */
  WORKER_LOST: 'input',
  // usage: bad command line or config
  /** The command line, or what it asks for, cannot be done as given (a bad --until, separator fields that cannot be encoded, an export into documents/). */
  USAGE: 'usage',
  /** The config file, an environment setting, a path template or an inventory CSV is not valid (the message names the key or the line). */
  CONFIG_INVALID: 'usage',
  /** The config file named (--config, $ACERVO_CONFIG) or an inventory CSV does not exist or cannot be read. */
  CONFIG_NOT_FOUND: 'usage',
  /** An OCR language is not a Tesseract code, or its data is not installed (`npm install @tesseract.js-data/<code>`). */
  LANGUAGE_UNAVAILABLE: 'usage',
  /** The search cannot be run: nothing left to search for, only excluded words, too many words. */
  QUERY_INVALID: 'usage',
  /** No Acervo library in the folder named: ingest into it first. */
  LIBRARY_NOT_FOUND: 'usage',
  /** An inbox folder of `watch` does not exist, is not a folder or cannot be read. */
  INBOX_NOT_FOUND: 'usage',
  // locked: another run holds it
  /** Another watcher holds the inbox (the message names the process); try again later. */
  INBOX_LOCKED: 'locked',
  /** Another run holds the library (the message names the run and process); try again later, or --wait-lock. */
  LIBRARY_LOCKED: 'locked',
  // fatal: the run cannot go on
  /** The library cannot be used: the catalog cannot be opened or was written by a newer Acervo, the folder cannot be locked, an index file is damaged (run acervo reindex). */
  LIBRARY_UNUSABLE: 'fatal',
  /** The catalog is damaged: restore catalog.sqlite from a backup. */
  CATALOG_CORRUPT: 'fatal',
  /** Something Acervo needs is missing: the OCR engine or its language data cannot start, the build is incomplete (npm run build). */
  DEPENDENCY_MISSING: 'fatal',
  /** The search backend (Meilisearch) cannot be reached or refused a request. */
  SEARCH_UNAVAILABLE: 'fatal',
  /** The job queue's Redis server cannot be reached at start. */
  QUEUE_UNAVAILABLE: 'fatal',
  /** A fault in Acervo itself (the message says what); it fails the one document where it happened, and stops a command elsewhere. */
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
