/**
 * A hot-folder file still cut short after its attempts (issue 27): the watcher keeps what can be
 * read, searchable and marked incomplete, exactly as `acervo ingest` does, and never loses or
 * changes the original (moved or kept whole, never deleted). Earlier attempts refuse it: it may
 * still be arriving. The whole file dropped later completes that document, not a second one. consumeInboxFile on a real library and inbox, the scripted OCR engine.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { prepareLibrary } from '../../core/library.js';
import pino from 'pino';
import { consumeInboxFile, type ConsumeDeps } from '../../workers/consume-inbox-file.js';
import { runHotFolder } from '../../workers/hot-folder.js';
import { openInbox, type WatchSettings } from '../../workers/inbox.js';
import { jobFor, scriptedIngest } from './pipeline-fixtures.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-hot-incomplete-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A batch TIFF (6 pages unless said): bars of ink on each page, so none is blank. */
async function batchTiff(pages = 6): Promise<Buffer> {
  const page = async (n: number) => {
    const bars = Array.from({ length: 8 }, (_, i) => ({ input: { create: { width: 300, height: 8, channels: 3 as const, background: '#202020' } }, left: 60, top: 80 + i * 50 }));
    return sharp({ create: { width: 420 + n, height: 600, channels: 3, background: '#ffffff' } }).composite(bars).png().toBuffer();
  };
  const pngs = await Promise.all(Array.from({ length: pages }, (_, i) => page(i + 1)));
  return sharp(pngs, { join: { animated: true } }).toColourspace('b-w').tiff({ compression: 'lzw', xres: 100 / 25.4, yres: 100 / 25.4 }).toBuffer();
}

async function setup(name: string, onSuccess: WatchSettings['onSuccess']) {
  const folder = path.join(work, name);
  const inboxDir = path.join(folder, 'inbox');
  mkdirSync(inboxDir, { recursive: true });
  const library = await prepareLibrary(path.join(folder, 'library'));
  const catalog = Catalog.open(library.catalogFile);
  const config = loadConfig({ env: {}, cwd: folder, flags: { library: library.root } });
  const inbox = await openInbox(inboxDir, config.watch, library.root);
  const deps: ConsumeDeps = {
    catalog,
    ingest: scriptedIngest(library, catalog, jobFor({ file: path.join(folder, 'x.tif'), folder }).options),
    settings: { onSuccess, maxAttempts: 2, retryDelaySeconds: 0 },
    converting: new Map(),
  };
  return { inboxDir, inbox, catalog, deps, watch: config.watch };
}

