/**
 * The hot-folder watcher: every file that lands in an inbox becomes an indexed searchable PDF,
 * exactly once (consume-inbox-file.ts), whatever happens to the machine.
 *
 *     sweep / file events (chokidar, or polling) → stable? (file-stability.ts) → queue (p-queue)
 *
 * Files wait as paths until they are stable and a worker is free: a burst of thousands costs a
 * few bytes each, and only `concurrency` documents are in hand at a time. On start, claims left
 * by a crash are settled or redone before anything new is taken. Stopping (abort) takes no new
 * file, finishes the ones in hand and closes cleanly; what is left waits in the inbox.
 */
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import type { Catalog } from '../core/catalog/catalog.js';
import type { IngestOutcome } from '../core/model.js';
import type { IngestFileDeps } from '../core/pipeline/ingest-file.js';
import { consumeInboxFile, type ConsumeResult } from './consume-inbox-file.js';
import { FileStability } from './file-stability.js';
import { isPassedOver, relativeToInbox, type Inbox, type WatchSettings } from './inbox.js';

export interface HotFolderOptions {
  inboxes: readonly Inbox[];
  settings: WatchSettings;
  catalog: Catalog;
  ingest: IngestFileDeps;
  /** Files in hand at once. */
  concurrency: number;
  /** Process what is there (and what its retries need), then return. */
  once: boolean;
  signal: AbortSignal;
  log: Logger;
  /**
   * Other work on the library's files that must not run beside a conversion (corrections written
   * into PDFs: a conversion may be writing the same PDF). Looked at on start and every `everyMs`;
   * when `needed`, no new file is taken, and `run` runs once the files in hand are done.
   */
  upkeep?: { everyMs: number; needed: () => boolean; run: (signal: AbortSignal) => Promise<void> };
}

export interface HotFolderCounts {
  indexed: number;
  /** Of those indexed, converted from a file still cut short after its last attempt: its readable pages kept. */
  incomplete: number;
  duplicates: number;
  unchanged: number;
  retries: number;
  failed: number;
}

export interface HotFolderSummary {
  counts: HotFolderCounts;
  /** Stopped before everything seen was done (the rest waits in the inboxes). */
  interrupted: boolean;
  /** Files seen but not done when it stopped. */
  waiting: number;
  /** What happened to each file converted or failed, for the run's report (the latest MAX_OUTCOMES). */
  outcomes: IngestOutcome[];
}

const MAX_OUTCOMES = 10_000;

const INDEX_RETRY_MS = 15_000;

/** How often waiting files are looked at: often enough to take a stable file promptly. */
function tickMs(stableMs: number): number {
  return Math.min(1000, Math.max(100, stableMs / 3));
}

