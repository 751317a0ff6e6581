/**
 * What a reader keeps in memory to answer searches at speed: each segment's page columns
 * (page-columns.ts), its deleted pages and its open file, and the names behind the field codes.
 * Posting lists stay in the segment files (the lists searched last are kept in memory by the
 * backend's caches, and the system's page cache keeps the busy ones warm).
 *
 * Refreshed inside each search's read transaction when the index's generation has moved: only the
 * segments that are new, or whose deletions changed, are read again.
 */
import { closeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { foldText } from '../text-folding.js';
import { FieldNames } from './field-names.js';
import { readColumns, type PageColumns } from './page-columns.js';
import type { SegmentFiles } from './segment-files.js';
import { deletedSet } from './segment-merge.js';
import { B, K1 } from './segment-match.js';

export interface SegmentView extends PageColumns {
  id: number;
  pages: number;
  /** 1 for a deleted page; null: none deleted. */
  dead: Uint8Array | null;
  generation: number;
  /** Its file, open for reading. */
  fd: number;
}

export class IndexSnapshot {
  generation = -1;
  segments: SegmentView[] = [];
  names = new FieldNames();
  /** Pages not deleted, and their mean length in words (for ranking). */
  livePages = 0;
  meanLength = 1;
  /**
   * Changes when the ranking statistics have moved by more than a hundredth since it last did —
   * not at every write: what was scored under it (length norms, matched clauses) stays good while
   * documents trickle in, and a server that indexes as it serves keeps its caches.
   */
  statistics = 0;
  private statisticsBase = { livePages: 0, meanLength: 1 };
  private titleRanks: { generation: number; ranks: Map<number, number> } | null = null;
  private readonly normsOf = new Map<number, { generation: number; norms: Float32Array }>();

  /**
   * Brings the snapshot up to the index's state; call inside a read transaction. Throws
   * SegmentFileMissing when a merge deleted a file this state lists (the search starts again).
   */
  refresh(db: Database.Database, files: SegmentFiles): void {
    const generation = (db.prepare("SELECT value FROM meta WHERE key = 'generation'").get() as { value: number }).value;
    if (generation === this.generation) return;
    const rows = db.prepare('SELECT id, pages, generation FROM segments ORDER BY id').all() as Array<{ id: number; pages: number; generation: number }>;
    const known = new Map(this.segments.map((segment) => [segment.id, segment]));
    const opened: number[] = [];
    let next: SegmentView[];
    try {
      next = rows.map((row) => {
        const had = known.get(row.id);
        if (had !== undefined && had.generation === row.generation) return had;
        if (had !== undefined) {
          const { deleted } = db.prepare('SELECT deleted FROM segments WHERE id = ?').get(row.id) as { deleted: Buffer | null };
          return { ...had, dead: deletedSet({ pages: had.pages, deleted }), generation: row.generation };
        }
        const fd = files.open(row.id);
        opened.push(fd);
        const full = db.prepare('SELECT columns, deleted FROM segments WHERE id = ?').get(row.id) as { columns: Buffer; deleted: Buffer | null };
        return { id: row.id, pages: row.pages, ...readColumns(full.columns, row.pages), dead: deletedSet({ pages: row.pages, deleted: full.deleted }), generation: row.generation, fd };
      });
    } catch (error) {
      for (const fd of opened) closeSync(fd);
      throw error;
    }
    const kept = new Set(next.map((segment) => segment.id));
    for (const segment of this.segments) if (!kept.has(segment.id)) closeSync(segment.fd);
    this.segments = next;
    this.names = FieldNames.load(db);
    let live = 0;
    let words = 0;
    for (const segment of this.segments) {
      for (let page = 0; page < segment.pages; page += 1) {
        if (segment.dead?.[page] === 1) continue;
        live += 1;
        words += segment.lengths[page] as number;
      }
    }
    this.livePages = live;
    this.meanLength = live > 0 ? Math.max(1, words / live) : 1;
    const base = this.statisticsBase;
    const drift = (now: number, then: number) => Math.abs(now - then) > 0.01 * Math.max(1, then);
    if (this.generation < 0 || drift(live, base.livePages) || drift(this.meanLength, base.meanLength)) {
      this.statistics += 1;
      this.statisticsBase = { livePages: live, meanLength: this.meanLength };
    }
    this.generation = generation;
  }

  /** Per page of the segment, BM25's length norm for the mean length: computed once per statistics. */
  norms(segment: SegmentView): Float32Array {
    const known = this.normsOf.get(segment.id);
    if (known?.generation === this.statistics) return known.norms;
    const norms = new Float32Array(segment.pages);
    const mean = this.statisticsBase.meanLength;
    for (let page = 0; page < segment.pages; page += 1) norms[page] = K1 * (1 - B + (B * (segment.lengths[page] as number)) / mean);
    this.normsOf.set(segment.id, { generation: this.statistics, norms });
    for (const id of this.normsOf.keys()) if (!this.segments.some((s) => s.id === id)) this.normsOf.delete(id);
    return norms;
  }

  /** Closes the segment files. */
  close(): void {
    for (const segment of this.segments) closeSync(segment.fd);
    this.segments = [];
    this.generation = -1;
  }

  /** Each document's place in title order (accents and case ignored), computed when first asked for. */
  titleRank(db: Database.Database): Map<number, number> {
    if (this.titleRanks?.generation === this.generation) return this.titleRanks.ranks;
    const rows = db.prepare('SELECT document_id AS id, title FROM documents').all() as Array<{ id: number; title: string }>;
    const keyed = rows.map((row) => ({ id: row.id, key: foldText(row.title) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
    const ranks = new Map(keyed.map((row, rank) => [row.id, rank]));
    this.titleRanks = { generation: this.generation, ranks };
    return ranks;
  }
}
