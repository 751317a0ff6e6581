/** Wall time spent in each stage of one document, summed over its pages. */
import type { Stage, StageTimings } from '../model.js';

export class StageClock {
  readonly timings: StageTimings = {};

  add(stage: Stage, ms: number): void {
    this.timings[stage] = (this.timings[stage] ?? 0) + ms;
  }

  async time<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - started);
    }
  }

  timeSync<T>(stage: Stage, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - started);
    }
  }
}
