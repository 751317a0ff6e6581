/**
 * A run's time window: `--until 06:00` (the next 06:00, local time) or `--max-minutes 240`. When
 * it closes the run takes no new document, finishes the ones in hand and exits 0; the next run
 * resumes where this one stopped (what is done is skipped as unchanged).
 */
import { AppError } from '../core/errors.js';

export function windowDeadline(options: { until?: string; maxMinutes?: number }, now = new Date()): Date | null {
  const deadlines: Date[] = [];
  if (options.until !== undefined) {
    const match = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(options.until.trim());
    if (!match) throw new AppError('USAGE', `--until takes a time of day as HH:MM or HH:MM:SS (e.g. 06:00), not "${options.until}".`);
    const at = new Date(now);
    at.setHours(Number(match[1]), Number(match[2]), Number(match[3] ?? 0), 0);
    // 06:00 given at 22:00 means tomorrow morning.
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    deadlines.push(at);
  }
  if (options.maxMinutes !== undefined) {
    if (!Number.isFinite(options.maxMinutes) || options.maxMinutes <= 0) throw new AppError('USAGE', `--max-minutes must be a positive number, not "${options.maxMinutes}".`);
    deadlines.push(new Date(now.getTime() + options.maxMinutes * 60_000));
  }
  return deadlines.length === 0 ? null : new Date(Math.min(...deadlines.map((d) => d.getTime())));
}

export function parseMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('USAGE', `--max-minutes must be a positive number, not "${value}".`);
  return n;
}

/** Calls `onClose` when the deadline passes (at once if it has). Returns a cancel function. */
export function startWindow(deadline: Date | null, onClose: () => void): () => void {
  if (!deadline) return () => {};
  const timer = setTimeout(onClose, Math.max(0, deadline.getTime() - Date.now()));
  return () => clearTimeout(timer);
}
