/**
 * The read rate cap of a fixity check (`acervo verify --rate`), on a clock the test moves: the
 * pacing is checked exactly, with no wait and nothing that a loaded machine could make late.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../core/fixity/hash-file.js';
import { ReadThrottle, type ThrottleClock } from '../../core/fixity/read-throttle.js';

/** Time passes only when the throttle sleeps, or when the test says so. */
class ScriptedClock implements ThrottleClock {
  ms = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.ms += ms;
  }
}

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-throttle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('read throttle', () => {
  it('takes as long as reading at the rate would, from the first chunk on', async () => {
    const clock = new ScriptedClock();
    const throttle = new ReadThrottle(1000, clock);
    for (let i = 0; i < 10; i++) await throttle.pay(500);
    expect(clock.ms).toBeCloseTo(5000, 6);
    // Each chunk waits for itself: no burst is allowed at the start.
    expect(clock.sleeps[0]).toBeCloseTo(500, 6);
  });

  it('lets a pause buy one second of reading at most', async () => {
    const clock = new ScriptedClock();
    const throttle = new ReadThrottle(1000, clock);
    clock.ms += 60_000; // idle for a minute
    await throttle.pay(1000);
    expect(clock.sleeps).toEqual([]); // the one second's worth saved
    await throttle.pay(1000);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeCloseTo(1000, 6); // and no more
  });

  it('paces hashing a file: its bytes at the rate, in chunks of a quarter of a second', async () => {
    const file = path.join(work, 'page.pdf');
    writeFileSync(file, Buffer.alloc(300_000, 7));
    const clock = new ScriptedClock();
    const throttle = new ReadThrottle(100_000, clock);
    expect(throttle.chunkBytes).toBe(25_000);
    const { bytes } = await hashFile(file, { throttle });
    expect(bytes).toBe(300_000);
    expect(clock.ms).toBeCloseTo(3000, 6);
    expect(clock.sleeps).toHaveLength(12);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new ReadThrottle(0)).toThrow(RangeError);
    expect(() => new ReadThrottle(Number.NaN)).toThrow(RangeError);
  });
});
