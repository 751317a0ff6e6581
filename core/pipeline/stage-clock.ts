/**
 * Time spent in each stage of one document, summed over its pages: wall time, and the process's
 * CPU time (every thread: libvips's, the OCR workers'). CPU time is only the stage's own when
 * nothing else runs at once, as in the benchmark's serial pass; with pages in parallel it counts
 * the neighbours' work too.
 */
import type { Stage, StageTimings } from '../model.js';

export class StageClock {
  readonly timings: StageTimings = {};
  readonly cpuTimings: StageTimings = {};

  add(stage: Stage, ms: number, cpuMs?: number): void {
    this.timings[stage] = (this.timings[stage] ?? 0) + ms;
    if (cpuMs !== undefined) this.cpuTimings[stage] = (this.cpuTimings[stage] ?? 0) + cpuMs;
  }

  async time<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - started, cpuMs(cpu));
    }
  }

  timeSync<T>(stage: Stage, work: () => T): T {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - started, cpuMs(cpu));
    }
  }
}

export function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
