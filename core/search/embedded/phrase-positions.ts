/**
 * Where a phrase's words stand on a page: each word's positions read page by page alongside its
 * pages list (stepping over the pages the phrase does not need in one move each, by their byte
 * length), and the count of places where the words follow one another.
 */

/** A word's positions, page after page, read alongside its pages list. */
export interface PositionStream {
  pages: Int32Array;
  bytes: Uint8Array;
  /** Next byte to read, and the index in `pages` of the page it belongs to. */
  at: number;
  index: number;
}

export function positionStream(pages: Int32Array, bytes: Uint8Array | undefined): PositionStream {
  if (bytes === undefined) throw new Error('a word has pages but no positions: the index is damaged');
  return { pages, bytes, at: 0, index: 0 };
}

/** Moves the stream to `page`: the byte length of its positions there (0 when the word is not on it). */
export function seek(stream: PositionStream, page: number): number {
  const { pages, bytes } = stream;
  let at = stream.at;
  let index = stream.index;
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
  stream.at = at;
  stream.index = index;
  if (index >= pages.length || pages[index] !== page) return 0;
  let byte = bytes[at++] as number;
  let length = byte & 0x7f;
  for (let shift = 7; byte & 0x80; shift += 7) {
    byte = bytes[at++] as number;
    length |= (byte & 0x7f) << shift;
  }
  return length;
}

/** Reads the positions of the page the stream was moved to (`length` bytes) into `into` from `offset`; returns the new length. */
export function readPositions(stream: PositionStream, length: number, into: Int32Array, offset: number): number {
  const bytes = stream.bytes;
  let at = stream.at;
  while ((bytes[at++] as number) & 0x80); // the length, already known
  const end = at + length;
  let position = 0;
  let n = offset;
  while (at < end) {
    let byte = bytes[at++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++] as number;
      value |= (byte & 0x7f) << shift;
    }
    position += value;
    into[n++] = position;
  }
  stream.at = at;
  stream.index += 1;
  return n;
}

/** How many times the words stand in order at consecutive positions, given each word's sorted positions. */
export function adjacent(positions: readonly Int32Array[], counts: Int32Array, at: Int32Array): number {
  if (positions.length === 2) return adjacentPair(positions[0] as Int32Array, counts[0] as number, positions[1] as Int32Array, counts[1] as number);
  const words = positions.length;
  at.fill(0);
  let found = 0;
  const first = positions[0] as Int32Array;
  const starts = counts[0] as number;
  for (let i = 0; i < starts; i += 1) {
    const start = first[i] as number;
    let all = true;
    for (let w = 1; w < words && all; w += 1) {
      const list = positions[w] as Int32Array;
      const n = counts[w] as number;
      let j = at[w] as number;
      while (j < n && (list[j] as number) < start + w) j += 1;
      at[w] = j;
      if (j >= n) return found;
      all = list[j] === start + w;
    }
    if (all) found += 1;
  }
  return found;
}

/** Two words: the common case, without the bookkeeping. */
function adjacentPair(a: Int32Array, na: number, b: Int32Array, nb: number): number {
  let found = 0;
  let j = 0;
  for (let i = 0; i < na; i += 1) {
    const target = (a[i] as number) + 1;
    while (j < nb && (b[j] as number) < target) j += 1;
    if (j >= nb) break;
    if (b[j] === target) found += 1;
  }
  return found;
}
