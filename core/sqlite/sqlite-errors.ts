/**
 * SQLite failures as AppErrors, for every SQLite file of a library: the one place that decides
 * which code a user sees. How a failure is recognised is the same for every file (SQLite's result
 * code); what it means depends on the file's role: a damaged catalog is the library's source of
 * truth lost (CATALOG_CORRUPT: restore a backup), a damaged search index is a copy to rebuild
 * (LIBRARY_UNUSABLE: acervo reindex).
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
}

export const CATALOG_ROLE: DatabaseRole = { name: 'catalog', damaged: 'CATALOG_CORRUPT', repair: 'restore it from a backup or rebuild the library.' };

export const SEARCH_INDEX_ROLE: DatabaseRole = { name: 'search index', damaged: 'LIBRARY_UNUSABLE', repair: 'delete it and rebuild it from the catalog (acervo reindex).' };

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
 * `error` as an AppError of the file's role. `action` says what was being done ('open', 'update',
 * 'rebuild', …): while opening, any SQLite failure leaves the file unusable (LIBRARY_UNUSABLE);
 * after it opened, an SQLite failure of no known kind is a bug (INTERNAL), as is any error that
 * is neither SQLite's nor the file system's.
 */
export function sqliteError(error: unknown, file: string, role: DatabaseRole, action: string): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const details: Record<string, unknown> = error instanceof Database.SqliteError ? { file, sqlite: error.code } : { file };
  const options = { cause: error, details };
  switch (failureOf(error)) {
    case 'damaged':
      return new AppError(role.damaged, `The ${role.name} ${file} is damaged (${message}); ${role.repair}`, options);
    case 'busy':
      return new AppError('LIBRARY_UNUSABLE', `The ${role.name} ${file} stayed locked by another process (${message}). Try again.`, options);
    case 'unreachable':
      return new AppError('LIBRARY_UNUSABLE', `Cannot ${action} the ${role.name} ${file}: ${message}. Check the path, its permissions and free space.`, options);
    case 'other':
      if (action === 'open' && error instanceof Database.SqliteError) {
        return new AppError('LIBRARY_UNUSABLE', `The ${role.name} ${file} cannot be used (${message}); check that the library path is right.`, options);
      }
      return new AppError('INTERNAL', `The ${role.name}'s ${action} failed: ${message}`, options);
  }
}
