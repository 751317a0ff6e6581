/**
 * Merging segments: a write adds a small segment, and small segments are merged into bigger ones
 * (eight of a size into one, as log-structured indexes do), so a search reads a few lists per word
 * whatever the history of writes; a segment whose pages are mostly deleted is rewritten without
 * them. Merging streams the segments' posting lists word by word in the order SQLite keeps their
 * words, into a new segment file, holding one word's lists in memory at a time.
 */
import type Database from 'better-sqlite3';
import type { Vocabulary } from '../typo-expansion.js';
import { isVocabularyTerm } from '../typo-expansion.js';
import { closeSync } from 'node:fs';
import { ByteWriter, compareTerms, decodePages, encodePages, PositionsCursor, SKIP_EVERY, skipBytes } from './postings.js';
import { readAt, type SegmentFiles } from './segment-files.js';
import { ColumnsWriter, readColumns } from './page-columns.js';

export interface SegmentRow {
  id: number;
  pages: number;
  live: number;
  columns: Buffer;
  deleted: Buffer | null;
}

/** Segments of fewer live pages than this are all of the lowest size class. */
const SMALLEST = 2_000;
/** Segments of one size class merged at once. */
const MERGE_FACTOR = 8;
/** A segment with fewer live pages than this share of its pages is rewritten without the deleted ones. */
const MIN_LIVE_SHARE = 0.5;
/** No merge makes a segment bigger than this. */
const MAX_MERGED_PAGES = 4_000_000;
/** Words read at a time from each segment while merging. */
const CHUNK = 2_000;

function sizeClass(live: number): number {
  return live < SMALLEST ? 0 : 1 + Math.floor(Math.log(live / SMALLEST) / Math.log(MERGE_FACTOR));
}

/** The next merge the segments call for, if any: mostly deleted ones first, then eight of a size. */
export function nextMerge(segments: readonly Pick<SegmentRow, 'id' | 'pages' | 'live'>[]): number[] | null {
  const empty = segments.find((s) => s.live === 0);
  if (empty) return [empty.id];
  const hollow = segments.find((s) => s.pages >= SMALLEST && s.live < s.pages * MIN_LIVE_SHARE);
  if (hollow) return [hollow.id];
  const byClass = new Map<number, number[]>();
  for (const segment of segments) {
    const list = byClass.get(sizeClass(segment.live)) ?? [];
    list.push(segment.id);
    byClass.set(sizeClass(segment.live), list);
  }
  const live = new Map(segments.map((s) => [s.id, s.live]));
  for (const size of [...byClass.keys()].sort((a, b) => a - b)) {
    const ids = (byClass.get(size) as number[]).slice(0, MERGE_FACTOR);
    if (ids.length < MERGE_FACTOR) continue;
    // Segments past a few million pages are left as they are: merging them costs minutes and saves little.
    if (ids.reduce((sum, id) => sum + (live.get(id) as number), 0) <= MAX_MERGED_PAGES) return ids;
  }
  return null;
}

/** Deleted local pages of a segment, as a lookup. */
export function deletedSet(row: Pick<SegmentRow, 'pages' | 'deleted'>): Uint8Array | null {
  if (row.deleted === null) return null;
  const aligned = row.deleted.byteOffset % 4 === 0 ? row.deleted : Buffer.from(row.deleted);
  const list = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const dead = new Uint8Array(row.pages);
  for (const page of list) dead[page] = 1;
  return dead;
}

interface TermRow {
  term: string;
  pages: number;
  at: number;
  pages_bytes: number;
  positions_bytes: number;
}

interface Cursor {
  segment: number;
  fd: number;
  /** Old local page → new local page, -1 when deleted. */
  map: Int32Array;
  rows: TermRow[];
  at: number;
  done: boolean;
}

/**
 * Merges the segments into a new one with id `into` (its file written through `files`), dropping
 * deleted pages; moves their documents over. Runs inside the caller's write transaction; the
 * caller deletes the old segments' files once it has committed.
 */
