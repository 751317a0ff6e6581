/**
 * BigTIFF (version 43: 8-byte offsets and counts, 20-byte directory entries) written byte by
 * byte, since no library here writes it: greyscale pages of ink bars, each uncompressed in one
 * strip followed by its directory, as libtiff writes a multi-page file page by page.
 */

/** Tag numbers and field types used (TIFF 6.0; BigTIFF's LONG8 = 16). */
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const LONG8 = 16;

interface Entry {
  tag: number;
  type: number;
  values: number[];
}

const ENTRIES = 13;
const directoryBytes = (entries: number) => 8 + entries * 20 + 8;

/** `pages` pages of width × height 8-bit grey at 100 DPI, little-endian (II) unless `bigEndian` (MM); each says "n of pages" (PageNumber). */
export function bigTiff(pages: number, { width = 420, height = 600, bigEndian = false } = {}): Buffer {
  const u16 = (b: Buffer, v: number, at: number) => (bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (b: Buffer, v: number, at: number) => (bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const u64 = (b: Buffer, v: number, at: number) => (bigEndian ? b.writeBigUInt64BE(BigInt(v), at) : b.writeBigUInt64LE(BigInt(v), at));
  const strips = Array.from({ length: pages }, (_, p) => pagePixels(width + p, height));
  const chunks: Buffer[] = [];
  const header = Buffer.alloc(16);
  header.write(bigEndian ? 'MM' : 'II', 0, 'latin1');
  u16(header, 43, 2);
  u16(header, 8, 4); // bytes per offset
  u16(header, 0, 6);
  chunks.push(header);
  let at = 16;
  /** Where each page's directory goes: right after its strip. */
  const directoryAt: number[] = [];
  const stripAt: number[] = [];
  for (const strip of strips) {
    stripAt.push(at);
    directoryAt.push(at + strip.length);
    at += strip.length + directoryBytes(ENTRIES);
  }
  u64(header, directoryAt[0]!, 8);
  for (let p = 0; p < pages; p++) {
    const entries: Entry[] = [
      { tag: 256, type: LONG, values: [width + p] },
      { tag: 257, type: LONG, values: [height] },
      { tag: 258, type: SHORT, values: [8] },
      { tag: 259, type: SHORT, values: [1] },
      { tag: 262, type: SHORT, values: [1] },
      { tag: 273, type: LONG8, values: [stripAt[p]!] },
      { tag: 277, type: SHORT, values: [1] },
      { tag: 278, type: LONG, values: [height] },
      { tag: 279, type: LONG8, values: [strips[p]!.length] },
      { tag: 282, type: RATIONAL, values: [100, 1] },
      { tag: 283, type: RATIONAL, values: [100, 1] },
      { tag: 296, type: SHORT, values: [2] },
      { tag: 297, type: SHORT, values: [p, pages] },
    ];
    const ifd = Buffer.alloc(directoryBytes(entries.length));
    u64(ifd, entries.length, 0);
    entries.forEach((entry, i) => {
      const e = 8 + i * 20;
      u16(ifd, entry.tag, e);
      u16(ifd, entry.type, e + 2);
      u64(ifd, entry.type === RATIONAL ? 1 : entry.values.length, e + 4);
      // Every value here fits the 8 bytes inline (left-justified, as TIFF holds them).
      entry.values.forEach((value, k) => {
        if (entry.type === SHORT) u16(ifd, value, e + 12 + k * 2);
        else if (entry.type === LONG || entry.type === RATIONAL) u32(ifd, value, e + 12 + k * 4);
        else u64(ifd, value, e + 12);
      });
    });
    u64(ifd, directoryAt[p + 1] ?? 0, 8 + entries.length * 20);
    chunks.push(strips[p]!, ifd);
  }
  return Buffer.concat(chunks);
}

/** White paper with eight dark bars where a typed page has its lines. */
function pagePixels(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height, 0xff);
  for (let line = 0; line < 8; line++) for (let y = 80 + line * 50; y < 88 + line * 50 && y < height; y++) pixels.fill(0x20, y * width + 60, y * width + Math.min(width, 360));
  return pixels;
}
