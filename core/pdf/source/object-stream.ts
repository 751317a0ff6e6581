/**
 * An object stream (PDF 1.5 /Type /ObjStm): many small objects compressed together, found by the
 * table of object numbers and offsets at its start. Only the table is read up front; a member is
 * parsed when asked for, into the context of whoever asked.
 */
import { PDFRawStream, type PDFContext, type PDFObject } from 'pdf-lib';
import { LazySourceError } from './lazy-source-error.js';
import { SourceObjectParser } from './object-parser.js';
import { NAME, numberIn } from './pdf-names.js';
import { decodeStream } from './stream-decoding.js';

export class ObjectStream {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly first: number,
    private readonly offsets: Map<number, number>,
  ) {}

  static from(raw: PDFObject, objectNumber: number): ObjectStream {
    if (!(raw instanceof PDFRawStream) || raw.dict.get(NAME.Type) !== NAME.ObjStm) throw new LazySourceError(`object ${objectNumber} is not an object stream`);
    const bytes = decodeStream(raw);
    const count = numberIn(raw.dict, NAME.N);
    const first = numberIn(raw.dict, NAME.First);
    if (count === null || first === null || first > bytes.length) throw new LazySourceError(`object stream ${objectNumber} has no valid N and First`);
    const numbers = Buffer.from(bytes.buffer, bytes.byteOffset, first).toString('latin1').trim().split(/\s+/).map(Number);
    const offsets = new Map<number, number>();
    for (let i = 0; i + 1 < numbers.length && i < count * 2; i += 2) {
      // As in a cross-reference: the first entry for an object wins.
      if (!offsets.has(numbers[i]!)) offsets.set(numbers[i]!, numbers[i + 1]!);
    }
    return new ObjectStream(bytes, first, offsets);
  }

  /** Member `objectNumber` parsed into `context`; null when the stream does not hold it. */
  member(objectNumber: number, context: PDFContext): PDFObject | null {
    const offset = this.offsets.get(objectNumber);
    if (offset === undefined) return null;
    return SourceObjectParser.objectAt(this.bytes, this.first + offset, context);
  }
}
