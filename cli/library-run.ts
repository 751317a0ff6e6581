/**
 * One run lifecycle for every command that writes to a library (ingest, watch, retry, reindex,
 * index --sync): a run id and its log, the library lock (taken before anything slow starts, so a
 * second run on a locked library is refused at once), the catalog, the search backend, and
 * their clean-up in reverse order whatever happens. The run is recorded in the catalog when it
 * starts; a run found still open when the lock is taken (its process was killed or crashed) is
 * recorded as interrupted, with a report of what the catalog shows it did.
 *
 * A second Ctrl-C/SIGTERM quits at once through `quitAtOnce`, the one exit that skips the
 * awaited clean-up: it does what can be done synchronously (the run recorded as interrupted,
 * the catalog closed, the lock removed) before the process ends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { Catalog } from '../core/catalog/catalog.js';
import type { FolderLock, LockOwner } from '../core/folder-lock.js';
import { existingLibrary, prepareLibrary, type Library } from '../core/library.js';
import { LIBRARY_LOCK_NAME, lockLibrary } from '../core/library-lock.js';
import { rebuildIfEmpty } from '../core/pipeline/rebuild-index.js';
import { buildRunReport, saveRunReport } from '../core/reports/run-report.js';
import type { SearchBackend } from '../core/search/search-backend.js';
import { EXIT } from './exit-codes.js';
import { openLog } from './logger.js';
import { openSearchBackend } from './runtime.js';

export interface RunOptions {
  /** As recorded and reported: "ingest", "watch --once", "retry --failed". */
  command: string;
  config: Config;
  libraryDir: string;
  waitLockSeconds: number;
  /** JSON log lines on stderr too; and the file they go to (rotated), if any. */
  log: { stderr: boolean; file: string | null };
}

export interface LibraryRunOptions extends RunOptions {
  /** Create the library when missing (ingest, watch); the other commands need one that exists. */
  create: boolean;
  /**
   * The command stops taking work when `run.stop` aborts (lock lost). Commands that cannot stop
   * part-way (reindex, index --sync) say false: losing the lock then quits at once.
   */
  stoppable: boolean;
  /** Also tells the user (besides the log) that an empty index is being rebuilt from the catalog. */
  say?: (message: string) => void;
}

/** What every run has: its id and log, the library, its catalog, how it is stopped. */
export interface Run {
  runId: string;
  command: string;
  startedAt: Date;
  log: Logger;
  library: Library;
  catalog: Catalog;
  /** Aborted when the run must take no more work: a signal, its window, or the lock lost. */
  stop: AbortController;
  /** The one exit that does not wait for the work in hand (a second signal). */
  quitAtOnce(code: number): never;
}

/** A writing run: under the library lock, with the search backend. */
export interface LibraryRun extends Run {
  backend: SearchBackend;
}

/** `20261201T020000-3f9a1c`: sorts by time, unique across machines. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/** The writers (ingest, watch, retry, reindex, index --sync): one at a time on a library. */
export function withLibraryRun<T>(options: LibraryRunOptions, body: (run: LibraryRun) => Promise<T>): Promise<T> {
  return withRun(
    options,
    (run, onLost) => lockLibrary(path.resolve(run.library.root), `acervo ${options.command} (run ${run.runId})`, options.waitLockSeconds * 1000, onLost, run.runId),
    async (run, lock) => {
      if (!options.stoppable) run.stop.signal.addEventListener('abort', () => lock.lost && run.quitAtOnce(EXIT.FATAL));
      await recordInterruptedRuns(run.catalog, run.library, lock.takenOver, run.log, options.config.access);
      run.catalog.recordRun({ runId: run.runId, command: options.command, startedAt: run.startedAt.toISOString(), finishedAt: null, stoppedBy: null, documents: 0, indexed: 0, skipped: 0, failed: 0, pages: 0, remaining: 0, report: null });
      const backend = await openSearchBackend(options.config, run.library);
      try {
        await rebuildIfEmpty(run.catalog, backend, (message) => {
          run.log.warn({ event: 'index.rebuild-empty' }, message);
          options.say?.(message);
        });
        try {
          const result = await body({ ...run, backend });
          run.catalog.finishRun(run.runId, 'completed', new Date().toISOString());
          return result;
        } catch (error) {
          run.catalog.finishRun(run.runId, 'error', new Date().toISOString());
          throw error;
        }
      } finally {
        await backend.close();
      }
    },
    options.create,
  );
}

