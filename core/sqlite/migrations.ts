/**
 * Numbered schema migrations. `PRAGMA user_version` records how many a file has had; opening an
 * older file runs the rest in one transaction, a newer one is refused. Migration N is
 * `migrations[N - 1]`: a migration, once released, is never changed or renumbered.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import type { DatabaseRole } from './sqlite-errors.js';

export interface MigrationOptions {
  role: DatabaseRole;
  /** Bytes per database page to move to when a migration leaves the file mostly free pages (see compact). */
  pageSize: number;
}

export function runMigrations(db: Database.Database, migrations: readonly string[], options: MigrationOptions): void {
  const version = () => {
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > migrations.length) {
      throw new AppError(options.role.unusable, `The ${options.role.name} was written by a newer Acervo (schema ${found}); upgrade Acervo to use this library.`);
    }
    return found;
  };
  if (version() === migrations.length) return;
  // Off while tables are rebuilt (dropping the old one would cascade to its rows), then checked:
  // the pragma cannot change inside a transaction.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    // IMMEDIATE, and the version read again inside: of two processes opening an older (or new)
    // file at once, the second waits for the first and then finds nothing left to run.
    db.transaction(() => {
      for (let v = version(); v < migrations.length; v++) {
        db.exec(migrations[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new AppError(options.role.damaged, `Bringing the ${options.role.name} up to date left ${broken.length} rows pointing nowhere; nothing was changed.`);
    }).immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
  compact(db, options.pageSize);
}

/**
 * A migration that rebuilt a big table (the catalog's 9: pages) leaves its old pages free inside
 * the file: give them back once, now (VACUUM cannot run inside the migration's transaction), and
 * move to `pageSize` on the way when no other process has the file open (the page size of a WAL
 * database changes only outside WAL).
 */
function compact(db: Database.Database, pageSize: number): void {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (!(free > 1000 && free > 0.25 * (db.pragma('page_count', { simple: true }) as number))) return;
  let resized = false;
  try {
    if (db.pragma('journal_mode = DELETE', { simple: true }) === 'delete') {
      db.pragma(`page_size = ${pageSize}`);
      resized = true;
    }
  } catch {
    // Busy: another process has it open. Vacuumed at the page size it has.
  }
  db.exec('VACUUM');
  if (resized) db.pragma('journal_mode = WAL');
}
