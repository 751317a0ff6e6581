/**
 * The review queue (issue 25): the pages and documents where the machine was unsure, for archive
 * staff to accept or fix (the rules: review-rules.ts; the tables: review-schema.ts).
 *
 * The items are kept, not computed on a request: every writer that changes what a document shows
 * (a conversion, a failure, a correction or its revert, a review decision) calls `refresh` for it
 * in its own transaction, which lays the catalog's `review_candidates` view over that one document
 * and leaves out what an archivist accepted while the machine still reads the same. So a page of
 * the queue is one walk along an index from a position (keyset paging: no OFFSET, the same cost
 * on page 1 and page 10,000), and the counts come from `review_counts`, kept by triggers.
 *
 * Who asks decides what is listed and counted (`ReviewScope`): restricted collections the user may
 * not see are left out, and personal-data items are only for those who may see the numbers.
 */
import type { Statements } from '../sqlite/statements.js';
import { collectionsNamed, publicReason, readingOf, REVIEW_REASONS, storedReason, type ReviewReason } from './review-rules.js';

export interface ReviewScope {
  maySeeCollection(collection: string | null): boolean;
  /** May see people's numbers: only then are personal-data items listed and counted. */
  personalData: boolean;
  /** Collections expected to hold personal data (config access.personalDataCollections), as configured. */
  personalDataCollections: readonly string[];
}

/** null: the documents with no collection (or box); undefined: any. */
export interface ReviewFilter {
  collection?: string | null;
  box?: string | null;
  reason?: ReviewReason;
}

export interface ReviewItem {
  documentId: number;
  /** The page (of the document, blank pages counted) for a page's item; null for the document's. */
  pageNo: number | null;
  reason: ReviewReason;
  collection: string | null;
  box: string | null;
  /** Where the item stands in the queue: the `after` of the page that follows it. */
  cursor: string;
}

export interface ReviewPage {
  items: ReviewItem[];
  /** The cursor to ask `after` for the items that follow; null when none do. */
  next: string | null;
  /** The cursor to ask `before` for the items that come before; null when none do. */
  previous: string | null;
}

export interface ReviewCounts {
  total: number;
  reasons: Record<ReviewReason, number>;
}

export interface ReviewOverview extends ReviewCounts {
  /** Every collection with items for this scope (the filter's reason aside), and for the filter's collection its boxes. */
  collections: Array<{ collection: string | null; items: number }>;
  boxes: Array<{ box: string | null; items: number }>;
}

export interface ReviewDetails {
  item: ReviewItem;
  title: string | null;
  /** The original's path, relative to the folder ingested. */
  file: string;
  documentType: string | null;
  date: string | null;
  year: number | null;
  meanConfidence: number | null;
  pages: number;
  /** The item's page in the PDF (what the viewer numbers), and how sure OCR was of it. */
  pdfPage: number | null;
  confidence: number | null;
  /** A several-dates item's dates: the one chosen (`main`) and its rivals, with the page of the PDF each is on. */
  dates: Array<{ date: string; main: boolean; page: number | null }>;
  /** Accepted before, and back because the machine reads otherwise now. */
  acceptedBefore: { by: string; at: string } | null;
}

type Position = [collection: string, box: string, documentId: number, pageNo: number, reason: string];

const ORDER = ['collection', 'box', 'document_id', 'page_no', 'reason'] as const;
export const MAX_REVIEW_PAGE = 500;

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A cursor as given back, or null when it is not one (a page or script made it up). */
export function decodeCursor(cursor: string): Position | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 5) return null;
    const [collection, box, documentId, pageNo, reason] = value as unknown[];
    if (typeof collection !== 'string' || typeof box !== 'string' || typeof reason !== 'string') return null;
    if (!Number.isSafeInteger(documentId) || !Number.isSafeInteger(pageNo)) return null;
    return [collection, box, documentId as number, pageNo as number, reason];
  } catch {
    return null;
  }
}

interface ItemRow {
  collection: string;
  box: string;
  documentId: number;
  pageNo: number;
  reason: string;
}

const emptyReasons = (): Record<ReviewReason, number> => Object.fromEntries(REVIEW_REASONS.map((reason) => [reason, 0])) as Record<ReviewReason, number>;

export class ReviewQueue {
  constructor(private readonly statements: Statements) {}

