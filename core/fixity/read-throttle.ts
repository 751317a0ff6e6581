/**
 * Caps how fast a fixity check reads, so a daytime run leaves the disks to the clerks: a token
 * bucket in bytes. A chunk is read first and paid for after (the bucket may go into debt), so
 * the rate holds from the first chunk on and a pause never buys more than one second of burst.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The clock a throttle reads and waits on: the real one, or a test's, to check the pacing without waiting. */
export interface ThrottleClock {
  /** Milliseconds, from any fixed start. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const REAL_CLOCK: ThrottleClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

export class ReadThrottle {
  private tokens = 0;
  private last: number;

  constructor(
    readonly bytesPerSecond: number,
    private readonly clock: ThrottleClock = REAL_CLOCK,
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError(`a read rate must be positive, not ${bytesPerSecond}`);
    this.last = clock.now();
  }

  /** A chunk size that keeps waits short (a quarter of a second's reading), within 16 KiB–1 MiB. */
  get chunkBytes(): number {
    return Math.min(1 << 20, Math.max(16 << 10, Math.floor(this.bytesPerSecond / 4)));
  }

  /** Pays for `bytes` just read: waits as long as reading them at the rate would have taken. */
  async pay(bytes: number, signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
    this.tokens -= bytes;
    if (this.tokens < 0) await this.clock.sleep((-this.tokens / this.bytesPerSecond) * 1000, signal);
  }
}
