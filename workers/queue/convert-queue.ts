/**
 * The distributed job queue's shared vocabulary: the Redis connection, the job's id, and the
 * data that travels. A job is the same ConvertJob the in-process pipeline runs and its outcome the
 * same ConvertResult, so both modes apply results to the catalog the same way.
 */
import { createHash } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import type { Config } from '../../config/schema.js';
import type { ErrorRecord } from '../../core/errors.js';
import type { ConvertJob, ConvertResult } from '../../core/model.js';

export type QueueSettings = Config['queue'];

export const JOB_NAME = 'convert';

export interface ConvertJobData {
  job: ConvertJob;
  /** Who queued it, for status and logs. */
  coordinator: string;
}

/** A document that cannot be converted (bad input) is an outcome, not a failed job: retrying it would not help. */
export type ConvertJobOutcome = { ok: true; result: ConvertResult; worker: string } | { ok: false; error: ErrorRecord; worker: string };

/**
 * The same original, settings and output always make the same id: queueing it twice (a rerun
 * after the coordinator crashed) finds the first job and its result instead of converting again.
 */
export function jobIdFor(job: ConvertJob): string {
  // Staff's corrections make another PDF (its metadata); a job without any keeps the id it always had.
  const corrected: unknown[] = job.corrected && Object.keys(job.corrected).length > 0 ? [job.corrected] : [];
  // Corrected page texts change the PDF too (its text layer): a job with some is another job.
  if (job.correctedText && Object.keys(job.correctedText).length > 0) corrected.push(job.correctedText);
  return createHash('sha256').update(JSON.stringify([job.source, job.sha256, job.outputPath, job.options, job.manual ?? {}, ...corrected])).digest('hex');
}

/**
 * ioredis options from a redis:// URL. Commands wait through an outage (no retry limit) and the
 * connection is retried every few seconds: the work pauses while Redis is away and resumes after.
 */
export function redisConnection(url: string, failFast = false): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // failFast (status): one try, an answer or an error at once.
    maxRetriesPerRequest: failFast ? 1 : null,
    retryStrategy: failFast ? () => null : (times: number) => Math.min(250 * times, 3000),
  };
}

/** The hash where workers announce themselves, one field per worker, refreshed every few seconds. */
export function workersKey(queueName: string): string {
  return `acervo:${queueName}:workers`;
}

/** A worker not heard from for this long is not alive. */
export const HEARTBEAT_TTL_MS = 20_000;

export interface WorkerHeartbeat {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  /** Documents and pages converted since it started. */
  documents: number;
  pages: number;
  /** Pages per minute over the last ten minutes (or since it started, if sooner). */
  pagesPerMinute: number;
  /** Documents in hand right now. */
  active: number;
  draining: boolean;
  /** When it last said so (ISO). */
  seenAt: string;
}

/** `work`, or an error once `ms` have passed without its answer (a Redis that went away). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms).unref())]);
}
