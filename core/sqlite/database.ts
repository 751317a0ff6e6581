/**
 * Opening one of a library's SQLite files (the catalog, the embedded search index, the access
 * log): the folder made, the schema laid out or brought up to date, the pragmas they all need,
 * and any failure on the way translated once (sqlite-errors.ts) with the file closed again.
 * Failures after it opened are translated by the statements that meet them (statements.ts).
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteError, type DatabaseRole } from './sqlite-errors.js';

export interface OpenDatabaseOptions {
  role: DatabaseRole;
  /** How long a statement waits for another process's lock before it fails with SQLITE_BUSY (ms). */
  busyTimeoutMs: number;
  /** Reads only: the file must exist, and nothing in it changes (no migration, no journal switch). */
  readonly?: boolean;
  /**
   * Lays the schema out or brings it up to date (read only: checks it). It runs before the file
   * is switched to WAL, which writes the file's header: a file that is not ours stays untouched.
   */
  schema?: (db: Database.Database) => void;
  /** Enforce foreign keys on this connection. */
  foreignKeys?: boolean;
  /** The connection's page cache (KiB); SQLite's default (2 MB) when absent. */
  cacheKiB?: number;
  /**
   * The permissions of the file when this creates it (SQLite's -wal and -shm copy them), e.g.
   * 0o600 for one that holds personal data; SQLite's default (0o644 less the umask) when absent.
   */
  createMode?: number;
}

export function openDatabase(file: string, options: OpenDatabaseOptions): Database.Database {
  const readonly = options.readonly === true;
  let db: Database.Database | undefined;
  try {
    if (!readonly) mkdirSync(path.dirname(file), { recursive: true });
    if (!readonly && options.createMode !== undefined && !existsSync(file)) closeSync(openSync(file, 'a', options.createMode));
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs });
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    options.schema?.(db);
    if (!readonly) {
      // WAL: readers in other processes (acervo serve, status) keep a consistent view while a
      // writer works. NORMAL sync survives a crash of the process; an OS crash may lose the last
      // transactions, never half of one.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    if (options.cacheKiB !== undefined) db.pragma(`cache_size = -${options.cacheKiB}`);
    return db;
  } catch (error) {
    db?.close();
    throw sqliteError(error, file, options.role, 'open');
  }
}
