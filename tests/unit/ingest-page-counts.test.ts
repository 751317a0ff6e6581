/**
 * The page count a run reports for a batch (issue 27, point 4): the same whether the run
 * converted the file or skipped it as unchanged, and the separator pages listed under `split`.
 * ingestFile on a real library and catalog, with the scripted OCR engine.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { prepareLibrary } from '../../core/library.js';
import { ingestFile } from '../../core/pipeline/ingest-file.js';
import { jobFor, scriptedIngest, useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

describe('ingestFile page counts', () => {
  it('reports the same pages for a batch converted and then skipped', async () => {
    // 8 pages: a sheet, two pages, a sheet and its back, a page, a sheet, a page.
    const batch = await writeBatch([{ separator: null }, 'text', 'text', { separator: { box: '12' } }, 'blank', 'text', { separator: null }, 'text']);
    const job = jobFor(batch, { split: { mode: 'barcode' } });
    mkdirSync(path.join(batch.folder, 'library'), { recursive: true });
    const library = await prepareLibrary(path.join(batch.folder, 'library'));
    const catalog = Catalog.open(library.catalogFile);
    try {
      const deps = scriptedIngest(library, catalog, job.options);
      const target = { readPath: batch.file, sourcePath: batch.file, relativePath: 'caixa-12.pdf' };
      const converted = await ingestFile(target, deps);
      expect(converted).toMatchObject({ status: 'indexed', pages: 4 });
      expect(converted.split?.separators.map((s) => s.page)).toEqual([1, 4, 5, 7]);
      const skipped = await ingestFile(target, deps);
      expect(skipped).toMatchObject({ status: 'skipped', pages: converted.pages });
    } finally {
      catalog.close();
    }
  });
});
