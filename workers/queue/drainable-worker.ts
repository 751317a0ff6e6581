/**
 * A BullMQ Worker that drains whether or not Redis can be reached: it takes no new job, lets the
 * jobs in hand be converted and handed back, and closes. With nothing in hand and Redis away it
 * closes at once instead of waiting for Redis to come back.
 *
 * Why BullMQ's own close() is not enough (bullmq 5.77, ioredis 5.10, read in node_modules):
 * - The worker's connections keep retrying through an outage (maxRetriesPerRequest null, which
 *   BullMQ forces on the blocking connection, and ioredis' offline queue), as BullMQ's "Going to
 *   production" guide advises for workers: a running worker pauses and resumes. The price is that
 *   a command sent while Redis is away waits for it.
 * - A graceful close() cuts the blocking read with `disconnect()` and awaits the client's 'end'
 *   event; a client that is between two reconnection attempts never emits one (ioredis #1247,
 *   #1830; bullmq #4656, still open), so close() waits for ever once Redis is gone.
 * - close(true) never waits on Redis (RedisConnection.close(force) disconnects without QUIT), but
 *   it skips waiting for the jobs in hand, and a result not yet stored would be lost.
 * Hence: a graceful close while Redis answers (it cuts the blocking read at once and hands the jobs
 * in hand back), close(true) once Redis is away and nothing is in hand, and meanwhile a wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';

const RECHECK_MS = 250;

export class DrainableWorker<DataType, ResultType, NameType extends string> extends Worker<DataType, ResultType, NameType> {
  #inHand = 0;

  /** Jobs taken and not yet handed back: being converted, or their outcome not yet stored in Redis. */
  get inHand(): number {
    return this.#inHand;
  }

  // BullMQ's main loop runs each job it takes through processJob, from the processor to the
  // outcome stored (moveToCompleted / moveToFailed): exactly the span a job is in hand.
  override async processJob(...args: Parameters<Worker<DataType, ResultType, NameType>['processJob']>): ReturnType<Worker<DataType, ResultType, NameType>['processJob']> {
    this.#inHand++;
    try {
      return await super.processJob(...args);
    } finally {
      this.#inHand--;
    }
  }

  /** Resolves once the worker is closed (see above); a worker that never ran is closed at once. */
  async drain(): Promise<void> {
    // Never ran (Redis away since the start): nothing can be in hand.
    if (!this.isRunning()) return this.close(true);
    // doNotWaitActive: the jobs in hand go on; no new job is taken (nor the next one that storing
    // an outcome may fetch with it).
    await this.pause(true);
    // Both resolved: run() awaited them before it started.
    const [client, blocking] = await Promise.all([this.client, this.waitUntilReady()]);
    for (;;) {
      if (client.status === 'ready' && blocking.status === 'ready') return this.close();
      // Every job is taken and handed back on `client`: with it away and none in hand, no job can
      // be taken or lost by closing now.
      if (client.status !== 'ready' && this.#inHand === 0) return this.close(true);
      await sleep(RECHECK_MS);
    }
  }
}
