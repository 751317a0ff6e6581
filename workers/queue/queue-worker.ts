/**
 * `acervo worker`: takes documents from the queue, converts them with this machine's OCR workers
 * and returns the result; it never touches the catalog or the index (the coordinator does).
 *
 * A document that cannot be converted (bad input) returns its coded error as the result: trying
 * again would not help. A worker that is killed or loses its machine simply stops renewing its
 * job's lock; after the visibility timeout another worker takes the job. A job that has lost
 * `maxAttempts` workers this way is failed (a poison job) with its error kept.
 *
 * A worker holds several documents at once, and a document that kills its worker takes the others
 * in hand down with it: each loses an attempt. So a job a worker was lost under before is converted
 * alone: a worker converting another puts it back for a moment (no attempt counted), and while it
 * is converted, every other job the worker takes is put back at once. A poison job then costs the
 * documents beside it one attempt, not their last (seen in the queue tests: a good document taken
 * beside the poison one twice, and failed with it). Only a job taken in the moment before the
 * worker dies, not yet put back, can still lose one.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorRecord, isAppError, toAppError } from '../../core/errors.js';
import { isAlive } from '../../core/library.js';
import { convertDocument, type ConvertContext } from '../../core/pipeline/convert-document.js';
import { pagesRead } from '../../core/pipeline/converter.js';
import { DrainableWorker } from './drainable-worker.js';
import { JOB_NAME, redisConnection, workersKey, withDeadline, type ConvertJobData, type ConvertJobOutcome, type QueueSettings, type WorkerHeartbeat } from './convert-queue.js';
import { mapJobPaths } from './path-map.js';
import { isConnectionError } from './redis-errors.js';

const HEARTBEAT_MS = 5000;
/** How long a job a worker was lost under waits, put back, before a worker takes it again. */
const PUT_BACK_MS = 1000;
const IN_HAND_RECHECK_MS = 50;
/** Longer than a job takes from Redis to the worker's hand (a few milliseconds on a LAN). */
const SETTLE_MS = 250;
const RATE_WINDOW_MS = 10 * 60_000;

export interface QueueWorkerOptions {
  settings: QueueSettings;
  /** Starts this machine's OCR engine for a job's languages (one engine per language set). */
  startContext: (languages: readonly string[]) => Promise<ConvertContext>;
  /** Documents converted at once. */
  concurrency: number;
  log: Logger;
  /** Aborting drains: no new job is taken, the ones in hand are finished; with none in hand it stops at once, Redis or not. */
  signal: AbortSignal;
}

export interface QueueWorkerSummary {
  documents: number;
  pages: number;
  failed: number;
}