/**
 * A run under a lock of its own (verify: it reads, and runs beside the writers). `takeLock`
 * takes it; `onLost` is called if it is lost.
 */
export async function withRun<T>(
  options: RunOptions,
  takeLock: (run: Pick<Run, 'runId' | 'library'>, onLost: (error: Error) => void) => Promise<FolderLock>,
  body: (run: Run, lock: { takenOver: LockOwner | null; lost: boolean }) => Promise<T>,
  create = false,
): Promise<T> {
  const runId = newRunId();
  const startedAt = new Date();
  const { log, close: closeLog } = await openLog({ command: options.command, runId, stderr: options.log.stderr, file: options.log.file, rotation: options.config.logging });
  const stop = new AbortController();
  let lock: FolderLock | null = null;
  let catalog: Catalog | null = null;
  const quitAtOnce = (code: number): never => {
    try {
      catalog?.finishRun(runId, 'interrupted', new Date().toISOString());
      catalog?.close();
    } finally {
      lock?.releaseNow();
      process.exit(code);
    }
  };
  const held = { takenOver: null as LockOwner | null, lost: false };
  // A library this run creates and then fails to use at all (no queue, say) is not left behind.
  const creating = create && !existsSync(options.libraryDir);
  let unused = false;
  try {
    const library = create ? await prepareLibrary(options.libraryDir) : existingLibrary(options.libraryDir);
    lock = await takeLock({ runId, library }, (error) => {
      log.error({ event: 'run.lock-lost', message: error.message }, 'lost the lock: stopping');
      held.lost = true;
      stop.abort();
    });
    held.takenOver = lock.takenOver;
    catalog = Catalog.open(library.catalogFile);
    try {
      return await body({ runId, command: options.command, startedAt, log, library, catalog, stop, quitAtOnce }, held);
    } catch (error) {
      log.error({ event: 'run.failed', message: (error as Error).message }, `${options.command} stopped by an error`);
      unused = creating && catalog.totals().documents === 0;
      throw error;
    }
  } finally {
    catalog?.close();
    // Emptied while the lock is held, so no other run can be starting in it; the folder goes once empty.
    if (unused) await emptyFolderBesideLock(options.libraryDir);
    await lock?.release();
    await closeLog();
    if (unused) await rmdir(options.libraryDir).catch(() => {});
  }
}

async function emptyFolderBesideLock(folder: string): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    if (!entry.startsWith(LIBRARY_LOCK_NAME)) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
}

/**
 * Holding the lock, no other run can be writing: a run the catalog still shows open ended
 * without saying so. The lock's owner note names a run that died before the catalog knew it.
 */
async function recordInterruptedRuns(catalog: Catalog, library: Library, takenOver: LockOwner | null, log: Logger, review: { personalDataCollections: readonly string[] }): Promise<void> {
  const open = catalog.unendedRuns();
  if (takenOver?.runId && !open.some((run) => run.runId === takenOver.runId)) {
    const command = /^acervo (.+) \(run /.exec(takenOver.holder ?? '')?.[1] ?? 'unknown';
    open.push({ runId: takenOver.runId, command, startedAt: takenOver.since ?? new Date().toISOString() });
  }
  for (const run of open) {
    const finishedAt = new Date();
    const recorded = catalog.recordInterruptedRun({ ...run, finishedAt: finishedAt.toISOString() });
    if (!recorded) continue;
    const report = buildRunReport({
      runId: run.runId,
      command: run.command,
      library,
      startedAt: new Date(run.startedAt),
      finishedAt,
      stoppedBy: 'interrupted',
      note: `found unfinished at ${finishedAt.toISOString()}${takenOver?.pid && takenOver.runId === run.runId ? ` (process ${takenOver.pid} on ${takenOver.host} was gone)` : ''}; counts are the catalog's documents changed since it started`,
      outcomes: [],
      remaining: 0,
    });
    const files = await saveRunReport({ ...report, totals: { documents: recorded.documents, indexed: recorded.indexed, skipped: 0, failed: recorded.failed, pages: recorded.pages, remaining: 0 } }, library, catalog, review);
    log.warn({ event: 'run.interrupted-found', interruptedRun: run.runId, interruptedCommand: run.command, startedAt: run.startedAt, report: files.json }, `run ${run.runId} (${run.command}) ended without finishing; recorded as interrupted`);
  }
}
