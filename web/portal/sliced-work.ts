/**
 * Long work done in slices, so the server's one thread answers requests between them (the portal's
 * public set at a million documents: web/portal/public-set.ts). A slice is a generator: it yields
 * when its time slice is spent; `runNow` runs it to the end at once (first use, tests), `runSliced`
 * lets the event loop turn at each yield.
 */
import { setImmediate as turn } from 'node:timers/promises';

export type Sliced<T> = Generator<void, T, void>;

/** How long one slice may hold the thread. */
export const SLICE_MS = 8;

/** A clock for a generator: `spent()` says when it should yield, and starts the next slice. */
export function sliceClock(): { spent: () => boolean } {
  let started = performance.now();
  return {
    spent: () => {
      if (performance.now() - started < SLICE_MS) return false;
      started = performance.now();
      return true;
    },
  };
}

export function runNow<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

export async function runSliced<T>(work: Sliced<T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await turn();
  }
}

/** Sorts by `before`: short runs sorted alone, then merged pairwise, yielding when a slice is spent. */
export function* sortSliced<T>(items: readonly T[], before: (a: T, b: T) => number): Sliced<T[]> {
  const RUN = 2048;
  const clock = sliceClock();
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += RUN) {
    runs.push(items.slice(i, i + RUN).sort(before));
    if (clock.spent()) yield;
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!;
      const b = runs[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Array<T>(a.length + b.length);
      let i = 0;
      let j = 0;
      for (let k = 0; k < out.length; k++) {
        out[k] = j >= b.length || (i < a.length && before(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!;
        if ((k & 1023) === 0 && clock.spent()) yield;
      }
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? [];
}