export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  const { settings, log } = options;
  const id = `${os.hostname()}-${process.pid}`;
  const startedAt = new Date();
  const summary: QueueWorkerSummary = { documents: 0, pages: 0, failed: 0 };
  const recent: Array<{ at: number; pages: number }> = [];
  const contexts = new Map<string, Promise<ConvertContext>>();
  const cleanedTempRoots = new Map<string, Promise<void>>();
  const tempDirs = new Set<string>();
  let active = 0;
  let alone = false;
  let draining = false;

  const contextFor = (languages: readonly string[]) => {
    const key = languages.join('+');
    let context = contexts.get(key);
    if (!context) {
      context = options.startContext(languages);
      context.catch(() => contexts.delete(key));
      contexts.set(key, context);
    }
    return context;
  };

  const process_ = async (job: Job<ConvertJobData, ConvertJobOutcome>, token?: string): Promise<ConvertJobOutcome> => {
    // A job a worker was lost under is converted alone (see the header): put back while another
    // is being converted, and every job taken while it is, is put back.
    const lostBefore = job.stalledCounter > 0;
    if (alone || (lostBefore && active > 0)) {
      await job.moveToDelayed(Date.now() + PUT_BACK_MS, token);
      log.info({ event: 'job.put-back', jobId: job.id, file: job.data.job.relativePath }, `put back: ${job.data.job.relativePath}`);
      throw new DelayedError();
    }
    if (lostBefore) {
      alone = true;
      // Jobs taken in the same moment (one may still be on its way from Redis) put themselves back first.
      await sleep(SETTLE_MS);
      while (worker.inHand > 1) await sleep(IN_HAND_RECHECK_MS);
    }
    active++;
    const mapped = mapJobPaths(job.data.job, settings.paths);
    // Temporary files in a folder of this worker's own: the coordinator's clean-up leaves it alone.
    // (Shared by the jobs in hand; each removes its own files, the folder goes when the worker stops.)
    const tempDir = path.join(mapped.tempDir, `w-${os.hostname()}-${process.pid}`);
    tempDirs.add(tempDir);
    // The conversions begun: BullMQ's attemptsStarted also counts the times the job was put back.
    const attempt = job.attemptsMade + job.stalledCounter + 1;
    log.info({ event: 'job.taken', jobId: job.id, file: mapped.relativePath, source: mapped.source, attempt, coordinator: job.data.coordinator }, `taken: ${mapped.relativePath}`);
    try {
      await cleanTempRoot(mapped.tempDir, cleanedTempRoots);
      await mkdir(tempDir, { recursive: true });
      const context = await contextFor(mapped.options.languages);
      let pages = 0;
      const result = await convertDocument(context, { ...mapped, tempDir }, () => {
        pages++;
        void job.updateProgress(pages).catch(() => {});
      });
      summary.documents++;
      const read = pagesRead(result);
      summary.pages += read;
      recent.push({ at: Date.now(), pages: read });
      log.info({ event: 'job.done', jobId: job.id, file: mapped.relativePath, pages: read, documents: result.documents.length }, `done: ${mapped.relativePath} (${read} pages)`);
      // Said before the job completes: status read once a batch is through counts every page.
      await beat().catch(() => {});
      return { ok: true, result, worker: id };
    } catch (error) {
      // An unexpected error (a bug, the shared folder unreachable) may pass: BullMQ tries again.
      if (!isAppError(error) || error.scope === 'fatal') {
        log.warn({ event: 'job.error', jobId: job.id, file: mapped.relativePath, message: (error as Error).message }, `error on ${mapped.relativePath}: ${(error as Error).message}`);
        throw error;
      }
      summary.failed++;
      const record = errorRecord(toAppError(error));
      log.info({ event: 'job.refused', jobId: job.id, file: mapped.relativePath, ...record }, `${record.code}: ${mapped.relativePath}`);
      return { ok: false, error: record, worker: id };
    } finally {
      active--;
      if (lostBefore) alone = false;
    }
  };

  const worker = new DrainableWorker<ConvertJobData, ConvertJobOutcome, typeof JOB_NAME>(settings.name, process_, {
    connection: redisConnection(settings.url!),
    concurrency: options.concurrency,
    lockDuration: settings.visibilityTimeoutSeconds * 1000,
    stalledInterval: Math.max(500, (settings.visibilityTimeoutSeconds * 1000) / 2),
    // A job whose worker vanished this many times more is failed when next taken.
    maxStalledCount: settings.maxAttempts - 1,
    autorun: false,
  });
  let lastRedisError = '';
  worker.on('error', (error) => {
    // Anything else than Redis out of reach is a fault to look at, logged as such.
    if (!isConnectionError(error)) {
      log.error({ event: 'queue.error', message: error.message }, `queue error: ${error.message}`);
      return;
    }
    if (error.message === lastRedisError) return;
    lastRedisError = error.message;
    log.warn({ event: 'queue.unreachable', message: error.message }, `the queue is unreachable (${error.message}); waiting for it`);
  });
  worker.on('ready', () => {
    if (lastRedisError) log.info({ event: 'queue.reconnected' }, 'the queue is back');
    lastRedisError = '';
  });
  worker.on('failed', (job, error) => {
    if (job) log.warn({ event: 'job.failed', jobId: job.id, file: job.data.job.relativePath, message: error.message, attempts: job.attemptsStarted }, `failed: ${job.data.job.relativePath}: ${error.message}`);
  });

  const beat = async () => {
    const now = Date.now();
    while (recent.length > 0 && recent[0]!.at < now - RATE_WINDOW_MS) recent.shift();
    const minutes = Math.max(1 / 60, Math.min(RATE_WINDOW_MS, now - startedAt.getTime()) / 60_000);
    const heartbeat: WorkerHeartbeat = {
      id,
      host: os.hostname(),
      pid: process.pid,
      startedAt: startedAt.toISOString(),
      documents: summary.documents,
      pages: summary.pages,
      pagesPerMinute: recent.reduce((sum, r) => sum + r.pages, 0) / minutes,
      active,
      draining,
      seenAt: new Date(now).toISOString(),
    };
    await announcer.hset(workersKey(settings.name), id, JSON.stringify(heartbeat));
  };
  // A connection of its own: the worker's closes before the worker can say it has stopped.
  const announcer = new Redis(redisConnection(settings.url!));
  announcer.on('error', () => {});
  const heartbeat = setInterval(() => void beat().catch(() => {}), HEARTBEAT_MS);

  // Whatever the worker waits for (Redis at the start, jobs), a stop ends that wait and drains.
  let stop!: () => void;
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  const onAbort = () => {
    draining = true;
    log.info({ event: 'worker.draining' }, 'draining: no new jobs; finishing the ones in hand');
    stop();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Redis away: waitUntilReady() waits until it comes back, and no close() ends that wait.
    const ready = await Promise.race([worker.waitUntilReady().then(() => true), stopping.then(() => false)]);
    if (ready) await Promise.race([beat().catch(() => {}), stopping]);
    if (ready && !draining) {
      log.info({ event: 'worker.started', id, queue: settings.name, concurrency: options.concurrency }, `worker ${id} taking jobs from ${settings.name}`);
      // run() ends only once the worker is closed, and not at all when closed with Redis away.
      await Promise.race([worker.run(), stopping]);
    }
    await worker.drain();
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    clearInterval(heartbeat);
    // After drain() the same close, already done; after an error, the connections dropped without waiting on Redis.
    await worker.close(true).catch(() => {});
    // Redis away: the entry goes stale by itself (status drops it), and HDEL would only wait.
    if (announcer.status === 'ready') await withDeadline(announcer.hdel(workersKey(settings.name), id), 2000).catch(() => {});
    announcer.disconnect();
    for (const context of contexts.values()) await (await context.catch(() => null))?.ocr.close();
    for (const dir of tempDirs) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
  log.info({ event: 'worker.stopped', ...summary }, `stopped: ${summary.documents} documents, ${summary.pages} pages`);
  return summary;
}

/**
 * Removes what workers of this machine that died left in a library's temporary folder, once per
 * folder; jobs arriving meanwhile wait for it, so it never removes what they have begun.
 */
function cleanTempRoot(tempRoot: string, cleaning: Map<string, Promise<void>>): Promise<void> {
  let done = cleaning.get(tempRoot);
  if (!done) {
    done = (async () => {
      const prefix = `w-${os.hostname()}-`;
      for (const entry of await readdir(tempRoot).catch(() => [] as string[])) {
        const pid = Number(entry.slice(prefix.length));
        if (entry.startsWith(prefix) && pid !== process.pid && !isAlive(pid)) await rm(path.join(tempRoot, entry), { recursive: true, force: true });
      }
    })();
    cleaning.set(tempRoot, done);
  }
  return done;
}

