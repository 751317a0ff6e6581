/**
 * The copies of library PDFs that users without the personal-data permission get: every personal
 * number burned out of the page images and gone from the text (core/redaction/), made once per
 * PDF and kept in memory, least recently used first out, within a bound in bytes. A PDF rewritten
 * (re-ingest, corrections) has another key (its size and modification time), and so has a PDF
 * corrected since (the newest correction), so a stale copy is never served.
 *
 * Made on a redaction thread (core/redaction/redaction-threads.ts), not the HTTP thread: a page
 * with a number takes about half a second to draw anew, and other requests are answered meanwhile.
 */
import { stat } from 'node:fs/promises';

export class MaskedCopies {
  private readonly copies = new Map<string, Uint8Array>();
  private readonly making = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;

  constructor(private readonly maxBytes = 128 * 1024 * 1024) {}

  /**
   * The copy of `file` (document `id`), made by `make` unless one of the file as it is now is kept;
   * `variant`: anything else the copy is made from (the document's newest correction, which a copy
   * of a PDF still waiting for it says; the public portal's marks).
   */
  async get(id: number, file: string, make: () => Promise<Uint8Array>, variant: number | string = ''): Promise<Uint8Array> {
    const { size, mtimeMs } = await stat(file);
    const key = `${id}:${size}:${mtimeMs}:${variant}`;
    const kept = this.copies.get(key);
    if (kept) {
      this.copies.delete(key);
      this.copies.set(key, kept);
      return kept;
    }
    const pending = this.making.get(key);
    if (pending) return pending;
    const made = make().then(
      (copy) => {
        this.making.delete(key);
        this.keep(id, key, copy);
        return copy;
      },
      (error: unknown) => {
        this.making.delete(key);
        throw error;
      },
    );
    this.making.set(key, made);
    return made;
  }

  private keep(id: number, key: string, copy: Uint8Array): void {
    // An older copy of the same document is stale.
    for (const [other, bytes] of this.copies) {
      if (other.startsWith(`${id}:`)) {
        this.copies.delete(other);
        this.bytes -= bytes.byteLength;
      }
    }
    if (copy.byteLength > this.maxBytes) return;
    this.copies.set(key, copy);
    this.bytes += copy.byteLength;
    for (const [oldest, bytes] of this.copies) {
      if (this.bytes <= this.maxBytes) break;
      this.copies.delete(oldest);
      this.bytes -= bytes.byteLength;
    }
  }
}
