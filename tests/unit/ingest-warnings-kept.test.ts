/**
 * Coded warnings are kept with the original's documents (issue 27): a run that skips an
 * unchanged file says the same warnings, in its outcome and its report, as the run that converted
 * it; a new conversion replaces them. ingestFile on a real library and catalog, scripted OCR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { prepareLibrary } from '../../core/library.js';
import { ingestFile } from '../../core/pipeline/ingest-file.js';
import { buildRunReport } from '../../core/reports/run-report.js';
import { jobFor, scriptedIngest, useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

async function libraryFor(folder: string) {
  mkdirSync(path.join(folder, 'library'), { recursive: true });
  const library = await prepareLibrary(path.join(folder, 'library'));
  return { library, catalog: Catalog.open(library.catalogFile) };
}

describe('warnings kept in the catalog', () => {
  it('says a split that found nothing again when the unchanged file is skipped, and forgets it once a new version splits', async () => {
    const plain = await writeBatch(['text', 'text', 'text']);
    const job = jobFor(plain, { split: { mode: 'barcode' } });
    const { library, catalog } = await libraryFor(plain.folder);
    try {
      const deps = scriptedIngest(library, catalog, job.options);
      const target = { readPath: plain.file, sourcePath: plain.file, relativePath: 'caixa-3.pdf' };
      const converted = await ingestFile(target, deps);
      expect(converted).toMatchObject({ status: 'indexed', warnings: [{ code: 'SPLIT_FOUND_NOTHING' }] });
      const skipped = await ingestFile(target, deps);
      expect(skipped).toMatchObject({ status: 'skipped' });
      expect(skipped.warnings).toEqual(converted.warnings);
      const report = buildRunReport({ runId: 'r', command: 'ingest', library, startedAt: new Date(), finishedAt: new Date(), stoppedBy: 'completed', outcomes: [skipped], remaining: 0 });
      expect(report.warnings).toEqual([{ file: plain.file, code: 'SPLIT_FOUND_NOTHING', message: converted.warnings![0]!.message }]);
      // The scanner's batch again, now with a separator sheet: cut, and nothing to warn of any more.
      const cut = await writeBatch(['text', { separator: null }, 'text']);
      writeFileSync(plain.file, await readFile(cut.file));
      const split = await ingestFile(target, deps);
      expect(split).toMatchObject({ status: 'indexed' });
      expect(split.warnings).toBeUndefined();
      expect((await ingestFile(target, deps)).warnings).toBeUndefined();
    } finally {
      catalog.close();
    }
  });

  it('says a file of separator sheets only again when it is skipped', async () => {
    const sheets = await writeBatch([{ separator: null }, 'blank']);
    const job = jobFor(sheets, { split: { mode: 'barcode' } });
    const { library, catalog } = await libraryFor(sheets.folder);
    try {
      const deps = scriptedIngest(library, catalog, job.options);
      const target = { readPath: sheets.file, sourcePath: sheets.file, relativePath: 'separadores.pdf' };
      const converted = await ingestFile(target, deps);
      expect(converted.warnings?.map((w) => w.code)).toEqual(['SPLIT_ONLY_SEPARATORS']);
      const skipped = await ingestFile(target, deps);
      expect(skipped).toMatchObject({ status: 'skipped', pages: converted.pages });
      expect(skipped.warnings).toEqual(converted.warnings);
    } finally {
      catalog.close();
    }
  });
});
