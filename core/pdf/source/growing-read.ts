/**
 * Parsing what starts at an offset of a file from as few bytes as it needs: objects and
 * cross-reference sections whose end is not known (or is far) are read a little at a time.
 */
import { LazySourceError } from './lazy-source-error.js';
import { NeedMoreBytes } from './object-parser.js';
import type { RandomAccessFile } from './random-access-file.js';

/** Objects whose end is not known are read this much at a time, growing fourfold. */
export const FIRST_READ = 64 * 1024;

/**
 * Parses what starts at `offset` (and ends within `extent` bytes), reading `firstRead` bytes
 * first: more are read only when the parse ran out of them (NeedMoreBytes); any other failure is
 * final. `whole` tells the parse there are no more bytes to be had.
 */
export async function readGrowing<T>(file: RandomAccessFile, offset: number, extent: number, firstRead: number, parse: (bytes: Uint8Array, whole: boolean) => T): Promise<T> {
  const limit = Math.min(extent, file.size - offset);
  let length = Math.min(firstRead, limit);
  for (;;) {
    const bytes = await file.read(offset, length);
    const whole = length >= limit;
    try {
      return parse(bytes, whole);
    } catch (error) {
      if (!(error instanceof NeedMoreBytes)) throw error;
      if (whole) throw new LazySourceError(`what starts at ${offset} does not end within ${limit} bytes`);
    }
    length = Math.min(limit, length * 4);
  }
}
