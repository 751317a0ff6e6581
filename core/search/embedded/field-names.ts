/**
 * The names behind the codes in page columns (page-columns.ts): collections, document types and
 * languages, each numbered from 0 in the order the index first met them. A few rows at most, read
 * whole by a reader; a writer adds names inside its transaction.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import type { IndexedPage } from '../search-backend.js';
import { NO_CODE, NO_LANGUAGE, NO_NUMBER, type PageCodes } from './page-columns.js';

export type FieldKind = 'collection' | 'type' | 'language';
const KINDS: readonly FieldKind[] = ['collection', 'type', 'language'];
/** Codes each field may take (the largest is "no value"). */
const LIMIT: Record<FieldKind, number> = { collection: NO_CODE, type: NO_CODE, language: NO_LANGUAGE };

export class FieldNames {
  private readonly codes = new Map<FieldKind, Map<string, number>>(KINDS.map((kind) => [kind, new Map()]));
  private readonly names = new Map<FieldKind, string[]>(KINDS.map((kind) => [kind, []]));

  static load(db: Database.Database): FieldNames {
    const found = new FieldNames();
    for (const row of db.prepare('SELECT kind, name, code FROM names').all() as Array<{ kind: FieldKind; name: string; code: number }>) found.set(row.kind, row.name, row.code);
    return found;
  }

  protected set(kind: FieldKind, name: string, code: number): void {
    this.codes.get(kind)!.set(name, code);
    this.names.get(kind)![code] = name;
  }

  code(kind: FieldKind, name: string): number | undefined {
    return this.codes.get(kind)!.get(name);
  }

  name(kind: FieldKind, code: number): string {
    return this.names.get(kind)![code] as string;
  }

  count(kind: FieldKind): number {
    return this.names.get(kind)!.length;
  }
}

/** A writer's names: new ones get the next code and a row, in the writer's transaction. */
export class FieldNamesWriter extends FieldNames {
  private constructor(private readonly db: Database.Database) {
    super();
  }

  /** Read afresh at the start of each transaction: codes given in one that rolled back are forgotten. */
  static open(db: Database.Database): FieldNamesWriter {
    const writer = new FieldNamesWriter(db);
    for (const row of db.prepare('SELECT kind, name, code FROM names').all() as Array<{ kind: FieldKind; name: string; code: number }>) writer.set(row.kind, row.name, row.code);
    return writer;
  }

  private codeFor(kind: FieldKind, name: string | null): number {
    if (name === null) return LIMIT[kind];
    const known = this.code(kind, name);
    if (known !== undefined) return known;
    const code = this.count(kind);
    if (code >= LIMIT[kind]) throw new AppError('INTERNAL', `The search index holds ${code} ${kind} names, as many as it can.`, { details: { kind } });
    this.db.prepare('INSERT INTO names (kind, name, code) VALUES (?, ?, ?)').run(kind, name, code);
    this.set(kind, name, code);
    return code;
  }

  /** A page's (its document's) fields as codes. */
  codesOf(page: IndexedPage): PageCodes {
    return {
      collection: this.codeFor('collection', page.collection),
      type: this.codeFor('type', page.documentType),
      language: this.codeFor('language', page.language),
      year: page.year === null || !Number.isInteger(page.year) || page.year < 0 || page.year > 32767 ? NO_NUMBER : page.year,
      date: page.date === null ? NO_NUMBER : dateNumber(page.date),
      personal: page.personalData,
    };
  }
}

/** YYYY-MM-DD as the number YYYYMMDD (what sorting by date compares); a partial date fills with zeros. */
function dateNumber(date: string): number {
  const digits = date.replace(/\D/g, '').slice(0, 8).padEnd(8, '0');
  return /^\d{8}$/.test(digits) ? Number(digits) : NO_NUMBER;
}
