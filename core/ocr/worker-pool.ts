/**
 * A pool of up to `size` tesseract.js workers, started as pages need them and reused: a worker
 * costs about a second of CPU to start, and a run that reads one page, or never has to detect a
 * page's orientation, should not pay for the rest. A worker whose task fails or
 * takes longer than the timeout is terminated and replaced (a wasm engine that aborted is not
 * safe to reuse), and the task is tried once more on another worker; a second failure is the
 * page's error. So one bad page can neither hang a batch nor poison a worker for the next pages.
 */
import PQueue from 'p-queue';
import type Tesseract from 'tesseract.js';
import { AppError } from '../errors.js';

type Worker = Tesseract.Worker;

/** What went wrong on an attempt, for the error of the last one. */
type AttemptFailure = { kind: 'timeout' } | { kind: 'error'; error: unknown };

export interface PoolErrors {
  /** The task timed out on both attempts. */
  timeout: () => AppError;
  /** The task failed on both attempts (the last failure given). */
  failed: (error: unknown) => AppError;
}

export interface PoolCounters {
  /** Workers terminated and started afresh after a failure or a timeout. */
  replaced: number;
  /** Tasks tried a second time. */
  retried: number;
}

export class WorkerPool {
  private readonly idle: Worker[];
  /** Workers the pool may still start when every started one is busy. */
  private unstarted: number;
  private readonly queue: PQueue;
  private closed = false;
  private broken: unknown = null;
  readonly counters: PoolCounters = { replaced: 0, retried: 0 };

  private constructor(
    private readonly createWorker: () => Promise<Worker>,
    private readonly timeoutMs: number,
    workers: Worker[],
    size: number,
  ) {
    this.idle = workers;
    this.unstarted = size - workers.length;
    // The queue never runs more tasks than the pool may have workers, so an idle one is always
    // there or may be started.
    this.queue = new PQueue({ concurrency: size });
  }

  /**
   * A pool of `size` workers, `startNow` of them started before it is returned (all by default):
   * one started at once proves the engine can start, so a broken installation is the run's
   * error before any document, not each page's.
   */
  static async start(size: number, createWorker: () => Promise<Worker>, timeoutMs: number, startNow = size): Promise<WorkerPool> {
    const started = await Promise.allSettled(Array.from({ length: Math.min(size, startNow) }, createWorker));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.terminate().catch(() => {})));
      throw failure.reason;
    }
    return new WorkerPool(createWorker, timeoutMs, workers, size);
  }

  get size(): number {
    return this.queue.concurrency;
  }

  /** Runs `task` on an idle worker, and once more on another if the first attempt fails. */
  async run<T>(task: (worker: Worker) => Promise<T>, errors: PoolErrors): Promise<T> {
    let last: AttemptFailure | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (this.closed) throw new AppError('INTERNAL', 'The OCR engine is closed.');
      if (this.broken) throw this.broken;
      if (attempt === 2) this.counters.retried++;
      const outcome = await this.queue.add(() => this.attempt(task));
      if (outcome.ok) return outcome.value;
      last = outcome.failure;
    }
    throw last!.kind === 'timeout' ? errors.timeout() : errors.failed(last!.error);
  }

  private async attempt<T>(task: (worker: Worker) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: AttemptFailure }> {
    let worker = this.idle.pop();
    if (!worker && this.unstarted > 0) {
      this.unstarted--;
      try {
        worker = await this.createWorker();
      } catch (error) {
        this.lose(error);
        return { ok: false, failure: { kind: 'error', error } };
      }
    }
    if (!worker) throw this.broken ?? new AppError('INTERNAL', 'No idle OCR worker although the queue allowed a task.');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    const settled = task(worker).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, failure: { kind: 'error', error } as AttemptFailure }),
    );
    const outcome = await Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
    if (outcome !== 'timeout' && outcome.ok) {
      this.idle.push(worker);
      return outcome;
    }
    await this.replace(worker);
    return outcome === 'timeout' ? { ok: false, failure: { kind: 'timeout' } } : outcome;
  }

  private async replace(worker: Worker): Promise<void> {
    this.counters.replaced++;
    void worker.terminate().catch(() => {});
    try {
      this.idle.push(await this.createWorker());
    } catch (error) {
      this.lose(error);
    }
  }

  /**
   * A worker could not be started (memory exhausted?): go on with one worker fewer; with none
   * left, every task from now on fails with why.
   */
  private lose(error: unknown): void {
    if (this.queue.concurrency > 1) this.queue.concurrency--;
    else this.broken = error;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate().catch(() => {})));
  }
}
