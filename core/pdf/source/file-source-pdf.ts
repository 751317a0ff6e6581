/**
 * A source PDF read from disk one page at a time, for files too large to load whole.
 *
 * Opening reads only the cross-reference data (tables or streams, hybrid files, /Prev chains of
 * incremental updates) and the page tree, keeping per object a few bytes of where it lies. Each
 * page is then read on its own: its dictionary and everything it refers to (contents, resources,
 * images, its Parent chain for what it inherits; not the other pages below a Pages node) are read
 * from disk, from their offsets or from their object streams, and parsed with pdf-lib's own
 * parser into a small context of their own, from which the page is copied untouched. Memory is
 * what one page holds, however long the document.
 *
 * Anything this reading cannot make sense of — no or damaged cross-reference data, an object not
 * where the cross-reference says, a page referring to an object the cross-reference does not
 * list — is an error, never a guess: the caller then falls back to the page's pixels (the copy
 * would otherwise risk a page that shows less than pdf.js read from it).
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFObject,
} from 'pdf-lib';
import { AppError } from '../../errors.js';
import { NeedMoreBytes, SourceObjectParser, type IndirectObject } from './object-parser.js';
import type { RandomAccessFile } from './random-access-file.js';
import type { SourcePage, SourcePdf } from './source-pdf.js';

/** Why a file (or a page of it) cannot be read this way. */
export class LazySourceError extends Error {}

export interface FileSourceLimits {
  /** Pages kept parsed for a page asked for again (the decoder hands the page it read on to be copied, so the pipeline itself does not). */
  cachedPages: number;
  cachedBytes: number;
  /** Bytes one page may need read (its objects, images included); more and it is not copied. */
  maxPageBytes: number;
  /** Objects listed by the cross-reference (a few bytes each are kept). */
  maxObjects: number;
}

const DEFAULT_LIMITS: FileSourceLimits = {
  cachedPages: 8,
  cachedBytes: 64 * 1024 * 1024,
  maxPageBytes: 256 * 1024 * 1024,
  maxObjects: 1 << 22,
};

/** Objects whose end is not known are read this much at a time, growing fourfold. */
const FIRST_READ = 64 * 1024;
/** Objects whose extent is known are read in one go up to this size, else progressively. */
const ONE_READ_MAX = 64 * 1024 * 1024;
/** A cross-reference section larger than this is not read (some 12 million table entries). */
const MAX_SECTION_BYTES = 256 * 1024 * 1024;
const MAX_TREE_DEPTH = 64;
const OBJECT_STREAMS_CACHED = 4;

const KIND_NONE = 0;
const KIND_OFFSET = 1;
const KIND_COMPRESSED = 2;
const KIND_FREE = 3;

const NAME = {
  Type: PDFName.of('Type'),
  Pages: PDFName.of('Pages'),
  Kids: PDFName.of('Kids'),
  Count: PDFName.of('Count'),
  Root: PDFName.of('Root'),
  Encrypt: PDFName.of('Encrypt'),
  Prev: PDFName.of('Prev'),
  XRefStm: PDFName.of('XRefStm'),
  XRef: PDFName.of('XRef'),
  ObjStm: PDFName.of('ObjStm'),
  W: PDFName.of('W'),
  Index: PDFName.of('Index'),
  Size: PDFName.of('Size'),
  N: PDFName.of('N'),
  First: PDFName.of('First'),
  DecodeParms: PDFName.of('DecodeParms'),
  Predictor: PDFName.of('Predictor'),
  Colors: PDFName.of('Colors'),
  BitsPerComponent: PDFName.of('BitsPerComponent'),
  Columns: PDFName.of('Columns'),
};

/** Where each object lies: at an offset, or in an object stream; first entry seen (the newest) wins. */
class XrefIndex {
  private kind = new Uint8Array(1024);
  /** Offset (KIND_OFFSET) or object stream number (KIND_COMPRESSED). */
  private where = new Float64Array(1024);
  /** Generation (KIND_OFFSET) or index in the object stream (KIND_COMPRESSED). */
  private extra = new Uint32Array(1024);
  /** Every offset an object or a cross-reference section starts at, in any section: objects end where the next begins. */
  private starts: number[] = [];
  private sortedStarts: Float64Array | null = null;

  constructor(
    private readonly maxObjects: number,
    private readonly fileSize: number,
  ) {}

  add(objectNumber: number, kind: number, where: number, extra: number): void {
    if (!Number.isInteger(objectNumber) || objectNumber < 0 || objectNumber >= this.maxObjects) throw new LazySourceError(`object number ${objectNumber} out of range`);
    if (kind === KIND_OFFSET) {
      if (!(where >= 0 && where < this.fileSize)) throw new LazySourceError(`object ${objectNumber} said to lie at ${where}, outside the file`);
      this.starts.push(where);
    }
    if (objectNumber >= this.kind.length) this.grow(objectNumber + 1);
    if (this.kind[objectNumber] !== KIND_NONE) return;
    this.kind[objectNumber] = kind;
    this.where[objectNumber] = where;
    this.extra[objectNumber] = extra;
  }

