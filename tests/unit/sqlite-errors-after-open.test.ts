/**
 * SQLite failures that come after a file opened — a statement or a transaction meeting a full
 * disk, a read-only or locked file, a damaged page — are translated as failures at open are
 * (core/sqlite/statements.ts → sqlite-errors.ts): every concern of the catalog, the search index's
 * writer and the access log report the same code and the same words for the same failure.
 *
 * Real SQLite, real failures: a connection that may not grow the file (max_page_count: what a
 * full disk does to SQLite), one made read only (query_only: SQLITE_READONLY, as for a file the
 * process may not write; tests may run as root, whom file permissions do not stop), a write lock
 * held by another connection, and pages overwritten with garbage behind the catalog's back.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessLog } from '../../core/access/access-log.js';
import { Catalog, type InboxClaim, type RunRecord } from '../../core/catalog/catalog.js';
import { isAppError } from '../../core/errors.js';
import { CheckpointWriter } from '../../core/fixity/checkpoint-writer.js';
import { openIndexFile } from '../../core/search/embedded/index-file.js';
import { IndexWriter } from '../../core/search/embedded/index-writer.js';
import { SegmentFiles, segmentsFolder } from '../../core/search/embedded/segment-files.js';
import type { IndexedPage } from '../../core/search/search-backend.js';
import { isBusy } from '../../core/sqlite/sqlite-errors.js';
import { thrown } from '../helpers/thrown.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-sqlite-after-open-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
const fresh = (name: string) => path.join(work, `${++files}-${name}`);

/** The connection behind a Catalog or an AccessLog: only to make it fail as a full or read-only disk would. */
const connectionOf = (owner: Catalog | AccessLog) => (owner as unknown as { db: Database.Database }).db;

/** The file may not grow past what it holds now. */
function fill(db: Database.Database): void {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

const BIG = 'x'.repeat(200_000);

function run(runId: string, report: string | null = null): RunRecord {
  return { runId, command: 'ingest', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: null, stoppedBy: null, documents: 0, indexed: 0, skipped: 0, failed: 0, pages: 0, remaining: 0, report };
}

function claim(inboxPath: string, errorMessage: string | null = null): InboxClaim {
  return { inboxPath, relativePath: path.basename(inboxPath), sha256: null, sizeBytes: null, state: 'working', finalPath: null, documentId: null, attempts: 0, errorCode: null, errorMessage, retryAt: null };
}

/** A catalog with a failed document, a run, a fixity pass begun and two index updates waiting. */
function catalogAt(file: string): { catalog: Catalog; passId: number; outboxIds: number[] } {
  const catalog = Catalog.open(file);
  catalog.recordFailure({ sourcePath: '/in/a.tif', relativePath: 'a.tif', mediaType: null, sha256: null, sizeBytes: 10, error: { code: 'IMAGE_CORRUPT', message: 'truncated' } });
  catalog.recordRun(run('first'));
  const passId = catalog.startVerifyPass({ originals: false }).id;
  // As a conversion would leave them (documents.ts), without converting anything.
  const other = new Database(file);
  other.exec("INSERT INTO outbox (document_id, op, created_at) VALUES (1, 'upsert', '2026-03-01T10:00:00.000Z'), (1, 'delete', '2026-03-01T10:00:01.000Z')");
  other.close();
  const outboxIds = catalog.pendingIndexUpdates(10).map((entry) => entry.id);
  expect(outboxIds).toHaveLength(2);
  return { catalog, passId, outboxIds };
}

describe('a full disk after the catalog opened', () => {
  const file = fresh('catalog.sqlite');
  const { catalog, passId } = catalogAt(file);
  fill(connectionOf(catalog));
  afterAll(() => catalog.close());

  // Each of the catalog's concerns, writing more than the file has room for.
  const writes: Array<[string, () => unknown]> = [
    ['documents (a failure recorded)', () => catalog.recordFailure({ sourcePath: '/in/b.tif', relativePath: 'b.tif', mediaType: null, sha256: null, sizeBytes: 10, error: { code: 'IMAGE_CORRUPT', message: BIG } })],
    ['runs', () => catalog.recordRun(run('second', BIG))],
    ['inbox claims', () => catalog.saveClaim(claim('/inbox/c.tif', BIG))],
    ['fixity passes (a checkpoint, in a transaction)', () => catalog.checkpointVerifyPass({ passId, lastDocumentId: 1, documents: 1, files: 1, ok: 0, bytes: 0, findings: [{ kind: 'changed', file: 'pdf', documentId: 1, path: 'documents/a.pdf', expectedSha256: null, actualSha256: null, message: BIG }] })],
    ['the index outbox', () => catalog.failIndexUpdates(catalog.pendingIndexUpdates(10).map((entry) => entry.id), BIG)],
  ];

  it.each(writes)('%s: LIBRARY_UNUSABLE, naming the catalog, SQLite\'s code and what to check', (_concern, write) => {
    const error = thrown(write);
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'LIBRARY_UNUSABLE',
      message: `Cannot write the catalog ${file}: database or disk is full [SQLITE_FULL]. Check the path, its permissions and free space.`,
      details: { file, sqlite: 'SQLITE_FULL' },
    });
  });

  it('leaves what was there readable, and nothing of the failed writes', () => {
    expect(catalog.recentRuns(10).map((r) => r.runId)).toEqual(['first']);
    expect(catalog.claims()).toEqual([]);
    expect(catalog.failedDocuments().map((d) => d.relativePath)).toEqual(['a.tif']);
  });
});

