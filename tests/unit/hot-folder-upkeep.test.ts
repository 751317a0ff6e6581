/**
 * The watcher writes staff's corrections into the PDFs (it holds the library lock all the time it
 * runs, so nothing else could): its upkeep runs alone, never beside a conversion, which may be
 * writing the same PDF (workers/hot-folder.ts). A real library and inbox, the scripted OCR engine.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { applyCorrections } from '../../core/pipeline/apply-corrections.js';
import { runHotFolder } from '../../workers/hot-folder.js';
import { openInbox } from '../../workers/inbox.js';
import { readPdf } from '../helpers/pdf-text.js';
import { libraryWith, type TestLibrary } from './corrections-library.js';
import { useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

let lib: TestLibrary | null = null;
afterEach(() => {
  lib?.close();
  lib = null;
});

describe("the watcher's upkeep", () => {
  it('writes the waiting corrections into the PDFs between files, never beside a conversion', async () => {
    lib = await libraryWith(['text'], { 1: 'Processo nº 1B73/87' });
    lib.correct([{ field: 'text', pageNo: 1, value: 'Processo nº 1873/87' }]);
    const inboxDir = path.join(lib.folder, 'inbox');
    mkdirSync(inboxDir, { recursive: true });
    copyFileSync((await writeBatch(['text'])).file, path.join(inboxDir, 'novo.pdf'));

    const config = loadConfig({ env: {}, cwd: lib.folder, flags: { library: lib.library.root } });
    const settings = { ...config.watch, stableSeconds: 0 };
    const deps = lib.ingestDeps({ 1: 'Ofício nº 12' });
    const events: string[] = [];
    let converting = 0;
    let upkeeping = false;
    const original = deps.converter;
    const convert = original.convert.bind(original);
    deps.converter = {
      inHand: original.inHand,
      close: () => original.close(),
      convert: async (job, onPage) => {
        expect(upkeeping).toBe(false);
        converting++;
        events.push('convert');
        try {
          return await convert(job, onPage);
        } finally {
          converting--;
        }
      },
    };
    const library = lib.library;
    const catalog = lib.catalog;
    const summary = await runHotFolder({
      inboxes: [await openInbox(inboxDir, settings, library.root)],
      settings,
      catalog,
      ingest: deps,
      concurrency: 1,
      once: true,
      signal: new AbortController().signal,
      log: pino({ level: 'silent' }),
      upkeep: {
        everyMs: 60_000,
        needed: () => catalog.pdfRewrites().pendingCount() > 0,
        run: async (signal) => {
          expect(converting).toBe(0);
          upkeeping = true;
          events.push('upkeep');
          try {
            await applyCorrections({ library, catalog, producer: 'Acervo test', signal });
          } finally {
            upkeeping = false;
          }
        },
      },
    });
    await original.close();
    expect(summary.counts.indexed).toBe(1);
    expect(events).toEqual(['upkeep', 'convert']);
    expect(catalog.pdfRewrites().pendingCount()).toBe(0);
    expect((await readPdf(lib.pdf)).pages[0]!.text).toContain('1873/87');
  });
});
