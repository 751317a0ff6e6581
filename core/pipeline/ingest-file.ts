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
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { AppError, errorRecord, isAppError, toAppError } from '../errors.js';
import type { Library } from '../library.js';
import type { ConvertedDocument, ConvertOptions, ConvertResult, IngestOutcome, PartOutcome, StageTimings } from '../model.js';
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
  /**
   * A file found cut short fails (INPUT_TRUNCATED) instead of converting what can be read: the
   * watcher's choice on all but a file's last attempt, since an inbox file cut short is most
   * likely still arriving.
   */
  refuseIncomplete?: boolean;
}

export async function ingestFile(target: IngestTarget, deps: IngestFileDeps, options: IngestFileOptions = {}): Promise<IngestOutcome> {
  const { library, catalog } = deps;
  const started = performance.now();
  const clock = new StageClock();
  let inspected: InspectedInput | null = options.inspected ?? null;
  /** Output paths this document reserved, given back at the end. */
  const reserved: string[] = [];
  /** A conversion not yet recorded: its parts' hidden files are removed if anything fails. */
  let result: ConvertResult | null = null;
  /** Where a split batch's parts are written before they are placed. */
  let partsFolder = library.root;
  try {
    inspected ??= await clock.time('intake', () => inspectInput(target.readPath));
    const settings = conversionSettings(deps.convert);
    const existing = catalog.partsOf(target.sourcePath);
    if (
      existing.length > 0 &&
      existing.every((doc) => doc.status === 'done' && doc.sha256 === inspected!.sha256 && doc.settings === settings && doc.outputPath && existsSync(path.join(library.root, doc.outputPath)))
    ) {
      const first = existing[0]!;
      // Still the file that was cut short: still incomplete.
      const incomplete = first.errorCode === 'INPUT_TRUNCATED' ? { code: 'INPUT_TRUNCATED' as const, message: first.errorMessage ?? '' } : null;
      // And what its conversion warned of, said again.
      const warnings = catalog.fileWarnings(target.sourcePath);
      return {
        source: target.sourcePath,
        status: 'skipped',
        documentId: first.id,
        pdf: path.join(library.root, first.outputPath!),
        pages: existing.reduce((sum, doc) => sum + doc.pageCount, 0),
        error: incomplete,
        ...(incomplete ? { incomplete: true } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
        indexPending: false,
        pageCorrections: [],
        timings: clock.timings,
      };
    }
    // The whole file's PDF path; a batch cut into several parts gets numbered ones after.
    const wholePath = existing.length === 1 && existing[0]!.outputPath ? existing[0]!.outputPath : reserveOutputPath(target, catalog, deps.reservedOutputs);
    if (wholePath !== existing[0]?.outputPath) reserved.push(wholePath);
    partsFolder = path.dirname(path.join(library.root, wholePath));
    // What staff corrected goes into the new PDFs (metadata and text layers); the catalog records the
    // machine's reading beside it, and which corrections the PDFs say.
    const corrections = catalog.corrections().forConversion(target.sourcePath);
    result = await deps.converter.convert(
      {
        source: target.readPath,
        relativePath: target.relativePath,
        mediaType: inspected.mediaType,
        sha256: inspected.sha256,
        outputPath: path.join(library.root, wholePath),
        tempDir: library.tempDir,
        options: deps.convert,
        manual: deps.inventory?.lookup(target.relativePath) ?? {},
        corrected: corrections.metadata,
        ...(Object.keys(corrections.pageTexts).length > 0 ? { correctedText: corrections.pageTexts } : {}),
      },
      deps.onPage,
    );
    const converted = result;
    if (converted.incomplete && options.refuseIncomplete) throw new AppError('INPUT_TRUNCATED', converted.incomplete.message);
    Object.entries(converted.timings).forEach(([stage, ms]) => clock.add(stage as keyof StageTimings, ms));
    const outputs = converted.documents.length === 1 ? [wholePath] : converted.documents.map((d) => reserveOutputPath(target, catalog, deps.reservedOutputs, partSuffix(d.partNo, converted.documents.length)));
    if (converted.documents.length > 1) reserved.push(...outputs);
    // Parts are written beside their place under hidden names: now that their number is known, in place.
    await clock.time('catalog', () => placeParts(library.root, partsFolder, converted.documents, outputs));
    const documents = converted.documents.map((document, i) => ({ outputPath: outputs[i]!, document }));
    const record = { sourcePath: target.sourcePath, relativePath: target.relativePath, mediaType: inspected.mediaType, sha256: inspected.sha256, sizeBytes: inspected.size, settings, documents, pdfCorrectionsSeq: corrections.seq, ...(converted.incomplete ? { incomplete: converted.incomplete } : {}), ...(converted.warnings?.length ? { warnings: converted.warnings } : {}) };
    const recorded = clock.timeSync('catalog', () => catalog.recordConverted(record, options.claimedFrom));
    result = null;
    // The earlier version's PDFs nothing points to any more (parts it no longer has).
    await Promise.all(recorded.staleOutputs.map((stale) => rm(path.join(library.root, stale), { force: true })));
    const sync = await clock.time('index', deps.syncIndex);
    const first = converted.documents[0]!;
    const allPages = converted.documents.flatMap((document) => document.pages);
    return {
      source: target.sourcePath,
      status: 'indexed',
      documentId: recorded.ids[0]!,
      pdf: path.join(library.root, outputs[0]!),
      // The pages of the documents made, as a later run that skips the file counts them (separator pages are under `split`).
      pages: converted.documents.reduce((sum, document) => sum + document.pages.length, 0),
      error: converted.incomplete ?? null,
      ...(converted.incomplete ? { incomplete: true } : {}),
      ...(converted.warnings?.length ? { warnings: converted.warnings } : {}),
      indexPending: sync.error !== null,
      pageCorrections: converted.documents.flatMap((document) =>
        document.pages.flatMap((p) =>
          p.corrections
            ? [{ page: sourcePage(document, p.pageNo), pdfPage: p.pdfPageNo, ...(converted.split ? { part: document.partNo } : {}), ...p.corrections, dpi: p.dpi, dpiAssumed: p.dpiAssumed }]
            : [],
        ),
      ),
      metadata: first.metadata,
      pdfConformance: first.pdfConformance,
      pdfConformanceNote: first.pdfConformanceNote,
      confidence: meanConfidence(allPages.map((p) => p.confidence)),
      ...(converted.split
        ? {
            split: converted.split,
            parts: converted.documents.map((document, i): PartOutcome => ({
              partNo: document.partNo,
              documentId: recorded.ids[i]!,
              pdf: path.join(library.root, outputs[i]!),
              sourcePages: document.sourcePages,
              pages: document.pages.length,
              title: document.metadata.title,
              metadata: document.metadata,
              separatorPage: document.separator?.page ?? null,
            })),
          }
        : {}),
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
    for (const output of reserved) deps.reservedOutputs.delete(output);
    if (result) await discardParts(partsFolder, result);
  }
}

/** Page of the original that page `pageNo` of a document is. */
function sourcePage(document: ConvertedDocument, pageNo: number): number {
  return document.sourcePages ? document.sourcePages.first + pageNo - 1 : pageNo;
}

/** `-01`, `-02`… (three digits from 100 parts on). */
function partSuffix(partNo: number, parts: number): string {
  return `-${String(partNo).padStart(Math.max(2, String(parts).length), '0')}`;
}

async function placeParts(root: string, folder: string, documents: readonly ConvertedDocument[], outputs: readonly string[]): Promise<void> {
  for (const [i, document] of documents.entries()) {
    if (document.tempFile) await rename(path.join(folder, document.tempFile), path.join(root, outputs[i]!));
  }
}

/** Removes the hidden files of parts converted and never placed (a failure between the two). */
async function discardParts(folder: string, result: ConvertResult): Promise<void> {
  await Promise.all(result.documents.filter((d) => d.tempFile).map((d) => rm(path.join(folder, d.tempFile), { force: true })));
}

function meanConfidence(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** The conversion settings that shape a PDF: an original converted with others is converted again. */
export function conversionSettings(convert: ConvertOptions): string {
  // (A library converted before PDF/A had no format: the same as plain PDF, so it is converted again once.)
  // (Likewise a split mode: libraries from before it have none, the same as 'none'.)
  return JSON.stringify({
    languages: convert.languages,
    forceOcr: convert.forceOcr,
    dropBlank: convert.dropBlank,
    ...(convert.pdfFormat === 'pdf' ? {} : { pdfFormat: convert.pdfFormat }),
    ...(convert.split.mode === 'none' ? {} : { split: convert.split.mode === 'blank' ? `blank-${convert.split.blankPages}` : convert.split.mode }),
  });
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
function reserveOutputPath(target: IngestTarget, catalog: Catalog, reserved: Set<string>, suffix = ''): string {
  const parsed = path.posix.parse(target.relativePath);
  const folder = path.posix.join('documents', parsed.dir);
  for (let n = 1; ; n++) {
    const candidate = path.posix.join(folder, `${parsed.name}${n === 1 ? '' : ` (${n})`}${suffix}.pdf`);
    if (!reserved.has(candidate) && !catalog.isOutputTaken(candidate, target.sourcePath)) {
      reserved.add(candidate);
      return candidate;
    }
  }
}
