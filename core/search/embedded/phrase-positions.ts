/**
 * Where a phrase's words stand on a page: each word's positions read page by page alongside its
 * pages list, and the places where the words follow one another.
 *
 * A word's positions are read whole when the phrase may be on many of its pages, stepping over the
 * pages it does not need in one move each (their byte length comes first). When the phrase's
 * candidate pages are few against the word's (a rare word beside "de"), only the stretches of 64
 * pages around them are read from the file, found through the positions' skip table.
 */
import { readAt } from './segment-files.js';
import { readSkips, SKIP_EVERY, skipBytes } from './postings.js';

/** Where a word's positions lie in a segment's file. */
export interface PositionsSource {
  fd: number;
  /** Where the region (skip table, then positions) starts, and its bytes. */
  at: number;
  bytes: number;
  /** The region read whole (kept by the caller's cache). */
  whole(): Buffer;
}

/** A word's positions, page after page, read alongside its pages list. */
export interface PositionStream {
  /** Moves to `page`: the byte length of the word's positions there (0 when it is not on it). */
  seek(page: number): number;
  /** Reads the positions of the page moved to (`length` bytes) into `into` from `offset`; returns the new length. */
  read(length: number, into: Int32Array, offset: number): number;
}

/** The stream that suits how many of the word's pages the phrase may be on. */
export function positionStream(pages: Int32Array, source: PositionsSource | undefined, candidates: number): PositionStream {
  if (source === undefined) throw new Error('a word has pages but no positions: the index is damaged');
  const skip = skipBytes(pages.length);
  if (skip > 0 && candidates * 16 < pages.length) return new StretchStream(pages, source, skip);
  return new WholeStream(pages, source.whole(), skip);
}

function varintAt(bytes: Uint8Array, at: number): [value: number, next: number] {
  let byte = bytes[at++] as number;
  let value = byte & 0x7f;
  for (let shift = 7; byte & 0x80; shift += 7) {
    byte = bytes[at++] as number;
    value |= (byte & 0x7f) << shift;
  }
  return [value, at];
}

/** Positions from `at` in `bytes`, `length` bytes of them, into `into` from `offset`. */
function decode(bytes: Uint8Array, at: number, length: number, into: Int32Array, offset: number): { next: number; count: number } {
  const end = at + length;
  let position = 0;
  let n = offset;
  let i = at;
  while (i < end) {
    let byte = bytes[i++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[i++] as number;
      value |= (byte & 0x7f) << shift;
    }
    position += value;
    into[n++] = position;
  }
  return { next: i, count: n };
}

/** The word's positions read whole, walked in step with the candidates. */
class WholeStream implements PositionStream {
  private at: number;
  private index = 0;

  constructor(
    private readonly pages: Int32Array,
    private readonly bytes: Uint8Array,
    skip: number,
  ) {
    this.at = skip;
  }

  seek(page: number): number {
    const { pages, bytes } = this;
    let at = this.at;
    let index = this.index;
    while (index < pages.length && (pages[index] as number) < page) {
      // Step over this page's positions: their byte length, then that many bytes.
      let byte = bytes[at++] as number;
      let length = byte & 0x7f;
      for (let shift = 7; byte & 0x80; shift += 7) {
        byte = bytes[at++] as number;
        length |= (byte & 0x7f) << shift;
      }
      at += length;
      index += 1;
    }
    this.at = at;
    this.index = index;
    if (index >= pages.length || pages[index] !== page) return 0;
    return varintAt(bytes, at)[0];
  }

  read(length: number, into: Int32Array, offset: number): number {
    const start = varintAt(this.bytes, this.at)[1];
    const { next, count } = decode(this.bytes, start, length, into, offset);
    this.at = next;
    this.index += 1;
    return count;
  }
}

/** The word's positions read a stretch of 64 pages at a time, around the candidates only. */
class StretchStream implements PositionStream {
  private skips: Uint32Array | null = null;
  private stretch = -1;
  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  /** Index in `pages` of the page `at` is on. */
  private index = 0;
  /** Index in `pages` of the page sought (the search moves forward only). */
  private from = 0;

  constructor(
    private readonly pages: Int32Array,
    private readonly source: PositionsSource,
    private readonly skip: number,
  ) {}

  seek(page: number): number {
    const { pages } = this;
    // Where the page is in the word's pages, if it is there (binary search from the last one sought).
    let low = this.from;
    let high = pages.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((pages[middle] as number) < page) low = middle + 1;
      else high = middle;
    }
    this.from = low;
    if (low >= pages.length || pages[low] !== page) return 0;
    const stretch = Math.floor(low / SKIP_EVERY);
    if (stretch !== this.stretch || this.index > low) this.load(stretch);
    let at = this.at;
    for (let index = this.index; index < low; index += 1) {
      const [length, next] = varintAt(this.bytes, at);
      at = next + length;
    }
    this.at = at;
    this.index = low;
    return varintAt(this.bytes, at)[0];
  }

  read(length: number, into: Int32Array, offset: number): number {
    const start = varintAt(this.bytes, this.at)[1];
    const { next, count } = decode(this.bytes, start, length, into, offset);
    this.at = next;
    this.index += 1;
    return count;
  }

  private load(stretch: number): void {
    const { source } = this;
    this.skips ??= readSkips(readAt(source.fd, source.at, this.skip), this.pages.length);
    const start = this.skips[stretch] as number;
    const end = stretch + 1 < this.skips.length ? (this.skips[stretch + 1] as number) : source.bytes - this.skip;
    this.bytes = readAt(source.fd, source.at + this.skip + start, end - start);
    this.stretch = stretch;
    this.at = 0;
    this.index = stretch * SKIP_EVERY;
  }
}

/**
 * Keeps the phrase starts at which the word (its positions sorted, `offset` its place in the
 * phrase) stands where it must: `start + offset`. In place; returns how many are left.
 */
export function narrow(starts: Int32Array, count: number, positions: Int32Array, n: number, offset: number): number {
  let kept = 0;
  let j = 0;
  for (let i = 0; i < count && j < n; i += 1) {
    const wanted = (starts[i] as number) + offset;
    while (j < n && (positions[j] as number) < wanted) j += 1;
    if (j < n && positions[j] === wanted) starts[kept++] = starts[i] as number;
  }
  return kept;
}
