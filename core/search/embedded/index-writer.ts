/**
 * Writes to the embedded index: each apply() adds its pages as one new segment and marks the pages
 * of replaced or deleted documents as deleted in theirs, then merges segments as the sizes call
 * for (segment-merge.ts). Everything happens in one SQLite write transaction: readers in this or
 * another process see the index before or after a write, never in between. Segment files are
 * written inside the transaction and those of removed segments deleted only once it committed
 * (segment-files.ts); a transaction that fails deletes the files it wrote.
 */
import { deflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { SEARCH_INDEX_ROLE } from '../../sqlite/sqlite-errors.js';
import { Statements } from '../../sqlite/statements.js';
import type { IndexChange, IndexedPage } from '../search-backend.js';
import { indexableChange } from '../../privacy/index-privacy.js';
import { isVocabularyTerm, Vocabulary } from '../typo-expansion.js';
import { visibleText } from '../text-folding.js';
import { textKey, PAGES_PER_KEY } from './index-file.js';
import { FieldNamesWriter } from './field-names.js';
import { RebuildSegments } from './rebuild-segments.js';
import { SegmentBuilder, type BuiltSegment } from './segment-builder.js';
import type { SegmentFiles } from './segment-files.js';
import { mergeSegments, nextMerge } from './segment-merge.js';

/**
 * Pages a rebuild puts in one segment (built in memory, on a thread of its own): as big as the
 * merge policy's size class of 128k–1M pages starts, so a rebuild's segments are not merged again
 * until eight of them exist.
 */
const REBUILD_SEGMENT_PAGES = 128_000;
/** A rebuild of fewer pages is built on this thread: starting threads would cost more than it saves. */
const THREAD_FROM_PAGES = 20_000;

export interface WriterOptions {
  /** Keep each page's text in the index (for snippets), compressed. False when the catalog supplies texts. */
  storeTexts: boolean;
  /** Threads a rebuild builds segments on (0: this thread only). */
  buildThreads?: number;
  /** A rebuild of fewer pages stays on this thread. */
  threadFromPages?: number;
}

/** What one write transaction did to segment files: written (deleted if it fails), removed (deleted once it commits). */
interface FileChanges {
  written: number[];
  removed: number[];
}

export class IndexWriter {
  private readonly vocabulary: Vocabulary;
  private readonly statements: Statements;
  private files: FileChanges | null = null;
  /** The names behind field codes, read afresh by each transaction. */
  private names: FieldNamesWriter | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly segments: SegmentFiles,
    private readonly options: WriterOptions,
  ) {
    this.vocabulary = new Vocabulary(db);
    this.statements = new Statements(db, SEARCH_INDEX_ROLE);
  }

  private prepare(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  /** Applies the changes, all or nothing. A document's last change in the list wins. */
  apply(changes: readonly IndexChange[]): void {
    const final = new Map<number, IndexChange>();
    for (const change of changes) {
      checkChange(change);
      final.set(change.documentId, indexableChange(change));
    }
    this.transaction(() => {
      const generation = this.bumpGeneration();
      const builder = new SegmentBuilder();
      const segment = this.nextSegmentId();
      this.removeDocuments(final.keys(), generation);
      for (const change of final.values()) {
        if (change.op === 'upsert') this.addDocument(builder, segment, change.documentId, change.pages, generation);
      }
      if (builder.pages > 0) this.writeSegment(segment, builder.build(), generation);
      this.mergeAsNeeded(generation);
    });
  }

  /** Empties the index. */
  clear(): void {
    this.transaction(() => this.clearInTransaction());
  }

  private clearInTransaction(): void {
    this.files!.removed.push(...(this.prepare('SELECT id FROM segments').pluck().all() as number[]));
    for (const table of ['documents', 'segments', 'terms', 'texts', 'names']) this.prepare(`DELETE FROM ${table}`).run();
    this.names = FieldNamesWriter.open(this.db);
    this.vocabulary.clear();
    this.bumpGeneration();
  }

  /**
   * Replaces everything with the given changes, in one write transaction held while the batches
   * arrive: other connections keep searching the old index until it commits.
   */
  async rebuild(batches: AsyncIterable<IndexChange[]>): Promise<void> {
    await this.transactionAsync(async () => {
      this.clearInTransaction();
      const generation = this.bumpGeneration();
      const segments = new RebuildSegments(
        { threads: this.options.buildThreads ?? 0, segmentPages: REBUILD_SEGMENT_PAGES, threadFromPages: this.options.threadFromPages ?? THREAD_FROM_PAGES },
        () => this.nextSegmentId(),
        (id, built) => this.writeSegment(id, built, generation),
      );
      const seen = new Set<number>();
      try {
        for await (const changes of batches) {
          for (const given of changes) {
            checkChange(given);
            const change = indexableChange(given);
            if (change.op !== 'upsert' || change.pages.length === 0) continue;
            if (seen.has(change.documentId)) this.removeDocuments([change.documentId], generation);
            seen.add(change.documentId);
            const codes = this.names!.codesOf(change.pages[0] as IndexedPage);
            const placed = await segments.add(change.pages.map((page) => ({ documentId: change.documentId, pageNo: page.pageNo, title: page.title, identifiers: page.identifiers ?? '', text: page.text, codes })));
            this.recordDocument(change.documentId, change.pages, placed.segment, placed.firstLocal, generation);
          }
        }
      } finally {
        await segments.finish();
      }
      this.mergeAsNeeded(generation);
    });
    // The rebuild went through the write-ahead log: fold it into the file, and give back the pages it freed.
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * One write transaction: BEGIN IMMEDIATE, the work, COMMIT — then the removed segments' files are
   * deleted; on failure, ROLLBACK and the files written are deleted.
   */
  private transaction(work: () => void): void {
    const files = this.begin();
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.failed(files);
      throw error;
    }
    this.committed(files);
  }

  /** The same, for a rebuild that awaits its batches (and its build threads). */
  private async transactionAsync(work: () => Promise<void>): Promise<void> {
    const files = this.begin();
    try {
      await work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.failed(files);
      throw error;
    }
    this.committed(files);
  }

  private begin(): FileChanges {
    this.db.exec('BEGIN IMMEDIATE');
    this.files = { written: [], removed: [] };
    this.names = FieldNamesWriter.open(this.db);
    try {
      // Files no committed segment owns: left by a write that failed or crashed before committing.
      this.segments.removeOrphans(new Set(this.prepare('SELECT id FROM segments').pluck().all() as number[]));
    } catch (error) {
      this.failed(this.files);
      throw error;
    }
    return this.files;
  }

  private failed(files: FileChanges): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.files = null;
    this.segments.remove(files.written);
  }

  private committed(files: FileChanges): void {
    this.files = null;
    this.segments.remove(files.removed);
    if (files.removed.length > 0) this.db.pragma('incremental_vacuum');
  }

  private bumpGeneration(): number {
    return (this.prepare("UPDATE meta SET value = value + 1 WHERE key = 'generation' RETURNING value").get() as { value: number }).value;
  }

  private nextSegmentId(): number {
    return (this.prepare("UPDATE meta SET value = value + 1 WHERE key = 'next_segment' RETURNING value - 1 AS id").get() as { id: number }).id;
  }

  private addDocument(builder: SegmentBuilder, segment: number, documentId: number, pages: readonly IndexedPage[], generation: number): void {
    if (pages.length === 0) return;
    const firstLocal = builder.pages;
    // A document's fields are its first page's: every page carries the same.
    const codes = this.names!.codesOf(pages[0] as IndexedPage);
    for (const page of pages) builder.addPage(documentId, page.pageNo, { title: page.title, identifiers: page.identifiers ?? '', text: page.text }, codes);
    this.recordDocument(documentId, pages, segment, firstLocal, generation);
  }

  /** The document's row (and its pages' texts, when the index keeps them). */
  private recordDocument(documentId: number, pages: readonly IndexedPage[], segment: number, firstLocal: number, generation: number): void {
    const first = pages[0] as IndexedPage;
    if (this.options.storeTexts) {
      const insertText = this.prepare('INSERT OR REPLACE INTO texts (key, data) VALUES (?, ?)');
      // The words are the same either way (the scanner skips invisible characters); only a kept text needs cleaning.
      for (const page of pages) insertText.run(textKey(documentId, page.pageNo), deflateRawSync(visibleText(page.text), { level: 1 }));
    }
    this.prepare(
      `INSERT INTO documents (document_id, title, source, pdf, collection, year, document_type, doc_date, language, personal_data, segment, first_local, page_count, generation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(documentId, visibleText(first.title), first.source, first.pdf, first.collection, first.year, first.documentType, first.date, first.language, first.personalData ? 1 : 0, segment, firstLocal, pages.length, generation);
  }

  /**
   * Marks the documents' pages deleted in their segments and forgets the documents. Each segment's
   * list of deleted pages is read and written once for all of them: once per document, a batch of a
   * bulk change (hundreds of documents of one big segment) cost time growing with the square of it.
   */
  private removeDocuments(documentIds: Iterable<number>, generation: number): void {
    const find = this.prepare('SELECT segment, first_local AS firstLocal, page_count AS pageCount FROM documents WHERE document_id = ?');
    const added = new Map<number, number[]>();
    for (const documentId of documentIds) {
      const found = find.get(documentId) as { segment: number; firstLocal: number; pageCount: number } | undefined;
      if (found === undefined) continue;
      const pages = added.get(found.segment) ?? [];
      for (let i = 0; i < found.pageCount; i++) pages.push(found.firstLocal + i);
      added.set(found.segment, pages);
      this.prepare('DELETE FROM documents WHERE document_id = ?').run(documentId);
      if (this.options.storeTexts) this.prepare('DELETE FROM texts WHERE key >= ? AND key < ?').run(textKey(documentId, 0), textKey(documentId, 0) + PAGES_PER_KEY);
    }
    for (const [segment, pages] of added) {
      const row = this.prepare('SELECT pages, deleted FROM segments WHERE id = ?').get(segment) as { pages: number; deleted: Buffer | null };
      const before = row.deleted === null ? new Uint32Array(0) : new Uint32Array(Uint8Array.from(row.deleted).buffer);
      const deleted = Uint32Array.from(new Set([...before, ...pages])).sort();
      this.prepare('UPDATE segments SET live = ?, deleted = ?, generation = ? WHERE id = ?').run(row.pages - deleted.length, Buffer.from(deleted.buffer), generation, segment);
    }
  }

  /** The segment's file, then its rows and its words' pages in the vocabulary. */
  private writeSegment(id: number, built: BuiltSegment, generation: number): void {
    const file = this.segments.create(id);
    this.files!.written.push(id);
    let base: number;
    try {
      base = file.append(built.bytes);
      file.finish();
    } catch (error) {
      file.abort();
      throw error;
    }
    this.prepare('INSERT INTO segments (id, pages, live, columns, deleted, generation) VALUES (?, ?, ?, ?, NULL, ?)').run(id, built.pages, built.pages, built.columns, generation);
    const insert = this.prepare('INSERT INTO terms (segment, term, pages, at, pages_bytes, positions_bytes) VALUES (?, ?, ?, ?, ?, ?)');
    const delta = new Map<string, number>();
    const { layout } = built;
    built.terms.forEach((term, i) => {
      const pages = layout[4 * i] as number;
      insert.run(id, term, pages, base + (layout[4 * i + 1] as number), layout[4 * i + 2] as number, layout[4 * i + 3] as number);
      if (isVocabularyTerm(term)) delta.set(term, pages);
    });
    this.vocabulary.apply(delta);
  }

  /** Merges segments while the policy calls for it. */
  private mergeAsNeeded(generation: number): void {
    for (;;) {
      const segments = this.prepare('SELECT id, pages, live FROM segments ORDER BY id').all() as Array<{ id: number; pages: number; live: number }>;
      const ids = nextMerge(segments);
      if (ids === null) return;
      const into = this.nextSegmentId();
      this.files!.written.push(into);
      mergeSegments(this.db, this.segments, ids, into, generation, this.vocabulary);
      this.files!.removed.push(...ids);
    }
  }
}

function checkChange(change: IndexChange): void {
  if (change.op === 'delete') return;
  if (change.op !== 'upsert') throw new AppError('INTERNAL', `Unknown index change "${(change as { op: unknown }).op}".`);
  for (const page of change.pages) {
    if (page.documentId !== change.documentId) {
      throw new AppError('INTERNAL', `A page of document ${page.documentId} was given in the update of document ${change.documentId}.`, {
        details: { documentId: change.documentId, pageDocumentId: page.documentId, pageNo: page.pageNo },
      });
    }
  }
}
