/**
 * The byte formats of the embedded index's posting lists, one pair of blobs per word and segment:
 *
 *     pages      varint count · per page one varint: the distance from the page before (the first:
 *                the page itself) times two, plus one when a weight byte follows (weight ≠ 1)
 *     positions  a skip table — for every 64th page, where its positions start, a Uint32 (none for
 *                64 pages or fewer) — then for each page in the same order: varint byte length of
 *                what follows · the word's positions on the page (varints: the first, then the
 *                distance to the next). The length first, so a search steps over a page it does
 *                not need in one move; the skip table, so a phrase with a few candidate pages reads
 *                only the stretches of a common word's positions around them
 *
 * Pages are a segment's local page numbers. The weight is how strongly the page holds the word
 * (its occurrences, title and identifier occurrences counted double), capped at 255; most words
 * are on a page once, so most pages cost one byte. Pages and positions are apart so that a search
 * without phrases never reads a position.
 */

/** Pages between two entries of a positions skip table. */
export const SKIP_EVERY = 64;

/** Bytes of the skip table that opens a word's positions, by how many pages hold the word. */
export function skipBytes(pages: number): number {
  return pages > SKIP_EVERY ? 4 * Math.ceil(pages / SKIP_EVERY) : 0;
}

/** The skip table of a positions region (its first skipBytes(pages) bytes). */
export function readSkips(region: Uint8Array, pages: number): Uint32Array {
  const bytes = skipBytes(pages);
  const table = new Uint32Array(bytes / 4);
  const view = new DataView(region.buffer, region.byteOffset, bytes);
  for (let i = 0; i < table.length; i += 1) table[i] = view.getUint32(4 * i, true);
  return table;
}

/** A growable byte buffer for varints. */
export class ByteWriter {
  private bytes: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.bytes = new Uint8Array(capacity);
  }

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  varint(value: number): void {
    this.room(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  byte(value: number): void {
    this.room(1);
    this.bytes[this.length++] = value;
  }

  append(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** What was written so far (a view: valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** A copy of what was written, as a Buffer (what SQLite takes for a BLOB). */
  toBuffer(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
  }
}

/** Reads varints from a byte array. */
export class ByteReader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  varint(): number {
    const bytes = this.bytes;
    let byte = bytes[this.at++] as number;
    let value = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      byte = bytes[this.at++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    }
    return value >>> 0;
  }

  done(): boolean {
    return this.at >= this.bytes.length;
  }
}

export interface PageList {
  /** Local page numbers, ascending. */
  pages: Int32Array;
  weights: Uint8Array;
}

export function encodePages(pages: ArrayLike<number>, weights: ArrayLike<number>): Buffer {
  const out = new ByteWriter(pages.length * 2 + 8);
  out.varint(pages.length);
  let previous = 0;
  for (let i = 0; i < pages.length; i += 1) {
    const page = pages[i] as number;
    const weight = Math.min(255, weights[i] as number);
    out.varint((page - previous) * 2 + (weight === 1 ? 0 : 1));
    if (weight !== 1) out.byte(weight);
    previous = page;
  }
  return out.toBuffer();
}

export function decodePages(blob: Uint8Array): PageList {
  const reader = new ByteReader(blob);
  const count = reader.varint();
  const pages = new Int32Array(count);
  const weights = new Uint8Array(count);
  const bytes = blob;
  let at = reader.at;
  let page = 0;
  for (let i = 0; i < count; i += 1) {
    // Inlined varint: this loop runs over hundreds of thousands of pages for a common word.
    let byte = bytes[at++] as number;
    let value = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      byte = bytes[at++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    }
    // Segments stay far below 2^30 pages, so the doubled distance fits a 31-bit integer.
    page += value >>> 1;
    pages[i] = page;
    weights[i] = value & 1 ? (bytes[at++] as number) : 1;
  }
  return { pages, weights };
}

/** How many pages a list holds, without decoding it. */
export function pageCount(blob: Uint8Array): number {
  return new ByteReader(blob).varint();
}

/** Positions of one page after another, in the order of its pages blob. */
export class PositionsCursor {
  private readonly reader: ByteReader;

  constructor(blob: Uint8Array) {
    this.reader = new ByteReader(blob);
  }

  /** Moves past the next page's positions. */
  skip(): void {
    const length = this.reader.varint();
    this.reader.at += length;
  }

  /** The next page's positions. */
  read(): number[] {
    const end = this.reader.varint() + this.reader.at;
    const out: number[] = [];
    let position = 0;
    while (this.reader.at < end) {
      position += this.reader.varint();
      out.push(position);
    }
    return out;
  }

  /** The next page's positions as they are stored (to copy a page's positions into a merged list unchanged). */
  rawNext(): Uint8Array {
    const start = this.reader.at;
    this.skip();
    return this.reader.bytes.subarray(start, this.reader.at);
  }
}

/** Appends one page's positions (ascending) to a positions blob being written. */
export function writePositions(out: ByteWriter, positions: ArrayLike<number>): void {
  const body = new ByteWriter(positions.length * 2 + 4);
  let previous = 0;
  for (let i = 0; i < positions.length; i += 1) {
    const position = positions[i] as number;
    body.varint(position - previous);
    previous = position;
  }
  out.varint(body.length);
  out.append(body.view());
}

/** SQLite's BINARY order for TEXT (UTF-8 bytes, i.e. code points), which JS's `<` (UTF-16 units) does not always follow. */
export function compareTerms(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP character in code point order.
    const sx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
    const sy = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    return sx - sy;
  }
  return a.length - b.length;
}
