/**
 * A PDF's cross-reference data, read from the end of the file back: `startxref`, then each
 * section along the /Prev chain of incremental updates, newest first — tables (with a hybrid
 * file's /XRefStm) and cross-reference streams alike — into an XrefIndex, with the trailer's
 * catalog and whether any trailer names encryption. Only these sections are read, never the
 * objects between them.
 */
import { PDFArray, PDFContext, PDFDict, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { FIRST_READ, readGrowing } from './growing-read.js';
import { LazySourceError } from './lazy-source-error.js';
import { SourceObjectParser } from './object-parser.js';
import { NAME, numberIn } from './pdf-names.js';
import type { RandomAccessFile } from './random-access-file.js';
import { decodeStream } from './stream-decoding.js';
import { XrefIndex, XrefKind } from './xref-index.js';

/** A cross-reference section larger than this is not read (some 12 million table entries). */
const MAX_SECTION_BYTES = 256 * 1024 * 1024;

export interface CrossReference {
  xref: XrefIndex;
  root: PDFRef;
  encrypted: boolean;
}

export async function readCrossReference(file: RandomAccessFile, maxObjects: number): Promise<CrossReference> {
  const xref = new XrefIndex(maxObjects, file.size);
  let root: PDFRef | null = null;
  let encrypted = false;
  const visited = new Set<number>();

  const section = async (offset: number): Promise<PDFDict> => {
    if (!Number.isInteger(offset) || offset < 0 || offset >= file.size) throw new LazySourceError(`a cross-reference section said to lie at ${offset}, outside the file`);
    if (visited.has(offset)) throw new LazySourceError('the cross-reference sections loop');
    visited.add(offset);
    xref.addSectionStart(offset);
    const context = PDFContext.create();
    const head = await file.read(offset, 16);
    if (new SourceObjectParser(head, context).startsWithXrefTable()) {
      const { entries, trailer } = await readGrowing(file, offset, MAX_SECTION_BYTES, FIRST_READ, (bytes, whole) => new SourceObjectParser(bytes, context).parseXrefTable(whole));
      for (const entry of entries) {
        if (entry.inUse) xref.add(entry.objectNumber, XrefKind.Offset, entry.offset, entry.generation);
        else xref.add(entry.objectNumber, XrefKind.Free, 0, 0);
      }
      // A hybrid file: the stream lists what the table leaves out (objects in object streams).
      const stream = numberIn(trailer, NAME.XRefStm);
      if (stream !== null) await section(stream);
      return trailer;
    }
    const found = await readGrowing(file, offset, MAX_SECTION_BYTES, FIRST_READ, (bytes, whole) => new SourceObjectParser(bytes, context).parseIndirectObject(whole));
    const stream = found.object;
    if (!(stream instanceof PDFRawStream) || stream.dict.get(NAME.Type) !== NAME.XRef) throw new LazySourceError(`no cross-reference at ${offset}`);
    readXrefStream(stream, xref);
    return stream.dict;
  };

  let next: number | null = await findStartXref(file);
  while (next !== null) {
    const trailer = await section(next);
    const rootRef = trailer.get(NAME.Root);
    if (!root && rootRef instanceof PDFRef) root = rootRef;
    // Encryption is never undone by an update: any trailer that names it counts.
    if (trailer.has(NAME.Encrypt)) encrypted = true;
    next = numberIn(trailer, NAME.Prev);
  }
  if (!root) throw new LazySourceError('no trailer names the catalog');
  return { xref, root, encrypted };
}

/** The offset after the last `startxref`. */
async function findStartXref(file: RandomAccessFile): Promise<number> {
  for (const tail of [1024, 64 * 1024]) {
    const start = Math.max(0, file.size - tail);
    const text = Buffer.from(await file.read(start, file.size - start)).toString('latin1');
    const at = text.lastIndexOf('startxref');
    if (at >= 0) {
      const match = /^startxref\s+(\d+)/.exec(text.slice(at));
      if (!match) throw new LazySourceError('startxref is not followed by an offset');
      return Number(match[1]);
    }
    if (start === 0) break;
  }
  throw new LazySourceError('no startxref');
}

/** A cross-reference stream's rows (/W field widths, /Index subsections) into `xref`. */
function readXrefStream(stream: PDFRawStream, xref: XrefIndex): void {
  const dict = stream.dict;
  const widths = dict.get(NAME.W);
  if (!(widths instanceof PDFArray) || widths.size() < 3) throw new LazySourceError('a cross-reference stream without W');
  const [typeWidth, fieldWidth, extraWidth] = widths.asArray().slice(0, 3).map((w) => (w instanceof PDFNumber ? w.asNumber() : -1)) as [number, number, number];
  if ([typeWidth, fieldWidth, extraWidth].some((w) => !Number.isInteger(w) || w < 0 || w > 8)) throw new LazySourceError('a cross-reference stream with bad W');
  const size = numberIn(dict, NAME.Size);
  const index = dict.get(NAME.Index);
  const subsections: Array<[number, number]> = [];
  if (index instanceof PDFArray) {
    const values = index.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN));
    for (let i = 0; i + 1 < values.length; i += 2) subsections.push([values[i]!, values[i + 1]!]);
  } else if (size !== null) {
    subsections.push([0, size]);
  } else {
    throw new LazySourceError('a cross-reference stream without Size');
  }
  const bytes = decodeStream(stream);
  const rowWidth = typeWidth + fieldWidth + extraWidth;
  let position = 0;
  const field = (width: number): number => {
    let value = 0;
    // Multiplication, not shifts: offsets past 2 GiB stay right.
    for (let i = 0; i < width; i++) value = value * 256 + bytes[position++]!;
    return value;
  };
  for (const [first, count] of subsections) {
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) throw new LazySourceError('a cross-reference stream with bad Index');
    if (position + count * rowWidth > bytes.length) throw new LazySourceError('a cross-reference stream shorter than its Index says');
    for (let i = 0; i < count; i++) {
      const type = typeWidth === 0 ? 1 : field(typeWidth);
      const where = field(fieldWidth);
      const extra = field(extraWidth);
      if (type === 0) xref.add(first + i, XrefKind.Free, 0, 0);
      else if (type === 1) xref.add(first + i, XrefKind.Offset, where, extra);
      else if (type === 2) xref.add(first + i, XrefKind.Compressed, where, extra);
      // Other types are reserved: such an object is null.
    }
  }
}
