/**
 * SQLite failures as AppErrors, for every SQLite file of a library: the one place that decides
 * which code a user sees, whether the failure came while opening the file (database.ts) or from a
 * statement or transaction after it (statements.ts). How a failure is recognised is the same for
 * every file (SQLite's result code); what it means depends on the file's role: a damaged catalog
 * is the library's source of truth lost (CATALOG_CORRUPT: restore a backup), a damaged search
 * index is a copy to rebuild (LIBRARY_UNUSABLE: acervo reindex), a damaged access log is evidence
 * to keep (ACCESS_LOG_CORRUPT).
 */
import Database from 'better-sqlite3';
import { AppError, isAppError, type ErrorCode } from '../errors.js';

/** What an SQLite file is to the library, for the messages and codes of its failures. */
export interface DatabaseRole {
  /** As messages name it. */
  readonly name: string;
  /** The code of a damaged file. */
  readonly damaged: ErrorCode;
  /** What to do about a damaged file (the end of the message). */
  readonly repair: string;
  /** The code of a file that cannot be opened, read or written: locked too long, read-only, disk full, folder missing. */
  readonly unusable: ErrorCode;
}

export const CATALOG_ROLE: DatabaseRole = { name: 'catalog', damaged: 'CATALOG_CORRUPT', repair: 'restore it from a backup or rebuild the library.', unusable: 'LIBRARY_UNUSABLE' };

export const SEARCH_INDEX_ROLE: DatabaseRole = { name: 'search index', damaged: 'LIBRARY_UNUSABLE', repair: 'delete it and rebuild it from the catalog (acervo reindex).', unusable: 'LIBRARY_UNUSABLE' };

/** An access that cannot be recorded is refused: its callers read ACCESS_LOG_UNWRITABLE as "refuse". */
export const ACCESS_LOG_ROLE: DatabaseRole = {
  name: 'access log',
  damaged: 'ACCESS_LOG_CORRUPT',
  repair: 'keep a copy for the record, restore it from a backup or move it aside (a new one is started).',
  unusable: 'ACCESS_LOG_UNWRITABLE',
};

type Failure = 'damaged' | 'busy' | 'unreachable' | 'other';

/** By primary result code: an extended one (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT) starts with its primary's name. */
const FAILURES: ReadonlyArray<readonly [RegExp, Failure]> = [
  [/^SQLITE_(CORRUPT|NOTADB)/, 'damaged'],
  [/^SQLITE_(BUSY|LOCKED)/, 'busy'],
  [/^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM|AUTH)/, 'unreachable'],
];

/** Not SQLite's own words: a damaged file may first show in an error of another kind. */
const DAMAGED_MESSAGE = /corrupt|malformed|not a database/i;

function failureOf(error: unknown): Failure {
  if (error instanceof Database.SqliteError) return FAILURES.find(([pattern]) => pattern.test(error.code))?.[1] ?? 'other';
  // The file system refused (creating the folder, permissions).
  if (error instanceof Error && 'syscall' in error) return 'unreachable';
  if (error instanceof Error && DAMAGED_MESSAGE.test(error.message)) return 'damaged';
  return 'other';
}

/**
 * `error` as an AppError of the file's role. `action` says what was being done ('open', 'read',
 * 'write', 'update', 'rebuild', …): while opening, any SQLite failure leaves the file unusable
 * (the role's `unusable` code); after it opened, an SQLite failure of no known kind is a bug
 * (INTERNAL), as is any error that is neither SQLite's nor the file system's. An AppError is
 * returned as it is: translated once, where it was first caught.
 */
export function sqliteError(error: unknown, file: string, role: DatabaseRole, action: string): AppError {
  if (isAppError(error)) return error;
  const sqlite = error instanceof Database.SqliteError ? error.code : null;
  // SQLite's own words do not name the result code; scripts and operators search for it.
  const message = (error instanceof Error ? error.message : String(error)) + (sqlite === null ? '' : ` [${sqlite}]`);
  const details: Record<string, unknown> = sqlite === null ? { file } : { file, sqlite };
  const options = { cause: error, details };
  switch (failureOf(error)) {
    case 'damaged':
      return new AppError(role.damaged, `The ${role.name} ${file} is damaged (${message}); ${role.repair}`, options);
    case 'busy':
      return new AppError(role.unusable, `The ${role.name} ${file} stayed locked by another process (${message}). Try again.`, options);
    case 'unreachable':
      return new AppError(role.unusable, `Cannot ${action} the ${role.name} ${file}: ${message}. Check the path, its permissions and free space.`, options);
    case 'other':
      if (action === 'open' && sqlite !== null) {
        return new AppError(role.unusable, `The ${role.name} ${file} cannot be used (${message}); check that the library path is right.`, options);
      }
      return new AppError('INTERNAL', `The ${role.name}'s ${action} failed: ${message}`, options);
  }
}

/**
 * Another process held the file past the busy timeout (SQLITE_BUSY, translated or not): a caller
 * that can put its write off (a checkpoint of progress) tells this apart from a failure.
 */
export function isBusy(error: unknown): boolean {
  const code = isAppError(error) ? error.details.sqlite : error instanceof Database.SqliteError ? error.code : undefined;
  return typeof code === 'string' && /^SQLITE_BUSY/.test(code);
}