  /**
   * Lays the rules over one document again: its items as they are now. Called by every writer
   * that changes what the document shows, inside its transaction.
   */
  refresh(documentId: number): void {
    this.statements.transaction(() => {
      this.statements.get('DELETE FROM review_items WHERE document_id = ?').run(documentId);
      const candidates = this.statements.get('SELECT document_id AS documentId, page_no AS pageNo, reason, collection, box FROM review_candidates WHERE document_id = ?').all(documentId) as ItemRow[];
      if (candidates.length === 0) return;
      const accepted = this.statements
        .get(`SELECT page_no AS pageNo, reason, reading FROM review_decisions WHERE document_id = ? AND superseded_by IS NULL AND action = 'accept'`)
        .all(documentId) as Array<{ pageNo: number; reason: string; reading: string }>;
      const insert = this.statements.get('INSERT INTO review_items (document_id, page_no, reason, collection, box) VALUES (?, ?, ?, ?, ?)');
      for (const item of candidates) {
        const decision = accepted.find((entry) => entry.pageNo === item.pageNo && entry.reason === item.reason);
        // Accepted, and the machine still reads what was accepted: not asked again.
        if (decision && decision.reading === readingOf(this.statements, documentId, item.pageNo, item.reason)) continue;
        insert.run(documentId, item.pageNo, item.reason, item.collection, item.box);
      }
    });
  }

  /** Whether this item is in the queue now (whoever may see it). */
  holds(documentId: number, pageNo: number | null, reason: ReviewReason): boolean {
    return this.statements.get('SELECT 1 FROM review_items WHERE document_id = ? AND page_no = ? AND reason = ?').get(documentId, pageNo ?? 0, storedReason(reason)) !== undefined;
  }

  /** The document's items now, as this scope sees them (the document page says why it is in the queue). */
  itemsOf(documentId: number, scope: ReviewScope): ReviewItem[] {
    const rows = this.statements
      .get('SELECT collection, box, document_id AS documentId, page_no AS pageNo, reason FROM review_items WHERE document_id = ? ORDER BY page_no, reason')
      .all(documentId) as ItemRow[];
    return this.visible(rows, scope).map(toItem);
  }

  /**
   * What the archivist needs beside an item: the document's title and values, the page's number
   * in the PDF and its confidence, the dates that rival for a several-dates item, and whether it
   * was accepted before (then the machine read otherwise since: a rescan).
   */
  details(items: readonly ReviewItem[]): ReviewDetails[] {
    return items.map((item) => {
      const document = this.statements
        .get(
          `SELECT title, relative_path AS file, document_type AS documentType, doc_date AS date, year, mean_confidence AS meanConfidence, page_count AS pages
           FROM effective_documents WHERE id = ?`,
        )
        .get(item.documentId) as Omit<ReviewDetails, 'item' | 'pdfPage' | 'confidence' | 'dates' | 'acceptedBefore'>;
      const page =
        item.pageNo === null
          ? undefined
          : (this.statements.get('SELECT pdf_page AS pdfPage, confidence FROM pages WHERE document_id = ? AND page_no = ?').get(item.documentId, item.pageNo) as { pdfPage: number | null; confidence: number | null } | undefined);
      // `+f.kind`: by the document's facts, not along every date of the library (review-rules.ts, readingOf).
      const dates =
        item.reason === 'several-dates'
          ? (this.statements
              .get(
                `SELECT f.value AS date, MAX(f.main) AS main, MIN(p.pdf_page) AS page FROM document_facts f LEFT JOIN pages p ON p.document_id = f.document_id AND p.page_no = f.page_no
                 WHERE f.document_id = ? AND +f.kind = 'date' AND (f.main = 1 OR f.rival = 1) GROUP BY f.value ORDER BY MIN(f.rowid)`,
              )
              .all(item.documentId) as Array<{ date: string; main: number; page: number | null }>).map((row) => ({ ...row, main: row.main === 1 }))
          : [];
      const decision = this.statements
        .get(`SELECT author, at FROM review_decisions WHERE document_id = ? AND page_no = ? AND reason = ? AND superseded_by IS NULL AND action = 'accept'`)
        .get(item.documentId, item.pageNo ?? 0, storedReason(item.reason)) as { author: string; at: string } | undefined;
      return {
        item,
        ...document,
        pdfPage: page?.pdfPage ?? null,
        confidence: page?.confidence ?? null,
        dates,
        acceptedBefore: decision ? { by: decision.author, at: decision.at } : null,
      };
    });
  }