export function mergeSegments(db: Database.Database, files: SegmentFiles, ids: readonly number[], into: number, generation: number, vocabulary: Vocabulary): void {
  const rows = ids.map((id) => db.prepare('SELECT id, pages, live, columns, deleted FROM segments WHERE id = ?').get(id) as SegmentRow);
  // New local numbers: the live pages of each segment in turn.
  const columns = new ColumnsWriter();
  const maps = rows.map((row) => {
    const from = readColumns(row.columns, row.pages);
    const dead = deletedSet(row);
    const map = new Int32Array(row.pages).fill(-1);
    for (let page = 0; page < row.pages; page += 1) {
      if (dead?.[page] === 1) continue;
      map[page] = columns.length;
      columns.copy(from, page);
    }
    return map;
  });

  const nextRows = db.prepare('SELECT term, pages, at, pages_bytes, positions_bytes FROM terms WHERE segment = ? AND term > ? ORDER BY term LIMIT ?');
  const insert = db.prepare('INSERT INTO terms (segment, term, pages, at, pages_bytes, positions_bytes) VALUES (?, ?, ?, ?, ?, ?)');
  const cursors: Cursor[] = rows.map((row, i) => ({ segment: row.id, fd: files.open(row.id), map: maps[i] as Int32Array, rows: [], at: 0, done: false }));
  const fill = (cursor: Cursor, after: string) => {
    cursor.rows = nextRows.all(cursor.segment, after, CHUNK) as TermRow[];
    cursor.at = 0;
    cursor.done = cursor.rows.length === 0;
  };
  const output = files.create(into);
  const delta = new Map<string, number>();
  try {
    for (const cursor of cursors) fill(cursor, '');
    for (;;) {
      let term: string | null = null;
      for (const cursor of cursors) {
        if (cursor.done) continue;
        const head = (cursor.rows[cursor.at] as TermRow).term;
        if (term === null || compareTerms(head, term) < 0) term = head;
      }
      if (term === null) break;
      const pages: number[] = [];
      const weights: number[] = [];
      const positions = new ByteWriter();
      /** Where every 64th kept page's positions start: the merged list's skip table. */
      const starts: number[] = [];
      let before = 0;
      for (const cursor of cursors) {
        if (cursor.done) continue;
        const row = cursor.rows[cursor.at] as TermRow;
        if (row.term !== term) continue;
        before += row.pages;
        const list = decodePages(readAt(cursor.fd, row.at, row.pages_bytes));
        const skip = skipBytes(row.pages);
        const stored = new PositionsCursor(readAt(cursor.fd, row.at + row.pages_bytes + skip, row.positions_bytes - skip));
        for (let i = 0; i < list.pages.length; i += 1) {
          const moved = cursor.map[list.pages[i] as number] as number;
          if (moved < 0) {
            stored.skip();
            continue;
          }
          if (pages.length % SKIP_EVERY === 0) starts.push(positions.length);
          pages.push(moved);
          weights.push(list.weights[i] as number);
          positions.append(stored.rawNext());
        }
        cursor.at += 1;
        if (cursor.at >= cursor.rows.length) fill(cursor, term);
      }
      if (pages.length > 0) {
        const list = encodePages(pages, weights);
        const at = output.append(list);
        const skips = new Uint8Array(skipBytes(pages.length));
        const view = new DataView(skips.buffer);
        if (skips.length > 0) starts.forEach((start, i) => view.setUint32(4 * i, start, true));
        output.append(skips);
        output.append(positions.view());
        insert.run(into, term, pages.length, at, list.length, skips.length + positions.length);
      }
      if (before !== pages.length && isVocabularyTerm(term)) delta.set(term, pages.length - before);
    }
    output.finish();
  } catch (error) {
    output.abort();
    throw error;
  } finally {
    for (const cursor of cursors) closeSync(cursor.fd);
  }

  for (const id of ids) {
    db.prepare('DELETE FROM terms WHERE segment = ?').run(id);
    db.prepare('DELETE FROM segments WHERE id = ?').run(id);
  }
  if (columns.length > 0) {
    db.prepare('INSERT INTO segments (id, pages, live, columns, deleted, generation) VALUES (?, ?, ?, ?, NULL, ?)').run(into, columns.length, columns.length, columns.finish(), generation);
  } else db.prepare('DELETE FROM terms WHERE segment = ?').run(into);
  const moveDocument = db.prepare('UPDATE documents SET segment = ?, first_local = ? WHERE document_id = ?');
  for (const [i, id] of ids.entries()) {
    const documents = db.prepare('SELECT document_id AS documentId, first_local AS firstLocal FROM documents WHERE segment = ?').all(id) as Array<{ documentId: number; firstLocal: number }>;
    for (const document of documents) moveDocument.run(into, (maps[i] as Int32Array)[document.firstLocal], document.documentId);
  }
  vocabulary.apply(delta);
}
