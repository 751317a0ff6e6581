/**
 * Files are taken only once they are completely written. Scanners and network copies write slowly
 * and in bursts, so a file is stable when its size and modification time have not changed for
 * `stableMs` and no process holds it open for writing. Candidates are only paths and sizes: a
 * burst of thousands of files costs little memory, and files are handed out as the queue frees up.
 */
import { stat } from 'node:fs/promises';
import { openForWriting } from './open-for-writing.js';

interface Candidate {
  size: number;
  mtimeMs: number;
  /** Since when size and time have been what they are. */
  since: number;
}

export class FileStability {
  private readonly candidates = new Map<string, Candidate | null>();

  constructor(private readonly stableMs: number) {}

  get size(): number {
    return this.candidates.size;
  }

  has(file: string): boolean {
    return this.candidates.has(file);
  }

  /** A file appeared or changed: its clock starts again. */
  note(file: string): void {
    this.candidates.set(file, null);
  }

  forget(file: string): void {
    this.candidates.delete(file);
  }

  /** Up to `limit` files that are stable now, taken out of the watch; files that vanished are dropped. */
  async takeStable(limit: number, now = Date.now()): Promise<string[]> {
    if (limit <= 0) return [];
    const settled: string[] = [];
    for (const [file, seen] of this.candidates) {
      let size: number;
      let mtimeMs: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) {
          this.candidates.delete(file);
          continue;
        }
        ({ size, mtimeMs } = info);
      } catch {
        this.candidates.delete(file);
        continue;
      }
      if (!seen || seen.size !== size || seen.mtimeMs !== mtimeMs) {
        this.candidates.set(file, { size, mtimeMs, since: now });
        if (this.stableMs > 0) continue;
      } else if (now - seen.since < this.stableMs) {
        continue;
      }
      settled.push(file);
      if (settled.length >= limit * 4) break; // enough to fill the queue even if some are being written
    }
    const writing = await openForWriting(new Set(settled));
    const taken: string[] = [];
    for (const file of settled) {
      if (writing.has(file)) {
        const seen = this.candidates.get(file);
        if (seen) seen.since = now;
        continue;
      }
      if (taken.length >= limit) break;
      this.candidates.delete(file);
      taken.push(file);
    }
    return taken;
  }
}
