/**
 * Statements of one SQLite connection, prepared once each and reused (better-sqlite3 prepares on
 * every call otherwise), and the one place where a failure after the file opened becomes an
 * AppError of the file's role (sqlite-errors.ts): a statement that fails while it is prepared or
 * run (SQLITE_FULL, SQLITE_READONLY, SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_IOERR…), a transaction
 * whose BEGIN or COMMIT fails. So a full disk or a read-only library reports the same code and
 * the same words whichever of the catalog's concerns, the search index or the access log met it.
 */
import type Database from 'better-sqlite3';
import { sqliteError, type DatabaseRole } from './sqlite-errors.js';

/** What a statement was doing when it failed, for the message ("Cannot write the catalog …"). */
type Access = 'read' | 'write';

/** Methods of a statement that run it; the others (pluck, raw, bind…) only set it up and return it. */
const RUNS = new Set<PropertyKey>(['run', 'get', 'all', 'iterate']);

export class Statements {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    private readonly role: DatabaseRole,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      try {
        // Preparing reads the schema: a damaged or locked file may first show here.
        statement = this.translating(this.db.prepare(sql));
      } catch (error) {
        throw this.error(error, 'read');
      }
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one transaction (a savepoint inside another) and returns what it returns.
   * `immediate`: take the write lock at BEGIN, so a read-then-write sees no other writer between.
   */
  transaction<T>(work: () => T, options: { immediate?: boolean } = {}): T {
    const transaction = this.db.transaction(work);
    try {
      return options.immediate ? transaction.immediate() : transaction();
    } catch (error) {
      throw this.error(error, 'write');
    }
  }

  /** `error` as the AppError of this file's role (an AppError stays as it is). */
  private error(error: unknown, access: Access): Error {
    return sqliteError(error, this.db.name, this.role, access);
  }

  /**
   * The statement with every failure of running it translated. A Proxy rather than a wrapper class,
   * so the catalog's modules keep better-sqlite3's Statement type (pluck(), raw(), bind()…).
   */
  private translating(statement: Database.Statement): Database.Statement {
    const access: Access = statement.readonly ? 'read' : 'write';
    const wrapped = new Map<PropertyKey, (...args: unknown[]) => unknown>();
    const proxy: Database.Statement = new Proxy(statement, {
      get: (target, key) => {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        let method = wrapped.get(key);
        if (method === undefined) {
          const call = value as (...args: unknown[]) => unknown;
          method = RUNS.has(key)
            ? (...args) => {
                try {
                  const result = call.apply(target, args);
                  return key === 'iterate' ? this.translatingRows(result as IterableIterator<unknown>, access) : result;
                } catch (error) {
                  throw this.error(error, access);
                }
              }
            : // Setters return the statement itself: hand back the proxy, so what follows is translated too.
              (...args) => {
                const result = call.apply(target, args);
                return result === target ? proxy : result;
              };
          wrapped.set(key, method);
        }
        return method;
      },
    });
    return proxy;
  }

  /** An iteration's rows are read as it goes: a failure may come with any of them. */
  private translatingRows<T>(rows: IterableIterator<T>, access: Access): IterableIterator<T> {
    const step = (next: () => IteratorResult<T>) => {
      try {
        return next();
      } catch (error) {
        throw this.error(error, access);
      }
    };
    const iterator: IterableIterator<T> = {
      next: () => step(() => rows.next()),
      return: (value?: unknown) => step(() => rows.return?.(value) ?? { done: true, value: undefined as T }),
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }
}
