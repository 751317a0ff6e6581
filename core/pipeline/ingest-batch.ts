/**
 * A batch: every input through the whole pipeline, several at once.
 *
 *     intake → (skip if unchanged) → convert (decode … compose) → catalog → index
 *
 * A broken file fails alone: it is recorded with its error and the batch goes on. Only a
 * library-wide problem (catalog unusable, disk full) stops the batch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import type { Catalog } from '../catalog/catalog.js';
import { AppError, errorRecord, isAppError, toAppError } from '../errors.js';
import type { Library } from '../library.js';
import type { ConvertOptions, IngestOutcome, StageTimings } from '../model.js';
import type { SearchBackend } from '../search/search-backend.js';
import { convertDocument, type ConvertContext } from './convert-document.js';
import { findInputs, type InputFile } from './find-inputs.js';
import { syncIndex } from './index-sync.js';
import { inspectInput, type InspectedInput } from './intake.js';
import { StageClock } from './stage-clock.js';

export interface IngestEvents {
  onStart?(totalDocuments: number): void;
  onPage?(): void;
  onDocument?(outcome: IngestOutcome): void;
}

export interface IngestBatchOptions {
  library: Library;
  catalog: Catalog;
  backend: SearchBackend;
  context: ConvertContext;
  convert: ConvertOptions;
  /** Documents in progress at once. */
  concurrency: number;
  /** Aborting stops taking new documents; those in hand are finished. */
  signal?: AbortSignal;
  events?: IngestEvents;
}

export interface IngestTotals {
  documents: number;
  indexed: number;
  skipped: number;
  failed: number;
  pages: number;
}

export interface IngestReport {
  library: string;
  documents: IngestOutcome[];
  totals: IngestTotals;
  /** Index updates still waiting (the backend refused them); `acervo reindex` or the next run applies them. */
  indexPending: number;
  interrupted: boolean;
  elapsedSeconds: number;
  timings: StageTimings;
}