describe('a hot-folder file still cut short after its attempts', () => {
  it('is tried again first, then its readable pages are kept and indexed, marked incomplete, the original moved whole to processed/', async () => {
    const whole = await batchTiff();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { inboxDir, inbox, catalog, deps } = await setup('move', 'move');
    try {
      const file = path.join(inboxDir, 'caixa-12.tif');
      writeFileSync(file, cut);
      // First attempt: it may still be arriving.
      const first = await consumeInboxFile(inbox, file, deps);
      expect(first).toMatchObject({ kind: 'retry', attempts: 1, error: { code: 'INPUT_TRUNCATED' } });
      expect(catalog.totals()).toMatchObject({ documents: 0 });
      // Last attempt: what can be read is kept, as ingest keeps it.
      const last = await consumeInboxFile(inbox, file, deps);
      expect(last.kind).toBe('indexed');
      if (last.kind !== 'indexed') return;
      expect(last.outcome).toMatchObject({ status: 'indexed', incomplete: true, error: { code: 'INPUT_TRUNCATED', message: expect.stringMatching(/TIFF is cut short/) } });
      expect(last.outcome!.pages).toBeGreaterThan(0);
      expect(last.outcome!.pages).toBeLessThan(6);
      const kept = path.join(inboxDir, 'processed', 'caixa-12.tif');
      expect(last.original).toBe(kept);
      expect(sha256(readFileSync(kept))).toBe(sha256(cut));
      expect(existsSync(path.join(inboxDir, 'failed'))).toBe(false);
      expect(catalog.totals()).toMatchObject({ done: 1, incomplete: 1, failed: 0 });
      // Listed for `retry --failed`, at the place its original now lies.
      expect(catalog.failedDocuments().map((d) => [d.sourcePath, d.errorCode])).toEqual([[kept, 'INPUT_TRUNCATED']]);
      expect(catalog.claims()).toEqual([]);
      // Another scan under the same name (not the rest of this one): a document of its own.
      const other = await batchTiff(7);
      writeFileSync(file, other);
      expect(await consumeInboxFile(inbox, file, deps)).toMatchObject({ kind: 'indexed', original: path.join(inboxDir, 'processed', 'caixa-12 (2).tif') });
      expect(sha256(readFileSync(kept))).toBe(sha256(cut));
      // The whole file dropped again: it replaces the cut original and completes its document.
      writeFileSync(file, whole);
      const again = await consumeInboxFile(inbox, file, deps);
      expect(again).toMatchObject({ kind: 'indexed', documentId: last.documentId, original: kept, outcome: { pages: 6, error: null } });
      expect(sha256(readFileSync(kept))).toBe(sha256(whole));
      expect(catalog.totals()).toMatchObject({ documents: 2, done: 2, incomplete: 0 });
      expect(catalog.failedDocuments()).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('is never deleted by an inbox that deletes originals, even when settled after a crash, while a whole file is', async () => {
    const whole = await batchTiff();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { inboxDir, inbox, catalog, deps } = await setup('delete', 'delete');
    deps.settings = { ...deps.settings, maxAttempts: 1 };
    try {
      // A whole scan first: converted and deleted, as asked.
      const file = path.join(inboxDir, 'scan.tif');
      writeFileSync(file, await batchTiff(7));
      expect(await consumeInboxFile(inbox, file, deps)).toMatchObject({ kind: 'indexed', original: null });
      expect(existsSync(file)).toBe(false);
      // The scanner reuses the name for a batch cut short: kept, under the numbered name its document records.
      writeFileSync(file, cut);
      const result = await consumeInboxFile(inbox, file, deps);
      const numbered = path.join(inboxDir, 'scan (2).tif');
      expect(result).toMatchObject({ kind: 'indexed', original: numbered, outcome: { incomplete: true } });
      expect(readdirSync(inboxDir).sort()).toEqual(['scan (2).tif']);
      expect(sha256(readFileSync(numbered))).toBe(sha256(cut));
      const documentId = (result as { documentId: number }).documentId;
      expect(catalog.getDocument(documentId)).toMatchObject({ sourcePath: numbered, errorCode: 'INPUT_TRUNCATED' });
      // A crash after the document was recorded leaves a `converted` claim: settling it keeps the file too.
      catalog.saveClaim({ inboxPath: numbered, relativePath: 'scan (2).tif', sha256: sha256(cut), sizeBytes: cut.length, state: 'converted', finalPath: numbered, documentId, attempts: 1, errorCode: null, errorMessage: null, retryAt: null });
      expect(await consumeInboxFile(inbox, numbered, deps)).toMatchObject({ kind: 'indexed', original: numbered });
      expect(sha256(readFileSync(numbered))).toBe(sha256(cut));
      // The next run finds it where it was kept: unchanged, not a new document.
      expect(await consumeInboxFile(inbox, numbered, deps)).toMatchObject({ kind: 'unchanged', documentId, outcome: { status: 'skipped', incomplete: true, error: { code: 'INPUT_TRUNCATED' } } });
      expect(catalog.totals()).toMatchObject({ documents: 2, incomplete: 1 });
      // The whole file copied over it: its document completed, and the original deleted as asked.
      writeFileSync(numbered, whole);
      expect(await consumeInboxFile(inbox, numbered, deps)).toMatchObject({ kind: 'indexed', documentId, original: null, outcome: { pages: 6 } });
      expect(readdirSync(inboxDir)).toEqual([]);
      expect(catalog.totals()).toMatchObject({ documents: 2, incomplete: 0 });
    } finally {
      catalog.close();
    }
  });

  it('is counted and reported incomplete by the watcher each run, converted or found unchanged where it is kept', async () => {
    const whole = await batchTiff();
    const { inboxDir, inbox, catalog, deps, watch } = await setup('keep', 'keep');
    try {
      writeFileSync(path.join(inboxDir, 'caixa-9.tif'), whole.subarray(0, Math.floor(whole.length * 0.6)));
      const run = () =>
        runHotFolder({ inboxes: [inbox], settings: { ...watch, onSuccess: 'keep', maxAttempts: 1, stableSeconds: 0 }, catalog, ingest: deps.ingest, concurrency: 1, once: true, signal: new AbortController().signal, log: pino({ level: 'silent' }) });
      const first = await run();
      expect(first.counts).toMatchObject({ indexed: 1, incomplete: 1, failed: 0 });
      expect(first.outcomes).toMatchObject([{ status: 'indexed', incomplete: true, error: { code: 'INPUT_TRUNCATED' } }]);
      const second = await run();
      expect(second.counts).toMatchObject({ indexed: 0, unchanged: 1, incomplete: 1 });
      expect(second.outcomes).toMatchObject([{ source: path.join(inboxDir, 'caixa-9.tif'), status: 'skipped', incomplete: true, pages: first.outcomes[0]!.pages }]);
    } finally {
      catalog.close();
    }
  });
});
