/** A child process timed from spawn to exit, with its resident memory sampled while it runs (Linux). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessMeasure {
  seconds: number;
  /** Highest resident set seen (sampled every 100 ms, and the kernel's high-water mark). */
  peakRssMB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resident memory of a process now and its high-water mark, in MB (0 when it cannot be read). */
export function residentMB(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Sample a running child's memory until it exits. */
export function watchMemory(child: ChildProcess): () => number {
  let peak = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    const { rss, peak: hwm } = residentMB(child.pid);
    peak = Math.max(peak, rss, hwm);
  };
  const timer = setInterval(sample, 100);
  child.once('exit', () => clearInterval(timer));
  return () => {
    sample();
    return peak;
  };
}

export function runMeasured(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessMeasure> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const peak = watchMemory(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ seconds: (performance.now() - started) / 1000, peakRssMB: peak(), code, stdout, stderr }));
  });
}