  addSectionStart(offset: number): void {
    this.starts.push(offset);
  }

  get(objectNumber: number): { kind: number; where: number; extra: number } {
    if (objectNumber >= this.kind.length) return { kind: KIND_NONE, where: 0, extra: 0 };
    return { kind: this.kind[objectNumber]!, where: this.where[objectNumber]!, extra: this.extra[objectNumber]! };
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

interface ObjectStream {
  bytes: Uint8Array;
  first: number;
  offsets: Map<number, number>;
}

export class FileSourcePdf implements SourcePdf {
  private readonly cache = new Map<number, { page: SourcePage; bytes: number }>();
  private readonly objectStreams = new Map<number, ObjectStream>();

  private constructor(
    private readonly file: RandomAccessFile,
    private readonly xref: XrefIndex,
    private readonly pageRefs: readonly PDFRef[],
    private readonly limits: FileSourceLimits,
  ) {}

  /** Reads the cross-reference data and the page tree; LazySourceError (or a parse error) when they cannot be read this way. */
  static async open(file: RandomAccessFile, limits: Partial<FileSourceLimits> = {}): Promise<FileSourcePdf> {
    const all = { ...DEFAULT_LIMITS, ...limits };
    const { xref, root, encrypted } = await readCrossReference(file, all.maxObjects);
    if (encrypted) throw new LazySourceError('the PDF is encrypted');
    const source = new FileSourcePdf(file, xref, [], all);
    const pageRefs = await source.readPageTree(root);
    if (pageRefs.length === 0) throw new LazySourceError('the page tree holds no page');
    return new FileSourcePdf(file, xref, pageRefs, all);
  }

  get pageCount(): number {
    return this.pageRefs.length;
  }

  async page(index: number): Promise<SourcePage> {
    const cached = this.cache.get(index);
    if (cached) {
      // Most recently used last.
      this.cache.delete(index);
      this.cache.set(index, cached);
      return cached.page;
    }
    const ref = this.pageRefs[index];
    if (!ref) throw new AppError('INTERNAL', `Page ${index + 1} asked of a PDF of ${this.pageRefs.length} pages.`);
    let loaded: { page: SourcePage; bytes: number };
    try {
      loaded = await this.readPage(ref);
    } catch (error) {
      throw new AppError('PDF_CORRUPT', `Page ${index + 1} of the PDF cannot be read to be copied (${(error as Error).message}).`, { cause: error, details: { page: index + 1 } });
    }
    this.cache.set(index, loaded);
    let total = 0;
    for (const entry of this.cache.values()) total += entry.bytes;
    for (const [key, entry] of this.cache) {
      if (this.cache.size <= 1 || (this.cache.size <= this.limits.cachedPages && total <= this.limits.cachedBytes)) break;
      this.cache.delete(key);
      total -= entry.bytes;
    }
    return loaded.page;
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.objectStreams.clear();
  }

  /** The page and everything it refers to, in a context of its own. */
  private async readPage(pageRef: PDFRef): Promise<{ page: SourcePage; bytes: number }> {
    const context = PDFContext.create();
    const budget = { bytes: 0, max: this.limits.maxPageBytes };
    const seen = new Set<PDFRef>();
    const queue: PDFRef[] = [pageRef];
    while (queue.length > 0) {
      const ref = queue.pop()!;
      if (seen.has(ref)) continue;
      seen.add(ref);
      const object = await this.readObject(ref, context, budget);
      forEachRef(object, (found) => {
        if (!seen.has(found)) queue.push(found);
      });
    }
    const node = context.lookup(pageRef);
    if (!(node instanceof PDFPageLeaf)) throw new LazySourceError(`${pageRef} is not a page`);
    return { page: { context, node }, bytes: budget.bytes };
  }

  /** The leaves of the page tree, in order, as pdf-lib's PDFPageTree.traverse finds them. */
  private async readPageTree(root: PDFRef): Promise<PDFRef[]> {
    const context = PDFContext.create();
    const budget = { bytes: 0, max: Number.POSITIVE_INFINITY };
    const catalog = await this.readObject(root, context, budget);
    if (!(catalog instanceof PDFDict)) throw new LazySourceError('the catalog is not a dictionary');
    const pagesRef = catalog.get(NAME.Pages);
    if (!(pagesRef instanceof PDFRef)) throw new LazySourceError('the catalog has no page tree');
    const leaves: PDFRef[] = [];
    const visited = new Set<PDFRef>();
    const walk = async (ref: PDFRef, depth: number): Promise<void> => {
      if (visited.has(ref)) throw new LazySourceError('the page tree loops');
      if (depth > MAX_TREE_DEPTH) throw new LazySourceError('the page tree is too deep');
      visited.add(ref);
      // A context per node: the tree's leaves are not kept.
      const node = await this.readObject(ref, PDFContext.create(), budget);
      if (node instanceof PDFPageLeaf) {
        leaves.push(ref);
      } else if (node instanceof PDFPageTree) {
        let kids = node.get(NAME.Kids);
        if (kids instanceof PDFRef) kids = await this.readObject(kids, context, budget);
        if (!(kids instanceof PDFArray)) throw new LazySourceError('a page tree node has no Kids');
        for (const kid of kids.asArray()) {
          if (!(kid instanceof PDFRef)) throw new LazySourceError('a page tree kid is not a reference');
          await walk(kid, depth + 1);
        }
      }
    };
    await walk(pagesRef, 0);
    return leaves;
  }

  /** Object `ref`, parsed into `context` and assigned there; an object the cross-reference does not list is an error. */
  private async readObject(ref: PDFRef, context: PDFContext, budget: { bytes: number; max: number }): Promise<PDFObject> {
    const existing = context.lookup(ref);
    if (existing) return existing;
    const entry = this.xref.get(ref.objectNumber);
    let object: PDFObject;
    if (entry.kind === KIND_OFFSET) {
      if (entry.extra !== ref.generationNumber) throw new LazySourceError(`${ref} is listed with generation ${entry.extra}`);
      const end = this.xref.endOf(entry.where);
      budget.bytes += end - entry.where;
      if (budget.bytes > budget.max) throw new LazySourceError(`a page needing more than ${budget.max} bytes read`);
      const found = await readIndirectObject(this.file, entry.where, end, context);
      if (found.objectNumber !== ref.objectNumber || found.generation !== ref.generationNumber) {
        throw new LazySourceError(`object ${found.objectNumber} ${found.generation} found where the cross-reference puts ${ref}`);
      }
      object = found.object;
    } else if (entry.kind === KIND_COMPRESSED) {
      if (ref.generationNumber !== 0) throw new LazySourceError(`${ref} is listed in an object stream`);
      const stream = await this.objectStream(entry.where, budget);
      const offset = stream.offsets.get(ref.objectNumber);
      if (offset === undefined) throw new LazySourceError(`${ref} is not in object stream ${entry.where}`);
      object = SourceObjectParser.objectAt(stream.bytes, stream.first + offset, context);
    } else {
      throw new LazySourceError(`${ref} is not in the cross-reference`);
    }
    context.assign(ref, object);
    return object;
  }

  private async objectStream(objectNumber: number, budget: { bytes: number; max: number }): Promise<ObjectStream> {
    const cached = this.objectStreams.get(objectNumber);
    if (cached) {
      this.objectStreams.delete(objectNumber);
      this.objectStreams.set(objectNumber, cached);
      return cached;
    }
    const raw = await this.readObject(PDFRef.of(objectNumber, this.xref.get(objectNumber).extra), PDFContext.create(), budget);
    if (!(raw instanceof PDFRawStream) || raw.dict.get(NAME.Type) !== NAME.ObjStm) throw new LazySourceError(`object ${objectNumber} is not an object stream`);
    const bytes = decodeStream(raw);
    const count = numberIn(raw.dict, NAME.N);
    const first = numberIn(raw.dict, NAME.First);
    if (count === null || first === null || first > bytes.length) throw new LazySourceError(`object stream ${objectNumber} has no valid N and First`);
    const numbers = Buffer.from(bytes.buffer, bytes.byteOffset, first).toString('latin1').trim().split(/\s+/).map(Number);
    const offsets = new Map<number, number>();
    for (let i = 0; i + 1 < numbers.length && i < count * 2; i += 2) {
      if (!offsets.has(numbers[i]!)) offsets.set(numbers[i]!, numbers[i + 1]!);
    }
    const stream = { bytes, first, offsets };
    this.objectStreams.set(objectNumber, stream);
    if (this.objectStreams.size > OBJECT_STREAMS_CACHED) this.objectStreams.delete(this.objectStreams.keys().next().value!);
    return stream;
  }
}

/** Every reference in `object`, except a page tree node's kids (the other pages). */
function forEachRef(object: PDFObject, visit: (ref: PDFRef) => void): void {
  if (object instanceof PDFRef) {
    visit(object);
  } else if (object instanceof PDFArray) {
    for (const item of object.asArray()) forEachRef(item, visit);
  } else if (object instanceof PDFDict) {
    const treeNode = object.get(NAME.Type) === NAME.Pages || (object.has(NAME.Count) && !object.has(NAME.Type));
    for (const [key, value] of object.entries()) {
      if (treeNode && key === NAME.Kids) continue;
      forEachRef(value, visit);
    }
  } else if (object instanceof PDFStream) {
    forEachRef(object.dict, visit);
  }
}

function numberIn(dict: PDFDict, key: PDFName): number | null {
  const value = dict.get(key);
  return value instanceof PDFNumber ? value.asNumber() : null;
}

/**
 * The indirect object starting at `offset`, which ends by `end`: read in one go when that is
 * known to be near, else a little at a time until it parses whole.
 */
function readIndirectObject(file: RandomAccessFile, offset: number, end: number, context: PDFContext): Promise<IndirectObject> {
  const extent = end - offset;
  return readGrowing(file, offset, extent, extent <= ONE_READ_MAX ? extent : FIRST_READ, (bytes, whole) => new SourceObjectParser(bytes, context).parseIndirectObject(whole));
}

/**
 * Parses what starts at `offset` (and ends within `extent` bytes) from as few bytes as it needs:
 * more are read only when the parse ran out of them (NeedMoreBytes); any other failure is final.
 */
async function readGrowing<T>(file: RandomAccessFile, offset: number, extent: number, firstRead: number, parse: (bytes: Uint8Array, whole: boolean) => T): Promise<T> {
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

interface CrossReference {
  xref: XrefIndex;
  root: PDFRef;
  encrypted: boolean;
}

async function readCrossReference(file: RandomAccessFile, maxObjects: number): Promise<CrossReference> {
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
      const { entries, trailer } = await readGrowing(file, offset, MAX_SECTION_BYTES, FIRST_READ, (bytes) => new SourceObjectParser(bytes, context).parseXrefTable());
      for (const entry of entries) {
        if (entry.inUse) xref.add(entry.objectNumber, KIND_OFFSET, entry.offset, entry.generation);
        else xref.add(entry.objectNumber, KIND_FREE, 0, 0);
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
      if (type === 0) xref.add(first + i, KIND_FREE, 0, 0);
      else if (type === 1) xref.add(first + i, KIND_OFFSET, where, extra);
      else if (type === 2) xref.add(first + i, KIND_COMPRESSED, where, extra);
      // Other types are reserved: such an object is null.
    }
  }
}

/** A stream's decoded bytes, predictors undone (pdf-lib's decoders leave them: cross-reference streams use them). */
function decodeStream(stream: PDFRawStream): Uint8Array {
  const decoded = decodePDFRawStream(stream).decode();
  let parms = stream.dict.get(NAME.DecodeParms);
  if (parms instanceof PDFArray) parms = parms.asArray().filter((p): p is PDFDict => p instanceof PDFDict).pop();
  if (!(parms instanceof PDFDict)) return decoded;
  const predictor = numberIn(parms, NAME.Predictor) ?? 1;
  if (predictor === 1) return decoded;
  const colors = numberIn(parms, NAME.Colors) ?? 1;
  const bitsPerComponent = numberIn(parms, NAME.BitsPerComponent) ?? 8;
  const columns = numberIn(parms, NAME.Columns) ?? 1;
  return unpredict(decoded, predictor, colors, bitsPerComponent, columns);
}

/** Undoes a TIFF (2) or PNG (10–15) predictor. */
export function unpredict(data: Uint8Array, predictor: number, colors: number, bitsPerComponent: number, columns: number): Uint8Array {
  const pixelBytes = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8));
  const rowBytes = Math.ceil((columns * colors * bitsPerComponent) / 8);
  if (predictor === 2) {
    if (bitsPerComponent !== 8) throw new LazySourceError(`TIFF predictor with ${bitsPerComponent} bits per component`);
    const out = Uint8Array.from(data);
    for (let row = 0; row < out.length; row += rowBytes) {
      for (let i = pixelBytes; i < rowBytes && row + i < out.length; i++) out[row + i] = (out[row + i]! + out[row + i - pixelBytes]!) & 0xff;
    }
    return out;
  }
  if (predictor < 10) throw new LazySourceError(`unknown predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (rowBytes + 1)]!;
    const input = row * (rowBytes + 1) + 1;
    const at = row * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[input + i]!;
      const left = i >= pixelBytes ? out[at + i - pixelBytes]! : 0;
      const up = row > 0 ? out[at - rowBytes + i]! : 0;
      const upLeft = row > 0 && i >= pixelBytes ? out[at - rowBytes + i - pixelBytes]! : 0;
      let value: number;
      switch (filter) {
        case 0: value = raw; break;
        case 1: value = raw + left; break;
        case 2: value = raw + up; break;
        case 3: value = raw + ((left + up) >> 1); break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new LazySourceError(`unknown PNG filter ${filter}`);
      }
      out[at + i] = value & 0xff;
    }
  }
  return out;
}
