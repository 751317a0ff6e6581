/**
 * How much of a TIFF is really there. libtiff (under sharp) stops at the first directory it
 * cannot reach and reports the pages before it as the whole file, so a batch copied while the
 * scanner was still writing reads as a shorter batch without a word. This walks the directory
 * chain and each page's strips or tiles against the file's size, reading only the directories
 * (a few KB) through a file handle: a batch of hundreds of pages is never read whole for it.
 * (utif2, already a dependency, parses only from a buffer of the whole file.)
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface TiffExtent {
  /** Leading pages whose directory and image data lie wholly inside the file. */
  intactPages: number;
  /** Directories found (the last may point at data past the end). */
  directories: number;
  /** Pages the file says it has (TIFF tag PageNumber), when it says. */
  declaredPages: number | null;
  /** Why the file is not whole; null when it is. */
  damage: string | null;
  fileBytes: number;
}

const TAG = { PageNumber: 297, StripOffsets: 273, StripByteCounts: 279, TileOffsets: 324, TileByteCounts: 325 } as const;
/** Byte size of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ... DOUBLE, IFD). */
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** A loop in the chain, or a file claiming absurd counts, is damage, not a reason to spin. */
const MAX_DIRECTORIES = 100_000;

/** The extent of a classic TIFF; null for BigTIFF or a header that is not TIFF (the decoder reports those). */
export async function tiffExtent(file: string): Promise<TiffExtent | null> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const header = await readAt(handle, 0, 8);
    const little = header.toString('latin1', 0, 2) === 'II';
    if (!little && header.toString('latin1', 0, 2) !== 'MM') return null;
    const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
    if (header.length < 8 || u16(header, 2) !== 42) return null;

    const extent: TiffExtent = { intactPages: 0, directories: 0, declaredPages: null, damage: null, fileBytes: size };
    const seen = new Set<number>();
    let intact = true;
    for (let offset = u32(header, 4); offset !== 0; ) {
      if (seen.has(offset) || seen.size >= MAX_DIRECTORIES) return { ...extent, damage: `its page directories loop back at byte ${offset}` };
      seen.add(offset);
      if (offset + 2 > size) return { ...extent, damage: `page ${extent.directories + 1}'s directory lies at byte ${offset}, past the end of the file (${size} bytes)` };
      const count = u16(await readAt(handle, offset, 2), 0);
      const entries = await readAt(handle, offset + 2, count * 12 + 4);
      if (entries.length < count * 12 + 4) return { ...extent, damage: `page ${extent.directories + 1}'s directory is cut off by the end of the file (${size} bytes)` };
      extent.directories++;
      const values = async (at: number): Promise<number[]> => {
        const type = u16(entries, at + 2);
        const n = u32(entries, at + 4);
        const width = TYPE_SIZE[type] ?? 0;
        if ((type !== 3 && type !== 4 && type !== 16) || n > 10_000_000) return [];
        const bytes = n * width;
        const data = bytes <= 4 ? entries.subarray(at + 8, at + 8 + bytes) : await readAt(handle, u32(entries, at + 8), bytes);
        if (data.length < bytes) return [Number.NaN];
        return Array.from({ length: n }, (_, i) => (type === 3 ? u16(data, i * 2) : u32(data, i * 4)));
      };
      let offsets: number[] = [];
      let counts: number[] = [];
      for (let i = 0; i < count; i++) {
        const tag = u16(entries, i * 12);
        if (tag === TAG.StripOffsets || tag === TAG.TileOffsets) offsets = await values(i * 12);
        else if (tag === TAG.StripByteCounts || tag === TAG.TileByteCounts) counts = await values(i * 12);
        else if (tag === TAG.PageNumber && u16(entries, i * 12 + 2) === 3) {
          const total = u16(entries, i * 12 + 10);
          if (total > 0) extent.declaredPages = Math.max(extent.declaredPages ?? 0, total);
        }
      }
      const end = Math.max(0, ...offsets.map((o, i) => o + (counts[i] ?? Number.NaN)));
      if (Number.isNaN(end) || offsets.length === 0 || end > size) {
        intact = false;
        extent.damage ??= `page ${extent.directories}'s image data runs to byte ${Number.isNaN(end) ? '?' : end}, past the end of the file (${size} bytes)`;
      } else if (intact) {
        extent.intactPages++;
      }
      offset = u32(entries, count * 12);
    }
    if (!extent.damage && extent.declaredPages !== null && extent.declaredPages > extent.directories) {
      extent.damage = `it says it has ${extent.declaredPages} pages and holds ${extent.directories}`;
    }
    return extent;
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
