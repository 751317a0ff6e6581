/** Statements of one SQLite connection, prepared once each and reused (better-sqlite3 prepares on every call otherwise). */
import type Database from 'better-sqlite3';

export class Statements {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}