export async function runHotFolder(options: HotFolderOptions): Promise<HotFolderSummary> {
  const { inboxes, settings, catalog, log } = options;
  const counts: HotFolderCounts = { indexed: 0, incomplete: 0, duplicates: 0, unchanged: 0, retries: 0, failed: 0 };
  const stability = new FileStability(settings.stableSeconds * 1000);
  const inHand = new Set<string>();
  const retries = new Map<string, NodeJS.Timeout>();
  /** Files to take without waiting for them to settle: claims a crash left. */
  const due = new Set<string>();
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const converting = new Map<string, Promise<void>>();
  let fatal: unknown = null;
  let stopping = false;
  let pumping = false;
  let wake: () => void = () => {};
  /** Upkeep asked for (no new file is taken), and upkeep running. */
  let upkeepWanted = false;
  let upkeeping: Promise<void> | null = null;

  const inboxOf = (file: string): Inbox | undefined =>
    inboxes.filter((inbox) => file.startsWith(inbox.root + path.sep)).sort((a, b) => b.root.length - a.root.length)[0];
  const consider = (file: string) => {
    const inbox = inboxOf(file);
    if (!inbox || isPassedOver(inbox, file) || inHand.has(file) || retries.has(file) || due.has(file)) return;
    stability.note(file);
  };

  const outcomes: IngestOutcome[] = [];
  const keep = (outcome: IngestOutcome) => {
    outcomes.push(outcome);
    if (outcomes.length > MAX_OUTCOMES) outcomes.shift();
  };
  const report = (inbox: Inbox, file: string, result: ConsumeResult) => {
    const where = { inbox: inbox.root, file: relativeToInbox(inbox, file) };
    if (result.kind === 'indexed' && result.outcome) keep({ ...result.outcome, source: result.original ?? file });
    if (result.kind === 'failed') keep({ source: result.original, status: 'failed', documentId: null, pdf: null, pages: 0, error: result.error, indexPending: false, pageCorrections: [], timings: {} });
    switch (result.kind) {
      case 'indexed': {
        counts.indexed++;
        const pages = result.outcome?.pages;
        const parts = result.outcome?.parts;
        log.info(
          { event: 'file.indexed', ...where, documentId: result.documentId, pages, pdf: result.outcome?.pdf, original: result.original, indexPending: result.outcome?.indexPending, ...(parts ? { split: parts.map((p) => ({ part: p.partNo, documentId: p.documentId, pdf: p.pdf, sourcePages: p.sourcePages })) } : {}) },
          `indexed ${where.file}${pages === undefined ? ' (converted before a restart)' : ` (${pages} page${pages === 1 ? '' : 's'}${parts && parts.length > 1 ? `, cut into ${parts.length} documents` : ''})`}`,
        );
        if (result.outcome?.incomplete) {
          counts.incomplete++;
          const { code, message } = result.outcome.error!;
          log.error({ event: 'file.incomplete', ...where, documentId: result.documentId, pages, code, message, original: result.original }, `${where.file}: ${code}: ${message} (${pages} page(s) kept; original at ${result.original})`);
        }
        break;
      }
      case 'duplicate':
        counts.duplicates++;
        log.info({ event: 'file.duplicate', ...where, of: result.of, original: result.original }, `${where.file} is a copy of document ${result.of}, already in the library: not converted again`);
        break;
      case 'unchanged':
        counts.unchanged++;
        // A kept original still cut short is said again each run, as ingest says it of a file it skips.
        if (result.outcome?.incomplete) {
          counts.incomplete++;
          keep({ ...result.outcome, source: file });
          const { code, message } = result.outcome.error!;
          log.error({ event: 'file.incomplete', ...where, documentId: result.documentId, pages: result.outcome.pages, code, message, original: file, unchanged: true }, `${where.file}: still ${code}: ${message} (unchanged since it was converted)`);
        }
        break;
      case 'retry': {
        counts.retries++;
        log.warn({ event: 'file.retry', ...where, code: result.error.code, message: result.error.message, attempts: result.attempts, retryAt: result.retryAt.toISOString() }, `${where.file}: ${result.error.code}: ${result.error.message} (attempt ${result.attempts}; trying again at ${result.retryAt.toISOString()})`);
        scheduleRetry(file, result.retryAt);
        break;
      }
      case 'failed':
        counts.failed++;
        log.error({ event: 'file.failed', ...where, code: result.error.code, message: result.error.message, attempts: result.attempts, original: result.original }, `${where.file}: ${result.error.code}: ${result.error.message} (moved to ${result.original})`);
        break;
      case 'gone':
        break;
    }
  };

  // When its time comes, a file to retry must be stable again: it may have been taken too early.
  const scheduleRetry = (file: string, at: Date) => {
    const timer = setTimeout(() => {
      retries.delete(file);
      stability.note(file);
    }, Math.max(0, at.getTime() - Date.now()));
    retries.set(file, timer);
  };

  const take = (file: string) => {
    const inbox = inboxOf(file);
    if (!inbox) return;
    inHand.add(file);
    log.info({ event: 'file.taken', inbox: inbox.root, file: relativeToInbox(inbox, file), inHand: inHand.size }, `taking ${relativeToInbox(inbox, file)}`);
    void queue
      .add(async () => report(inbox, file, await consumeInboxFile(inbox, file, { catalog, ingest: options.ingest, settings, converting })))
      .catch((error: unknown) => {
        fatal ??= error;
        stopping = true;
      })
      .finally(() => {
        inHand.delete(file);
        void pump();
      });
  };

  /** Upkeep, once no file is in hand: alone on the library's files. */
  const startUpkeep = () => {
    const job = options.upkeep;
    if (!job || upkeeping || stopping || inHand.size > 0) return;
    upkeepWanted = false;
    upkeeping = job
      .run(options.signal)
      .catch((error: unknown) => log.error({ event: 'watch.upkeep-failed', message: (error as Error).message }, `upkeep failed: ${(error as Error).message}`))
      .finally(() => {
        upkeeping = null;
        void pump();
      });
  };
  const askUpkeep = () => {
    if (!options.upkeep || upkeeping || upkeepWanted || stopping) return;
    try {
      upkeepWanted = options.upkeep.needed();
    } catch (error) {
      log.error({ event: 'watch.upkeep-failed', message: (error as Error).message }, `upkeep failed: ${(error as Error).message}`);
    }
    startUpkeep();
  };

  /** Hands out due and stable files while workers are free (and no upkeep waits for them to be done). */
  const pump = async () => {
    if (upkeepWanted) startUpkeep();
    if (pumping) return;
    pumping = true;
    try {
      while (!stopping && !upkeepWanted && !upkeeping) {
        const free = options.concurrency - inHand.size;
        if (free <= 0) break;
        const next = [...due].filter((file) => !inHand.has(file)).slice(0, free);
        next.forEach((file) => due.delete(file));
        const stable = next.length < free ? (await stability.takeStable(free - next.length)).filter((file) => !inHand.has(file)) : [];
        // A stop may have come while the files were checked: none is taken, all wait for the next run.
        if (stopping) {
          next.forEach((file) => due.add(file));
          stable.forEach((file) => stability.note(file));
          break;
        }
        next.push(...stable);
        if (next.length === 0) break;
        next.forEach(take);
      }
    } finally {
      pumping = false;
      wake();
    }
  };

  await settleClaims(options, due, scheduleRetry, log);

  let watcher: FSWatcher | null = null;
  if (options.once) {
    for (const inbox of inboxes) for (const file of await sweep(inbox)) consider(file);
  } else {
    watcher = watch(
      inboxes.map((inbox) => inbox.root),
      {
        ignored: (file: string) => {
          const inbox = inboxOf(file);
          return inbox !== undefined && isPassedOver(inbox, file);
        },
        ignoreInitial: false,
        usePolling: settings.poll,
        interval: settings.pollIntervalSeconds * 1000,
        binaryInterval: settings.pollIntervalSeconds * 1000,
        ignorePermissionErrors: true,
        awaitWriteFinish: false, // file-stability.ts decides, with its open-for-writing check
      },
    );
    watcher.on('add', consider).on('change', consider).on('unlink', (file: string) => stability.forget(file));
    watcher.on('error', (error: unknown) => log.warn({ event: 'watch.error', message: String(error) }, `watching: ${String(error)}`));
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  }
  log.info(
    { event: 'watch.started', inboxes: inboxes.map((i) => i.root), mode: options.once ? 'once' : settings.poll ? 'poll' : 'events', pollIntervalSeconds: settings.poll ? settings.pollIntervalSeconds : undefined, concurrency: options.concurrency, waiting: stability.size + due.size },
    options.once ? `processing ${inboxes.map((i) => i.root).join(', ')} once` : `watching ${inboxes.map((i) => i.root).join(', ')}${settings.poll ? ` (polling every ${settings.pollIntervalSeconds} s)` : ''}`,
  );

  askUpkeep();
  const ticker = setInterval(() => void pump(), tickMs(settings.stableSeconds * 1000));
  const upkeepTicker = options.upkeep ? setInterval(askUpkeep, options.upkeep.everyMs) : null;
  // Index updates an outage of the search backend left waiting are retried (with backoff) even when no file comes.
  const indexRetry = setInterval(() => void options.ingest.syncIndex().catch(() => {}), INDEX_RETRY_MS);
  const status =
    settings.statusIntervalSeconds > 0
      ? setInterval(() => log.info({ event: 'watch.status', ...counts, waiting: stability.size + due.size, inHand: inHand.size, retrying: retries.size }, 'status'), settings.statusIntervalSeconds * 1000)
      : null;
  const onAbort = () => {
    stopping = true;
    wake();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  void pump();

  const idle = () => stability.size === 0 && due.size === 0 && inHand.size === 0 && retries.size === 0;
  await new Promise<void>((resolve) => {
    wake = () => {
      if (stopping || (options.once && idle())) resolve();
    };
    wake();
  });

  stopping = true;
  clearInterval(ticker);
  clearInterval(indexRetry);
  if (upkeepTicker) clearInterval(upkeepTicker);
  if (status) clearInterval(status);
  options.signal.removeEventListener('abort', onAbort);
  for (const timer of retries.values()) clearTimeout(timer); // their claims say when; the next run resumes them
  await watcher?.close();
  await upkeeping;
  await queue.onIdle();
  if (fatal) throw fatal;
  const waiting = stability.size + due.size + retries.size;
  log.info({ event: 'watch.stopped', ...counts, waiting }, `stopped: ${counts.indexed} indexed${counts.incomplete > 0 ? ` (${counts.incomplete} incomplete)` : ''}, ${counts.duplicates} duplicate(s), ${counts.failed} failed${waiting > 0 ? `; ${waiting} file(s) left for the next run` : ''}`);
  return { counts, interrupted: waiting > 0, waiting, outcomes };
}

/**
 * Claims a crash left behind: a file still in its inbox is taken again at once (settled if it
 * was converted, converted again if not); a retry waits for its time; a claim whose file is gone
 * was settled, or the file was taken away, and is dropped.
 */
async function settleClaims(options: HotFolderOptions, due: Set<string>, scheduleRetry: (file: string, at: Date) => void, log: Logger): Promise<void> {
  for (const claim of options.catalog.claims()) {
    if (!options.inboxes.some((inbox) => claim.inboxPath.startsWith(inbox.root + path.sep))) continue;
    const present = await access(claim.inboxPath).then(
      () => true,
      () => false,
    );
    if (!present) {
      options.catalog.deleteClaim(claim.inboxPath);
      continue;
    }
    log.info({ event: 'file.resumed', file: claim.inboxPath, state: claim.state, attempts: claim.attempts }, `resuming ${claim.inboxPath} (${claim.state} when the last run stopped)`);
    if (claim.state === 'retry' && claim.retryAt) scheduleRetry(claim.inboxPath, new Date(claim.retryAt));
    else due.add(claim.inboxPath);
  }
}

/** Every file in the inbox, in a stable order, leaving out what the watcher passes over. */
async function sweep(inbox: Inbox): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string) => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (isPassedOver(inbox, full)) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(inbox.root);
  return files;
}