  /**
   * One page of the queue, in its order (collection, box, document, page, reason), from a cursor:
   * `after` the items that follow it, `before` the ones before it (the page before).
   */
  list(filter: ReviewFilter, scope: ReviewScope, page: { after?: string; before?: string; limit: number }): ReviewPage {
    const limit = Math.max(1, Math.min(MAX_REVIEW_PAGE, page.limit));
    const { where, params, columns } = this.constraints(filter, scope);
    if (where === null) return { items: [], next: null, previous: null };
    const backwards = page.before !== undefined;
    const from = decodeCursor((backwards ? page.before : page.after) ?? '');
    const keyed = from !== null ? [...where, keyset(columns, backwards ? '<' : '>')] : where;
    const order = ORDER.map((column) => `${column}${backwards ? ' DESC' : ''}`).join(', ');
    const sql = `SELECT collection, box, document_id AS documentId, page_no AS pageNo, reason FROM review_items WHERE ${keyed.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1}`;
    const rows = this.statements.get(sql).all({ ...params, ...(from ? positionParams(from) : {}) }) as ItemRow[];
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    if (backwards) shown.reverse();
    const items = shown.map(toItem);
    const first = shown[0];
    const last = shown.at(-1);
    // The other way from where we came: there is something, since we came from there.
    const before = backwards ? more : from !== null && first !== undefined && this.exists(where, params, columns, first, '<');
    const after = backwards ? last !== undefined && this.exists(where, params, columns, last, '>') : more;
    return { items, next: after && last ? cursorOf(last) : null, previous: before && first ? cursorOf(first) : null };
  }

  /** The plan SQLite makes for a page of the queue with this filter: for tests and the bench (it must walk an index, never sort). */
  plan(filter: ReviewFilter, scope: ReviewScope, after: boolean): string[] {
    const { where, params, columns } = this.constraints(filter, scope);
    if (where === null) return [];
    const keyed = after ? [...where, keyset(columns, '>')] : where;
    const sql = `EXPLAIN QUERY PLAN SELECT collection, box, document_id, page_no, reason FROM review_items WHERE ${keyed.join(' AND ')} ORDER BY ${ORDER.join(', ')} LIMIT 51`;
    const rows = this.statements.get(sql).all({ ...params, ...(after ? positionParams(['', '', 0, 0, '']) : {}) }) as Array<{ detail: string }>;
    return rows.map((row) => row.detail);
  }

