/**
 * Where each object of a PDF lies, as its cross-reference data says: at an offset in the file, or
 * as a member of an object stream. A few bytes per object (typed arrays, not objects), so a file
 * listing millions of objects costs megabytes, not gigabytes.
 */
import { LazySourceError } from './lazy-source-error.js';

export const XrefKind = {
  /** Not listed by any section. */
  None: 0,
  Offset: 1,
  Compressed: 2,
  Free: 3,
} as const;
export type XrefKind = (typeof XrefKind)[keyof typeof XrefKind];

export interface XrefEntry {
  kind: XrefKind;
  /** Offset (Offset) or object stream number (Compressed). */
  where: number;
  /** Generation (Offset) or index in the object stream (Compressed). */
  extra: number;
}

/** Sections are added newest first (the /Prev chain): the first entry seen for an object wins. */
export class XrefIndex {
  private kind = new Uint8Array(1024);
  private where = new Float64Array(1024);
  private extra = new Uint32Array(1024);
  /** Every offset an object or a cross-reference section starts at, in any section: objects end where the next begins. */
  private starts: number[] = [];
  private sortedStarts: Float64Array | null = null;

  constructor(
    private readonly maxObjects: number,
    private readonly fileSize: number,
  ) {}

  add(objectNumber: number, kind: XrefKind, where: number, extra: number): void {
    if (!Number.isInteger(objectNumber) || objectNumber < 0 || objectNumber >= this.maxObjects) throw new LazySourceError(`object number ${objectNumber} out of range`);
    if (kind === XrefKind.Offset) {
      if (!(where >= 0 && where < this.fileSize)) throw new LazySourceError(`object ${objectNumber} said to lie at ${where}, outside the file`);
      this.starts.push(where);
    }
    if (objectNumber >= this.kind.length) this.grow(objectNumber + 1);
    if (this.kind[objectNumber] !== XrefKind.None) return;
    this.kind[objectNumber] = kind;
    this.where[objectNumber] = where;
    this.extra[objectNumber] = extra;
  }

  addSectionStart(offset: number): void {
    this.starts.push(offset);
  }

  get(objectNumber: number): XrefEntry {
    if (objectNumber >= this.kind.length) return { kind: XrefKind.None, where: 0, extra: 0 };
    return { kind: this.kind[objectNumber]! as XrefKind, where: this.where[objectNumber]!, extra: this.extra[objectNumber]! };
  }

  /** Where the object starting at `offset` ends at the latest: the next start, or the file's end. */
  endOf(offset: number): number {
    if (!this.sortedStarts) {
      this.sortedStarts = Float64Array.from(this.starts).sort();
      this.starts = [];
    }
    const starts = this.sortedStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return low < starts.length ? starts[low]! : this.fileSize;
  }

  private grow(needed: number): void {
    let length = this.kind.length;
    while (length < needed) length *= 2;
    length = Math.min(length, this.maxObjects);
    const kind = new Uint8Array(length);
    kind.set(this.kind);
    const where = new Float64Array(length);
    where.set(this.where);
    const extra = new Uint32Array(length);
    extra.set(this.extra);
    this.kind = kind;
    this.where = where;
    this.extra = extra;
  }
}
