/**
 * A batch: every input through the whole pipeline (ingest-file.ts), several at once.
 *
 * A broken file fails alone: it is recorded with its error and the batch goes on. Only a
 * library-wide problem (catalog unusable, disk full) stops the batch.
 */
import PQueue from 'p-queue';
import type { Catalog } from '../catalog/catalog.js';
import type { Library } from '../library.js';
import type { Inventory } from '../metadata/inventory.js';
import type { ConvertOptions, IngestOutcome, StageTimings } from '../model.js';
import type { SearchBackend } from '../search/search-backend.js';
import type { Converter } from './converter.js';
import { findInputs, type InputFile } from './find-inputs.js';
import { serialIndexSync } from './index-sync.js';
import { failedOutcome, ingestFile, type IngestFileDeps } from './ingest-file.js';

export interface IngestEvents {
  onStart?(totalDocuments: number): void;
  onPage?(): void;
  onDocument?(outcome: IngestOutcome): void;
}

export interface IngestBatchOptions {
  library: Library;
  catalog: Catalog;
  backend: SearchBackend;
  converter: Converter;
  convert: ConvertOptions;
  /** Documents in progress at once. */
  concurrency: number;
  /** Aborting stops taking new documents; those in hand are finished. */
  signal?: AbortSignal;
  inventory?: Inventory;
  events?: IngestEvents;
}

export interface IngestTotals {
  documents: number;
  indexed: number;
  skipped: number;
  failed: number;
  /** Converted from a file cut short (counted among indexed or skipped too): exit 2, retry --failed takes them again. */
  incomplete: number;
  /** Files with coded warnings (a split that found no document). */
  warnings: number;
  pages: number;
}

export interface IngestReport {
  library: string;
  documents: IngestOutcome[];
  totals: IngestTotals;
  /** Index updates still waiting (the backend refused them); `acervo index --sync` or the next run applies them. */
  indexPending: number;
  interrupted: boolean;
  /** Inputs not taken because the run was stopped (they wait for the next run). */
  remaining: number;
  elapsedSeconds: number;
  timings: StageTimings;
}

/**
 * `inputs` are paths given by the user (folders walked), or files with their relative paths as the
 * catalog knows them (a retry).
 */
export async function ingestBatch(inputs: readonly string[] | { files: InputFile[] }, options: IngestBatchOptions): Promise<IngestReport> {
  const started = performance.now();
  const { library, catalog, backend } = options;
  const { files, unreachable } = Array.isArray(inputs) ? await findInputs(inputs, [library.root]) : { files: (inputs as { files: InputFile[] }).files, unreachable: [] };
  const outcomes: Array<IngestOutcome | undefined> = new Array(unreachable.length + files.length);
  options.events?.onStart?.(files.length + unreachable.length);
  unreachable.forEach(({ path: source, error }, i) => {
    outcomes[i] = failedOutcome(source, error, {});
    options.events?.onDocument?.(outcomes[i]!);
  });

  const indexSync = serialIndexSync(catalog, backend);
  const deps: IngestFileDeps = {
    library,
    catalog,
    converter: options.converter,
    convert: options.convert,
    reservedOutputs: new Set<string>(),
    syncIndex: indexSync.run,
    ...(options.inventory ? { inventory: options.inventory } : {}),
    onPage: () => options.events?.onPage?.(),
  };
  const ingestOne = (file: InputFile) => ingestFile({ readPath: file.source, sourcePath: file.source, relativePath: file.relativePath }, deps);

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
  await indexSync.idle();
  if (fatal) throw fatal;
  // One last try for what an outage left waiting (earlier tries may have been backing off).
  if (catalog.totals().pendingIndexUpdates > 0) await indexSync.run(true);

  const done = outcomes.filter((o): o is IngestOutcome => o !== undefined);
  return {
    library: library.root,
    documents: done,
    totals: {
      documents: done.length,
      indexed: done.filter((o) => o.status === 'indexed').length,
      skipped: done.filter((o) => o.status === 'skipped').length,
      failed: done.filter((o) => o.status === 'failed').length,
      incomplete: done.filter((o) => o.incomplete).length,
      warnings: done.filter((o) => (o.warnings?.length ?? 0) > 0).length,
      pages: done.filter((o) => o.status === 'indexed').reduce((sum, o) => sum + o.pages, 0),
    },
    indexPending: catalog.totals().pendingIndexUpdates,
    interrupted: done.length < outcomes.length,
    remaining: outcomes.length - done.length,
    elapsedSeconds: (performance.now() - started) / 1000,
    timings: sumTimings(done),
  };
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