  /**
   * How many items this scope has: in all, per reason, per collection, and per box of the
   * filter's collection. Read from review_counts (one row per collection, box and reason, kept by
   * triggers), summed in SQL: never from the items.
   */
  overview(filter: Pick<ReviewFilter, 'collection' | 'box'>, scope: ReviewScope): ReviewOverview {
    type Row = { collection: string; box: string; reason: string; items: number };
    const perCollection = this.visible(this.statements.get(`SELECT collection, '' AS box, reason, SUM(items) AS items FROM review_counts GROUP BY collection, reason`).all() as Row[], scope);
    const inCollection =
      filter.collection === undefined
        ? []
        : this.visible(this.statements.get('SELECT collection, box, reason, SUM(items) AS items FROM review_counts WHERE collection = ? GROUP BY box, reason').all(filter.collection ?? '') as Row[], scope);
    const reasons = emptyReasons();
    let total = 0;
    const counted = filter.collection === undefined ? perCollection : inCollection.filter((row) => filter.box === undefined || row.box === (filter.box ?? ''));
    for (const row of counted) {
      reasons[publicReason(row.reason)] += row.items;
      total += row.items;
    }
    const summed = <T>(rows: readonly Row[], key: 'collection' | 'box', make: (name: string | null, items: number) => T) => {
      const sums = new Map<string, number>();
      for (const row of rows) sums.set(row[key], (sums.get(row[key]) ?? 0) + row.items);
      return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, items]) => make(name === '' ? null : name, items));
    };
    return {
      total,
      reasons,
      collections: summed(perCollection, 'collection', (collection, items) => ({ collection, items })),
      boxes: summed(inCollection, 'box', (box, items) => ({ box, items })),
    };
  }

  /** The whole library's counts, as status and the run report give them (no restricted collection left out). */
  counts(personalDataCollections: readonly string[]): ReviewCounts {
    const { total, reasons } = this.overview({}, { maySeeCollection: () => true, personalData: true, personalDataCollections });
    return { total, reasons };
  }

  private visible<T extends { collection: string; reason: string }>(rows: readonly T[], scope: ReviewScope): T[] {
    const names = [...new Set(rows.map((row) => row.collection))];
    const marked = new Set(collectionsNamed(names, scope.personalDataCollections));
    const hidden = new Set(names.filter((name) => !scope.maySeeCollection(name === '' ? null : name)));
    return rows.filter((row) => !hidden.has(row.collection) && (row.reason !== 'personal-data' || (scope.personalData && !marked.has(row.collection))));
  }

  /** The scope and filter as SQL (null when nothing can match: a collection the user may not see). */
  private constraints(filter: ReviewFilter, scope: ReviewScope): { where: string[] | null; params: Record<string, unknown>; columns: string[] } {
    const names = this.statements.get('SELECT DISTINCT collection FROM review_counts').pluck().all() as string[];
    const hidden = names.filter((name) => !scope.maySeeCollection(name === '' ? null : name));
    const marked = collectionsNamed(names, scope.personalDataCollections);
    const params: Record<string, unknown> = { hidden: JSON.stringify(hidden), marked: JSON.stringify(marked), personal: scope.personalData ? 1 : 0 };
    const where = [
      'collection NOT IN (SELECT value FROM json_each(@hidden))',
      `(reason <> 'personal-data' OR (@personal = 1 AND collection NOT IN (SELECT value FROM json_each(@marked))))`,
    ];
    // The keyset compares the order's columns that the filter does not fix, in the index's order.
    let columns: string[] = [...ORDER];
    if (filter.collection !== undefined) {
      if (!scope.maySeeCollection(filter.collection)) return { where: null, params, columns };
      where.push('collection = @collection');
      params.collection = filter.collection ?? '';
      columns = columns.filter((column) => column !== 'collection');
      if (filter.box !== undefined) {
        where.push('box = @box');
        params.box = filter.box ?? '';
        columns = columns.filter((column) => column !== 'box');
      }
    } else if (filter.box !== undefined) {
      where.push('box = @box');
      params.box = filter.box ?? '';
    }
    if (filter.reason !== undefined) {
      where.push('reason = @reason');
      params.reason = storedReason(filter.reason);
      columns = columns.filter((column) => column !== 'reason');
    }
    return { where, params, columns };
  }

  private exists(where: string[], params: Record<string, unknown>, columns: string[], row: ItemRow, direction: '<' | '>'): boolean {
    const sql = `SELECT 1 FROM review_items WHERE ${[...where, keyset(columns, direction)].join(' AND ')} LIMIT 1`;
    return this.statements.get(sql).get({ ...params, ...positionParams(positionOf(row)) }) !== undefined;
  }
}

const KEY_PARAM: Record<(typeof ORDER)[number], string> = { collection: 'kCollection', box: 'kBox', document_id: 'kDocument', page_no: 'kPage', reason: 'kReason' };

function keyset(columns: readonly string[], direction: '<' | '>'): string {
  return `(${columns.join(', ')}) ${direction} (${columns.map((column) => `@${KEY_PARAM[column as (typeof ORDER)[number]]}`).join(', ')})`;
}

function positionParams([collection, box, documentId, pageNo, reason]: Position): Record<string, unknown> {
  return { kCollection: collection, kBox: box, kDocument: documentId, kPage: pageNo, kReason: reason };
}

function positionOf(row: ItemRow): Position {
  return [row.collection, row.box, row.documentId, row.pageNo, row.reason];
}

function cursorOf(row: ItemRow): string {
  return encodeCursor(positionOf(row));
}

function toItem(row: ItemRow): ReviewItem {
  return {
    documentId: row.documentId,
    pageNo: row.pageNo === 0 ? null : row.pageNo,
    reason: publicReason(row.reason),
    collection: row.collection === '' ? null : row.collection,
    box: row.box === '' ? null : row.box,
    cursor: cursorOf(row),
  };
}
