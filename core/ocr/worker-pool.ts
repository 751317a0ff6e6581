/**
 * A fixed pool of tesseract.js workers, started once and reused. A task that takes longer than
 * the timeout has its worker terminated and replaced, so one bad page can never hang a batch.
 */
import PQueue from 'p-queue';
import type Tesseract from 'tesseract.js';
import { AppError } from '../errors.js';

type Worker = Tesseract.Worker;

export class WorkerPool {
  private readonly idle: Worker[];
  private readonly queue: PQueue;
  private closed = false;

  private constructor(
    private readonly createWorker: () => Promise<Worker>,
    private readonly timeoutMs: number,
    workers: Worker[],
  ) {
    this.idle = workers;
    // The queue never runs more tasks than there are workers, so an idle one is always there.
    this.queue = new PQueue({ concurrency: workers.length });
  }

  static async start(size: number, createWorker: () => Promise<Worker>, timeoutMs: number): Promise<WorkerPool> {
    const started = await Promise.allSettled(Array.from({ length: size }, createWorker));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.terminate().catch(() => {})));
      throw failure.reason;
    }
    return new WorkerPool(createWorker, timeoutMs, workers);
  }

  /** Runs `task` on an idle worker; `timeoutError` is thrown (and the worker replaced) on timeout. */
  run<T>(task: (worker: Worker) => Promise<T>, timeoutError: () => AppError): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The OCR engine is closed.'));
    return this.queue.add(() => this.runOnIdle(task, timeoutError));
  }

  private async runOnIdle<T>(task: (worker: Worker) => Promise<T>, timeoutError: () => AppError): Promise<T> {
    const worker = this.idle.pop();
    if (!worker) throw new AppError('INTERNAL', 'No idle OCR worker although the queue allowed a task.');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    const settled = task(worker).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const outcome = await Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
    if (outcome === 'timeout') {
      void worker.terminate().catch(() => {});
      this.idle.push(await this.createWorker());
      throw timeoutError();
    }
    // tesseract.js reports a failed job without harming the worker: keep it either way.
    this.idle.push(worker);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate().catch(() => {})));
  }
}
