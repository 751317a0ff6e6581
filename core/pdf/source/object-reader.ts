/**
 * Reads one object of a PDF by its reference: from the offset the cross-reference gives (read
 * from disk in one go when its extent is known to be small, else progressively), or from the
 * object stream holding it (a few such streams kept decoded). What the cross-reference does not
 * list, or lists elsewhere than where the object is found, is an error, never a guess.
 */
import { PDFContext, PDFRef, type PDFObject } from 'pdf-lib';
import { FIRST_READ, readGrowing } from './growing-read.js';
import { LazySourceError } from './lazy-source-error.js';
import { SourceObjectParser } from './object-parser.js';
import { ObjectStream } from './object-stream.js';
import type { RandomAccessFile } from './random-access-file.js';
import { XrefKind, type XrefIndex } from './xref-index.js';

const OBJECT_STREAMS_CACHED = 4;

/** Bytes read so far for one purpose (a page), and how many it may read. */
export interface ReadBudget {
  bytes: number;
  max: number;
}

export class ObjectReader {
  /** Most recently used last. */
  private readonly objectStreams = new Map<number, ObjectStream>();

  constructor(
    private readonly file: RandomAccessFile,
    private readonly xref: XrefIndex,
    /** Objects whose extent is known are read in one go up to this size, else a little at a time. */
    private readonly oneReadBytes: number,
  ) {}

  /** Object `ref`, parsed into `context` and assigned there (or what `context` already holds). */
  async read(ref: PDFRef, context: PDFContext, budget: ReadBudget): Promise<PDFObject> {
    const existing = context.lookup(ref);
    if (existing) return existing;
    const entry = this.xref.get(ref.objectNumber);
    let object: PDFObject;
    if (entry.kind === XrefKind.Offset) {
      if (entry.extra !== ref.generationNumber) throw new LazySourceError(`${ref} is listed with generation ${entry.extra}`);
      const end = this.xref.endOf(entry.where);
      budget.bytes += end - entry.where;
      if (budget.bytes > budget.max) throw new LazySourceError(`a page needing more than ${budget.max} bytes read`);
      const extent = end - entry.where;
      const found = await readGrowing(this.file, entry.where, extent, extent <= this.oneReadBytes ? extent : FIRST_READ, (bytes, whole) => new SourceObjectParser(bytes, context).parseIndirectObject(whole));
      if (found.objectNumber !== ref.objectNumber || found.generation !== ref.generationNumber) {
        throw new LazySourceError(`object ${found.objectNumber} ${found.generation} found where the cross-reference puts ${ref}`);
      }
      object = found.object;
    } else if (entry.kind === XrefKind.Compressed) {
      if (ref.generationNumber !== 0) throw new LazySourceError(`${ref} is listed in an object stream`);
      const member = (await this.objectStream(entry.where, budget)).member(ref.objectNumber, context);
      if (member === null) throw new LazySourceError(`${ref} is not in object stream ${entry.where}`);
      object = member;
    } else {
      throw new LazySourceError(`${ref} is not in the cross-reference`);
    }
    context.assign(ref, object);
    return object;
  }

  /** Forgets the object streams kept decoded. */
  clear(): void {
    this.objectStreams.clear();
  }

  private async objectStream(objectNumber: number, budget: ReadBudget): Promise<ObjectStream> {
    const cached = this.objectStreams.get(objectNumber);
    if (cached) {
      this.objectStreams.delete(objectNumber);
      this.objectStreams.set(objectNumber, cached);
      return cached;
    }
    const raw = await this.read(PDFRef.of(objectNumber, this.xref.get(objectNumber).extra), PDFContext.create(), budget);
    const stream = ObjectStream.from(raw, objectNumber);
    this.objectStreams.set(objectNumber, stream);
    if (this.objectStreams.size > OBJECT_STREAMS_CACHED) this.objectStreams.delete(this.objectStreams.keys().next().value!);
    return stream;
  }
}