describe('the same failure in the search index and the access log', () => {
  it('the index writer: the same words, the index named (LIBRARY_UNUSABLE: a copy to rebuild)', () => {
    const file = fresh('index.sqlite');
    const db = openIndexFile(file);
    try {
      const writer = new IndexWriter(db, new SegmentFiles(segmentsFolder(file)), { storeTexts: true, buildThreads: 0 });
      fill(db);
      // Words enough that their rows need pages the file may not take (posting lists go to segment files).
      const text = Array.from({ length: 20_000 }, (_, i) => `palavra${i.toString(36)}`).join(' ');
      const page: IndexedPage = { documentId: 1, pageNo: 1, title: 'Alvará', source: '/in/a.tif', pdf: 'documents/a.pdf', collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text, identifiers: '' };
      expect(thrown(() => writer.apply([{ op: 'upsert', documentId: 1, pages: [page] }]))).toMatchObject({
        code: 'LIBRARY_UNUSABLE',
        message: `Cannot write the search index ${file}: database or disk is full [SQLITE_FULL]. Check the path, its permissions and free space.`,
        details: { file, sqlite: 'SQLITE_FULL' },
      });
    } finally {
      db.close();
    }
  });

  it('the access log: the same words with its own code, so the access is refused', () => {
    const file = fresh('access-log.sqlite');
    const log = AccessLog.open(file);
    try {
      log.record({ action: 'search', user: 'ana', query: 'antes' });
      fill(connectionOf(log));
      expect(thrown(() => log.record({ action: 'search', user: 'ana', query: BIG }))).toMatchObject({
        code: 'ACCESS_LOG_UNWRITABLE',
        message: `Cannot write the access log ${file}: database or disk is full [SQLITE_FULL]. Check the path, its permissions and free space.`,
        details: { file, sqlite: 'SQLITE_FULL' },
      });
      expect(log.verify()).toEqual({ entries: 1, ok: true, firstBroken: null });
    } finally {
      log.close();
    }
  });
});

describe('a catalog that may not be written (SQLITE_READONLY)', () => {
  it('refuses a write of any concern with the same LIBRARY_UNUSABLE, and still reads', () => {
    const file = fresh('catalog.sqlite');
    const { catalog, outboxIds } = catalogAt(file);
    try {
      connectionOf(catalog).pragma('query_only = ON');
      for (const write of [() => catalog.recordRun(run('second')), () => catalog.completeIndexUpdates(outboxIds), () => catalog.saveClaim(claim('/inbox/d.tif'))]) {
        expect(thrown(write)).toMatchObject({
          code: 'LIBRARY_UNUSABLE',
          message: `Cannot write the catalog ${file}: attempt to write a readonly database [SQLITE_READONLY]. Check the path, its permissions and free space.`,
          details: { sqlite: 'SQLITE_READONLY' },
        });
      }
      expect(catalog.indexBacklog()).toMatchObject({ pending: outboxIds.length });
    } finally {
      catalog.close();
    }
  });
});

