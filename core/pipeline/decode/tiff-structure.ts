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
/** Byte size of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ... DOUBLE, IFD; BigTIFF's LONG8, SLONG8, IFD8). */
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
/** A loop in the chain, or a file claiming absurd counts, is damage, not a reason to spin. */
const MAX_DIRECTORIES = 100_000;

/**
 * Where the two layouts differ: classic TIFF (version 42) has 4-byte offsets, a 2-byte entry
 * count and 12-byte entries; BigTIFF (version 43) 8-byte offsets and counts and 20-byte entries,
 * a value of up to 8 bytes held in its entry.
 */
interface Layout {
  /** Bytes of an offset, of an entry's count, and of the value held in an entry. */
  offset: 4 | 8;
  /** Bytes of a directory's entry count. */
  entryCount: 2 | 8;
  entry: 12 | 20;
  /** Where the header holds the first directory's offset. */
  first: 4 | 8;
}
const CLASSIC: Layout = { offset: 4, entryCount: 2, entry: 12, first: 4 };
const BIG: Layout = { offset: 8, entryCount: 8, entry: 20, first: 8 };

/** The extent of a classic TIFF or a BigTIFF; null for a header that is not TIFF (the decoder reports those). */
export async function tiffExtent(file: string): Promise<TiffExtent | null> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const header = await readAt(handle, 0, 16);
    const little = header.toString('latin1', 0, 2) === 'II';
    if (!little && header.toString('latin1', 0, 2) !== 'MM') return null;
    const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
    // Offsets past 2^53 bytes cannot lie inside any file: as numbers they still compare as past its end.
    const u64 = (b: Buffer, at: number) => Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
    if (header.length < 8) return null;
    const version = u16(header, 2);
    const layout = version === 42 ? CLASSIC : version === 43 && header.length >= 16 && u16(header, 4) === 8 ? BIG : null;
    if (!layout) return null;
    const offsetAt = (b: Buffer, at: number) => (layout.offset === 4 ? u32(b, at) : u64(b, at));

    const extent: TiffExtent = { intactPages: 0, directories: 0, declaredPages: null, damage: null, fileBytes: size };
    const seen = new Set<number>();
    let intact = true;
    for (let offset = offsetAt(header, layout.first); offset !== 0; ) {
      if (seen.has(offset) || seen.size >= MAX_DIRECTORIES) return { ...extent, damage: `its page directories loop back at byte ${offset}` };
      seen.add(offset);
      if (offset + layout.entryCount > size) return { ...extent, damage: `page ${extent.directories + 1}'s directory lies at byte ${offset}, past the end of the file (${size} bytes)` };
      const head = await readAt(handle, offset, layout.entryCount);
      const count = layout.entryCount === 2 ? u16(head, 0) : u64(head, 0);
      const tableBytes = count * layout.entry + layout.offset;
      if (offset + layout.entryCount + tableBytes > size) return { ...extent, damage: `page ${extent.directories + 1}'s directory is cut off by the end of the file (${size} bytes)` };
      const entries = await readAt(handle, offset + layout.entryCount, tableBytes);
      extent.directories++;
      const values = async (at: number): Promise<number[]> => {
        const type = u16(entries, at + 2);
        const n = layout.offset === 4 ? u32(entries, at + 4) : u64(entries, at + 4);
        const width = TYPE_SIZE[type] ?? 0;
        if ((type !== 3 && type !== 4 && type !== 16) || n > 10_000_000) return [];
        const bytes = n * width;
        const inline = at + 4 + layout.offset;
        const data = bytes <= layout.offset ? entries.subarray(inline, inline + bytes) : await readAt(handle, offsetAt(entries, inline), bytes);
        if (data.length < bytes) return [Number.NaN];
        return Array.from({ length: n }, (_, i) => (type === 3 ? u16(data, i * 2) : type === 4 ? u32(data, i * 4) : u64(data, i * 8)));
      };
      let offsets: number[] = [];
      let counts: number[] = [];
      for (let i = 0; i < count; i++) {
        const at = i * layout.entry;
        const tag = u16(entries, at);
        if (tag === TAG.StripOffsets || tag === TAG.TileOffsets) offsets = await values(at);
        else if (tag === TAG.StripByteCounts || tag === TAG.TileByteCounts) counts = await values(at);
        else if (tag === TAG.PageNumber && u16(entries, at + 2) === 3) {
          // The second SHORT of the pair: the total.
          const total = u16(entries, at + 4 + layout.offset + 2);
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
      offset = offsetAt(entries, count * layout.entry);
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
