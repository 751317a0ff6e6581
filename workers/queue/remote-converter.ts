/**
 * The coordinator's side of the queue: a Converter whose documents are converted by
 * `acervo worker` processes anywhere. It queues each job (BullMQ on Redis) and waits for its
 * outcome; the caller applies the result to the catalog, which only the coordinator owns.
 *
 * At-least-once delivery, exactly-once in effect: a job's id is fixed by its content, so queueing
 * it again finds the first one (and its result, if a crashed coordinator never applied it); a
 * worker lost mid-job lets its lock lapse and another takes the job; the catalog applies a
 * result by source path, so a document converted twice is still one document.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../../core/errors.js';
import type { ConvertJob, ConvertResult } from '../../core/model.js';
import { pagesRead, type Converter } from '../../core/pipeline/converter.js';
import { JOB_NAME, jobIdFor, redisConnection, type ConvertJobData, type ConvertJobOutcome, type QueueSettings } from './convert-queue.js';

/** How often a job's state is read besides the events' wake-ups: events missed over a reconnect still end the wait. */
const POLL_MS = 1000;
/** Giving up on reaching Redis at start: a wrong address must not hang a nightly batch. */
const CONNECT_TIMEOUT_MS = 15_000;
/** Finished jobs are kept this long so a coordinator that crashed can still collect their results. */
const KEEP_COMPLETED_SECONDS = 24 * 3600;
const KEEP_FAILED_SECONDS = 7 * 24 * 3600;

type AcervoQueue = Queue<ConvertJobData, ConvertJobOutcome, typeof JOB_NAME>;

interface Waiter {
  wake: () => void;
  progress: (pages: number) => void;
}

export async function connectRemoteConverter(settings: QueueSettings): Promise<Converter> {
  const url = settings.url!;
  const connection = redisConnection(url);
  await ping(url);
  const queue: AcervoQueue = new Queue(settings.name, { connection });
  const events = new QueueEvents(settings.name, { connection });
  queue.on('error', () => {}); // reconnects are retried; a run waits through an outage
  events.on('error', () => {});
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const waiters = new Map<string, Set<Waiter>>();
  const notify = (jobId: string, call: (waiter: Waiter) => void) => waiters.get(jobId)?.forEach(call);
  events.on('completed', ({ jobId }) => notify(jobId, (w) => w.wake()));
  events.on('failed', ({ jobId }) => notify(jobId, (w) => w.wake()));
  events.on('progress', ({ jobId, data }) => notify(jobId, (w) => typeof data === 'number' && w.progress(data)));

  const convert = async (job: ConvertJob, onPage?: () => void): Promise<ConvertResult> => {
    const jobId = jobIdFor(job);
    let pagesSeen = 0;
    const waiter: Waiter = { wake: () => {}, progress: (pages) => {
      for (; pagesSeen < pages; pagesSeen++) onPage?.();
    } };
    const set = waiters.get(jobId) ?? new Set<Waiter>();
    waiters.set(jobId, set);
    set.add(waiter);
    try {
      await enqueue(queue, jobId, job, settings);
      for (;;) {
        // The state first, then the job: a job read before it finished has no result yet.
        const state = await queue.getJobState(jobId);
        // Gone: Redis lost its data (restarted without persistence). Queue it again.
        if (state === 'unknown') {
          await enqueue(queue, jobId, job, settings);
          continue;
        }
        if (state === 'completed' || state === 'failed') {
          const finished = await Job.fromId<ConvertJobData, ConvertJobOutcome, typeof JOB_NAME>(queue, jobId);
          if (finished && state === 'failed') throw failure(finished, settings);
          const outcome = finished?.returnvalue;
          if (outcome) {
            if (!outcome.ok) throw new AppError(outcome.error.code, outcome.error.message, { details: { worker: outcome.worker } });
            waiter.progress(pagesRead(outcome.result));
            return outcome.result;
          }
          // Removed or retried in between: look again after the wait.
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          waiter.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      set.delete(waiter);
      if (set.size === 0) waiters.delete(jobId);
    }
  };

  return {
    inHand: settings.inFlight,
    convert,
    close: async () => {
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}

/**
 * Queue the job unless it is there already. A failed one from an earlier run is queued afresh (a
 * retry); a completed one is reused only while the PDF it wrote is still in place.
 */
async function enqueue(queue: AcervoQueue, jobId: string, job: ConvertJob, settings: QueueSettings): Promise<void> {
  const existing = await Job.fromId<ConvertJobData, ConvertJobOutcome, typeof JOB_NAME>(queue, jobId);
  if (existing) {
    const state = await existing.getState();
    const stale = state === 'failed' || (state === 'completed' && existing.returnvalue?.ok === true && !existsSync(job.outputPath));
    if (!stale) return;
    await existing.remove();
  }
  await queue.add(JOB_NAME, { job, coordinator: os.hostname() }, {
    jobId,
    attempts: settings.maxAttempts,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
    removeOnFail: { age: KEEP_FAILED_SECONDS },
  });
}

function failure(job: Job<ConvertJobData, ConvertJobOutcome>, settings: QueueSettings): AppError {
  const reason = job.failedReason ?? 'unknown';
  if (/stalled/.test(reason)) {
    return new AppError('WORKER_LOST', `Every worker that took this document stopped answering under it (${settings.maxAttempts} attempts: killed, out of memory, or its machine gone); it is left failed. Check the workers' logs, then acervo retry --failed.`, { details: { jobId: job.id, attempts: job.attemptsStarted } });
  }
  return new AppError('INTERNAL', `The workers failed on this document ${job.attemptsMade} time(s): ${reason}`, { details: { jobId: job.id } });
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** One try at the server, so that a wrong address or a server that is down fails the run at once. */
async function ping(url: string): Promise<void> {
  const client = new Redis({ ...redisConnection(url, true), connectTimeout: CONNECT_TIMEOUT_MS, lazyConnect: true });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new AppError('QUEUE_UNAVAILABLE', `The job queue's Redis server at ${redactedUrl(url)} cannot be reached (${(error as Error).message}); start it, or check queue.url.`, { cause: error });
  } finally {
    client.disconnect();
  }
}