describe('a catalog locked by another process past the busy timeout', () => {
  it('is LIBRARY_UNUSABLE ("stayed locked"); a fixity checkpoint waits for the next one instead of failing', () => {
    const file = fresh('catalog.sqlite');
    const { catalog, passId } = catalogAt(file);
    const holder = new Database(file);
    try {
      // Not the catalog's 10 s: the test need not wait that long to see the lock win.
      connectionOf(catalog).pragma('busy_timeout = 50');
      holder.exec('BEGIN IMMEDIATE');
      const error = thrown(() => catalog.recordRun(run('second')));
      expect(error).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining(`The catalog ${file} stayed locked by another process (database is locked [SQLITE_BUSY])`), details: { sqlite: 'SQLITE_BUSY' } });
      expect(isBusy(error)).toBe(true);

      const checkpoints = new CheckpointWriter(catalog, passId);
      checkpoints.add({ lastDocumentId: 1, documents: 1, files: 1, ok: 1, bytes: 100, findings: [] });
      expect(catalog.verifyPass(passId)).toMatchObject({ documents: 0 });
      // At the end of a run the progress must go: a busy catalog is then an error.
      expect(thrown(() => checkpoints.flush())).toMatchObject({ code: 'LIBRARY_UNUSABLE' });
      holder.exec('ROLLBACK');
      checkpoints.flush();
      expect(catalog.verifyPass(passId)).toMatchObject({ lastDocumentId: 1, documents: 1, ok: 1, bytes: 100 });
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      catalog.close();
    }
  });

  it('isBusy tells a lock apart from other failures', () => {
    expect(isBusy(new Error('database is locked'))).toBe(false);
    expect(isBusy(Object.assign(new Error('x'), { code: 'SQLITE_FULL' }))).toBe(false);
  });
});

describe('a catalog damaged after it opened', () => {
  it('reading or writing a damaged table is CATALOG_CORRUPT, as at open', () => {
    const file = fresh('catalog.sqlite');
    const filled = Catalog.open(file);
    for (let i = 0; i < 50; i++) filled.recordRun(run(`run-${i}`));
    filled.close();
    const probe = new Database(file, { readonly: true });
    const rootPage = probe.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'runs'").pluck().get() as number;
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    probe.close();

    const catalog = Catalog.open(file);
    try {
      // The runs table's first page overwritten behind the open catalog's back (a bad disk, a bad copy).
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootPage - 1) * pageSize);
      closeSync(fd);
      const damaged = { code: 'CATALOG_CORRUPT', message: expect.stringContaining(`The catalog ${file} is damaged (database disk image is malformed [SQLITE_CORRUPT]); restore it from a backup`), details: { file, sqlite: 'SQLITE_CORRUPT' } };
      expect(thrown(() => catalog.recentRuns(5))).toMatchObject(damaged);
      expect(thrown(() => catalog.recordRun(run('after')))).toMatchObject(damaged);
    } finally {
      catalog.close();
    }
  });
});

describe('what is not a failure of the file', () => {
  it('a constraint the caller broke is a bug (INTERNAL) of the catalog, SQLite\'s code kept', () => {
    const file = fresh('catalog.sqlite');
    const catalog = Catalog.open(file);
    try {
      const error = thrown(() => catalog.saveClaim({ ...claim('/inbox/e.tif'), state: 'lost' as InboxClaim['state'] }));
      expect(error).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^The catalog's write failed: CHECK constraint failed/), details: { sqlite: 'SQLITE_CONSTRAINT_CHECK' } });
      expect(isBusy(error)).toBe(false);
    } finally {
      catalog.close();
    }
  });
});
