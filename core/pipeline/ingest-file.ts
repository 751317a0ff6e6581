/**
 * One original through the whole pipeline:
 *
 *     intake → (skip if unchanged) → convert (decode … compose) → catalog → index
 *
 * Shared by `acervo ingest` (a batch of files where they lie) and `acervo watch` (inbox files,
 * whose originals move elsewhere once converted). A broken file fails alone: its outcome says why.
 * Only a library-wide problem (catalog unusable, disk full) is thrown.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { AppError, errorRecord, isAppError, toAppError } from '../errors.js';
import type { Library } from '../library.js';
import type { ConvertOptions, IngestOutcome, StageTimings } from '../model.js';
import type { Converter } from './converter.js';
import type { Inventory } from '../metadata/inventory.js';
import type { SyncResult } from './index-sync.js';
import { inspectInput, type InspectedInput } from './intake.js';
import { StageClock } from './stage-clock.js';

export interface IngestFileDeps {
  library: Library;
  catalog: Catalog;
  converter: Converter;
  convert: ConvertOptions;
  /** Output paths being written right now by other documents of the run. */
  reservedOutputs: Set<string>;
  /** Drains the outbox into the search backend (one at a time). */
  syncIndex: () => Promise<SyncResult>;
  /** The archive's box inventories, by path below the folder or inbox. */
  inventory?: Inventory;
  onPage?: () => void;
}

export interface IngestTarget {
  /** Where the original is read from. */
  readPath: string;
  /** Where the original lives once settled: the catalog's source path (readPath, or where the watcher moves it). */
  sourcePath: string;
  /** Relative to the folder or inbox it came from, '/'-separated: metadata is read from it. */
  relativePath: string;
}

export interface IngestFileOptions {
  /** Record a failure in the catalog (ingest does; the watcher records only the last of its attempts). */
  recordFailure?: boolean;
  /** The watcher's claim on this inbox file, turned `converted` in the same transaction as the document. */
  claimedFrom?: string;
  /** The original already inspected (type and checksum), not to be read twice. */
  inspected?: InspectedInput;
}

export async function ingestFile(target: IngestTarget, deps: IngestFileDeps, options: IngestFileOptions = {}): Promise<IngestOutcome> {
  const { library, catalog } = deps;
  const started = performance.now();
  const clock = new StageClock();
  let inspected: InspectedInput | null = options.inspected ?? null;
  let reserved: string | null = null;
  try {
    inspected ??= await clock.time('intake', () => inspectInput(target.readPath));
    const settings = conversionSettings(deps.convert);
    const existing = catalog.findBySource(target.sourcePath);
    if (
      existing?.status === 'done' &&
      existing.sha256 === inspected.sha256 &&
      existing.settings === settings &&
      existing.outputPath &&
      existsSync(path.join(library.root, existing.outputPath))
    ) {
      return { source: target.sourcePath, status: 'skipped', documentId: existing.id, pdf: path.join(library.root, existing.outputPath), pages: existing.pageCount, error: null, indexPending: false, pageCorrections: [], timings: clock.timings };
    }
    const outputPath = existing?.outputPath ?? reserveOutputPath(target, catalog, deps.reservedOutputs);
    reserved = existing?.outputPath ? null : outputPath;
    const result = await deps.converter.convert(
      {
        source: target.readPath,
        relativePath: target.relativePath,
        mediaType: inspected.mediaType,
        sha256: inspected.sha256,
        outputPath: path.join(library.root, outputPath),
        tempDir: library.tempDir,
        options: deps.convert,
        manual: deps.inventory?.lookup(target.relativePath) ?? {},
      },
      deps.onPage,
    );
    Object.entries(result.timings).forEach(([stage, ms]) => clock.add(stage as keyof StageTimings, ms));
    const record = { sourcePath: target.sourcePath, relativePath: target.relativePath, mediaType: inspected.mediaType, sha256: inspected.sha256, sizeBytes: inspected.size, settings, outputPath, result };
    const documentId = clock.timeSync('catalog', () => catalog.recordConverted(record, options.claimedFrom));
    const sync = await clock.time('index', deps.syncIndex);
    return {
      source: target.sourcePath,
      status: 'indexed',
      documentId,
      pdf: path.join(library.root, outputPath),
      pages: result.pages.length,
      error: null,
      indexPending: sync.error !== null,
      pageCorrections: result.pages.flatMap((p) => (p.corrections ? [{ page: p.pageNo, pdfPage: p.pdfPageNo, ...p.corrections, dpi: p.dpi, dpiAssumed: p.dpiAssumed }] : [])),
      metadata: result.metadata,
      pdfConformance: result.pdfConformance,
      pdfConformanceNote: result.pdfConformanceNote,
      confidence: meanConfidence(result.pages.map((p) => p.confidence)),
      seconds: (performance.now() - started) / 1000,
      timings: clock.timings,
    };
  } catch (error) {
    if (isLibraryWide(error)) throw error;
    const appError = toAppError(error);
    const documentId =
      options.recordFailure === false
        ? null
        : catalog.recordFailure({
            sourcePath: target.sourcePath,
            relativePath: target.relativePath,
            mediaType: inspected?.mediaType ?? null,
            sha256: inspected?.sha256 ?? null,
            sizeBytes: inspected?.size ?? null,
            error: errorRecord(appError),
          });
    return { ...failedOutcome(target.sourcePath, appError, clock.timings), documentId, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (reserved) deps.reservedOutputs.delete(reserved);
  }
}

function meanConfidence(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** The conversion settings that shape a PDF: an original converted with others is converted again. */
export function conversionSettings(convert: ConvertOptions): string {
  // (A library converted before PDF/A had no format: the same as plain PDF, so it is converted again once.)
  return JSON.stringify({ languages: convert.languages, forceOcr: convert.forceOcr, dropBlank: convert.dropBlank, ...(convert.pdfFormat === 'pdf' ? {} : { pdfFormat: convert.pdfFormat }) });
}

export function failedOutcome(source: string, error: AppError, timings: StageTimings): IngestOutcome {
  return { source, status: 'failed', documentId: null, pdf: null, pages: 0, error: errorRecord(error), indexPending: false, pageCorrections: [], timings };
}

/** Errors that make the library itself unusable stop the run; anything else spoils one document. */
export function isLibraryWide(error: unknown): boolean {
  return isAppError(error) && error.scope === 'fatal' && error.code !== 'INTERNAL';
}

/**
 * `documents/<relative path>.pdf`, or `<name> (2).pdf`… when another original (a TIFF and a JPEG
 * of the same name, say) already owns it.
 */
function reserveOutputPath(target: IngestTarget, catalog: Catalog, reserved: Set<string>): string {
  const parsed = path.posix.parse(target.relativePath);
  const folder = path.posix.join('documents', parsed.dir);
  for (let n = 1; ; n++) {
    const candidate = path.posix.join(folder, `${parsed.name}${n === 1 ? '' : ` (${n})`}.pdf`);
    if (!reserved.has(candidate) && !catalog.isOutputTaken(candidate, target.sourcePath)) {
      reserved.add(candidate);
      return candidate;
    }
  }
}
