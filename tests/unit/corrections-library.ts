/**
 * A real library holding one document, ingested through the real pipeline (ingestFile) with the
 * scripted OCR engine: a real catalog, a real PDF/A with its text layer, a real original on disk.
 * For the tests of corrections written into PDFs (apply-corrections, redacted copies, re-ingest).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { convertOptions } from '../../cli/runtime.js';
import { loadConfig } from '../../config/load.js';
import { Catalog, type Correction, type Edit } from '../../core/catalog/catalog.js';
import { prepareLibrary, type Library } from '../../core/library.js';
import type { IngestOutcome } from '../../core/model.js';
import type { ScriptedReading } from '../../core/ocr/scripted-engine.js';
import { localConverter } from '../../core/pipeline/converter.js';
import { ingestFile, type IngestFileDeps } from '../../core/pipeline/ingest-file.js';
import { PageSlots } from '../../core/pipeline/page-slots.js';
import { scriptedPages, writeBatch, type BatchPage } from './pipeline-fixtures.js';

export interface TestLibrary {
  library: Library;
  catalog: Catalog;
  /** The original, where ingest read it. */
  source: string;
  documentId: number;
  /** The document's PDF, absolute. */
  pdf: string;
  /** Ingests the original again (as it is now on disk), read as `script` says. */
  ingest(script: Record<number, ScriptedReading>): Promise<IngestOutcome>;
  /** What ingestFile needs to convert into this library, reading pages as `script` says (its converter to be closed by the caller). */
  ingestDeps(script: Record<number, ScriptedReading>): IngestFileDeps;
  folder: string;
  /** Saves staff's edits of the document (as the web API does), each based on the version there is. */
  correct(edits: Array<Omit<Edit, 'basedOn'>>, author?: string): Correction[];
  close(): void;
}

export const RELATIVE = 'Obras/1987/alvara.pdf';

/** A library with the batch `pages` ingested as one document, read as `script` says (in the folder of the test file's useBatchFolder). */
export async function libraryWith(pages: readonly BatchPage[], script: Record<number, ScriptedReading>): Promise<TestLibrary> {
  const batch = await writeBatch(pages);
  const source = path.join(batch.folder, 'scans', RELATIVE);
  mkdirSync(path.dirname(source), { recursive: true });
  copyFileSync(batch.file, source);
  const library = await prepareLibrary(path.join(batch.folder, 'library'));
  const catalog = Catalog.open(library.catalogFile);
  const config = loadConfig({ env: {}, cwd: batch.folder, flags: { library: library.root } });
  const ingestDeps = (reading: Record<number, ScriptedReading>): IngestFileDeps => ({
    library,
    catalog,
    converter: localConverter({ ocr: scriptedPages(reading), pageSlots: new PageSlots(4), producer: 'Acervo test' }, 2),
    convert: convertOptions(config),
    reservedOutputs: new Set(),
    syncIndex: async () => ({ applied: 0, error: null }),
  });
  const ingest = async (reading: Record<number, ScriptedReading>) => {
    const deps = ingestDeps(reading);
    try {
      return await ingestFile({ readPath: source, sourcePath: source, relativePath: RELATIVE }, deps);
    } finally {
      await deps.converter.close();
    }
  };
  const first = await ingest(script);
  if (first.status !== 'indexed' || first.documentId === null || first.pdf === null) throw new Error(`the ingest failed: ${JSON.stringify(first.error)}`);
  const documentId = first.documentId;
  const correct = (edits: Array<Omit<Edit, 'basedOn'>>, author = 'arquivista') => {
    const current = catalog.corrections().current(documentId);
    const based = edits.map((edit) => ({ ...edit, basedOn: current.find((c) => c.field === edit.field && c.pageNo === (edit.pageNo ?? null))?.id ?? null }));
    const result = catalog.corrections().save(documentId, based, author);
    if ('conflicts' in result) throw new Error(`conflicts: ${JSON.stringify(result.conflicts)}`);
    return result.saved;
  };
  return { library, catalog, source, documentId, pdf: first.pdf, ingest, ingestDeps, folder: batch.folder, correct, close: () => catalog.close() };
}