export async function ingestBatch(inputs: readonly string[], options: IngestBatchOptions): Promise<IngestReport> {
  const started = performance.now();
  const { library, catalog, backend } = options;
  const { files, unreachable } = await findInputs(inputs, [library.root]);
  const outcomes: Array<IngestOutcome | undefined> = new Array(unreachable.length + files.length);
  options.events?.onStart?.(files.length + unreachable.length);
  unreachable.forEach(({ path: source, error }, i) => {
    outcomes[i] = failedOutcome(source, error, {});
    options.events?.onDocument?.(outcomes[i]!);
  });

  const reservedOutputs = new Set<string>();
  let indexQueue: Promise<unknown> = Promise.resolve();
  // Index updates run one at a time: each sync drains whatever the outbox holds.
  const syncIndexSerially = () => {
    const run = indexQueue.then(() => syncIndex(catalog, backend));
    indexQueue = run.catch(() => {});
    return run;
  };

  const settings = JSON.stringify({ languages: options.convert.languages, forceOcr: options.convert.forceOcr, dropBlank: options.convert.dropBlank });

  const ingestOne = async (file: InputFile): Promise<IngestOutcome> => {
    const clock = new StageClock();
    let inspected: InspectedInput | null = null;
    let reserved: string | null = null;
    try {
      inspected = await clock.time('intake', () => inspectInput(file.source));
      const existing = catalog.findBySource(file.source);
      if (
        existing?.status === 'done' &&
        existing.sha256 === inspected.sha256 &&
        existing.settings === settings &&
        existing.outputPath &&
        existsSync(path.join(library.root, existing.outputPath))
      ) {
        return { source: file.source, status: 'skipped', documentId: existing.id, pdf: path.join(library.root, existing.outputPath), pages: existing.pageCount, error: null, indexPending: false, pageCorrections: [], timings: clock.timings };
      }
      const outputPath = existing?.outputPath ?? reserveOutputPath(file, catalog, reservedOutputs);
      reserved = existing?.outputPath ? null : outputPath;
      const result = await convertDocument(
        options.context,
        {
          source: file.source,
          relativePath: file.relativePath,
          mediaType: inspected.mediaType,
          sha256: inspected.sha256,
          outputPath: path.join(library.root, outputPath),
          tempDir: library.tempDir,
          options: options.convert,
        },
        () => options.events?.onPage?.(),
      );
      Object.entries(result.timings).forEach(([stage, ms]) => clock.add(stage as keyof StageTimings, ms));
      const documentId = clock.timeSync('catalog', () =>
        catalog.recordConverted({
          sourcePath: file.source,
          relativePath: file.relativePath,
          mediaType: inspected!.mediaType,
          sha256: inspected!.sha256,
          sizeBytes: inspected!.size,
          settings,
          outputPath,
          result,
        }),
      );
      const sync = await clock.time('index', syncIndexSerially);
      return {
        source: file.source,
        status: 'indexed',
        documentId,
        pdf: path.join(library.root, outputPath),
        pages: result.pages.length,
        error: null,
        indexPending: sync.error !== null,
        pageCorrections: result.pages.flatMap((p) => (p.corrections ? [{ page: p.pageNo, pdfPage: p.pdfPageNo, ...p.corrections, dpi: p.dpi, dpiAssumed: p.dpiAssumed }] : [])),
        timings: clock.timings,
      };
    } catch (error) {
      if (isLibraryWide(error)) throw error;
      const appError = toAppError(error);
      const documentId = catalog.recordFailure({
        sourcePath: file.source,
        relativePath: file.relativePath,
        mediaType: inspected?.mediaType ?? null,
        sha256: inspected?.sha256 ?? null,
        sizeBytes: inspected?.size ?? null,
        error: errorRecord(appError),
      });
      return { ...failedOutcome(file.source, appError, clock.timings), documentId };
    } finally {
      if (reserved) reservedOutputs.delete(reserved);
    }
  };

  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  let fatal: unknown = null;
  const stop = () => {
    queue.pause();
    queue.clear();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  files.forEach((file, i) => {
    void queue
      .add(async () => {
        const outcome = await ingestOne(file);
        outcomes[unreachable.length + i] = outcome;
        options.events?.onDocument?.(outcome);
      })
      .catch((error: unknown) => {
        fatal ??= error;
        stop();
      });
  });
  if (options.signal?.aborted) stop();
  await queue.onIdle();
  options.signal?.removeEventListener('abort', stop);
  await indexQueue;
  if (fatal) throw fatal;

  const done = outcomes.filter((o): o is IngestOutcome => o !== undefined);
  return {
    library: library.root,
    documents: done,
    totals: {
      documents: done.length,
      indexed: done.filter((o) => o.status === 'indexed').length,
      skipped: done.filter((o) => o.status === 'skipped').length,
      failed: done.filter((o) => o.status === 'failed').length,
      pages: done.filter((o) => o.status === 'indexed').reduce((sum, o) => sum + o.pages, 0),
    },
    indexPending: catalog.totals().pendingIndexUpdates,
    interrupted: done.length < outcomes.length,
    elapsedSeconds: (performance.now() - started) / 1000,
    timings: sumTimings(done),
  };
}

function failedOutcome(source: string, error: AppError, timings: StageTimings): IngestOutcome {
  return { source, status: 'failed', documentId: null, pdf: null, pages: 0, error: errorRecord(error), indexPending: false, pageCorrections: [], timings };
}

/** Errors that make the library itself unusable stop the batch; anything else spoils one document. */
function isLibraryWide(error: unknown): boolean {
  return isAppError(error) && error.scope === 'fatal' && error.code !== 'INTERNAL';
}

/**
 * `documents/<relative path>.pdf`, or `<name> (2).pdf`… when another original (a TIFF and a JPEG
 * of the same name, say) already owns it.
 */
function reserveOutputPath(file: InputFile, catalog: Catalog, reserved: Set<string>): string {
  const parsed = path.posix.parse(file.relativePath);
  const folder = path.posix.join('documents', parsed.dir);
  for (let n = 1; ; n++) {
    const candidate = path.posix.join(folder, `${parsed.name}${n === 1 ? '' : ` (${n})`}.pdf`);
    if (!reserved.has(candidate) && !catalog.isOutputTaken(candidate, file.source)) {
      reserved.add(candidate);
      return candidate;
    }
  }
}

function sumTimings(outcomes: readonly IngestOutcome[]): StageTimings {
  const total: StageTimings = {};
  for (const outcome of outcomes) {
    for (const [stage, ms] of Object.entries(outcome.timings)) {
      total[stage as keyof StageTimings] = (total[stage as keyof StageTimings] ?? 0) + ms;
    }
  }
  return total;
}

