/**
 * pdf-lib's own object parser (PDFObjectParser: dictionaries, arrays, strings, streams exactly as
 * `PDFDocument.load` reads them), given the two pieces of file syntax around objects that
 * PDFDocument.load reads with parts pdf-lib does not export: an indirect object's
 * `N G obj … endobj` frame, and a cross-reference table with its trailer. It subclasses pdf-lib's
 * parser and uses its protected members: pdf-lib-internals.ts lists them.
 */
import { PDFDict, PDFObjectParser, type PDFContext, type PDFObject } from 'pdf-lib';
import { byteStreamOf } from './pdf-lib-internals.js';

const keyword = (text: string) => [...text].map((c) => c.charCodeAt(0));
const OBJ = keyword('obj');
const ENDOBJ = keyword('endobj');
const XREF = keyword('xref');
const TRAILER = keyword('trailer');
const N = 'n'.charCodeAt(0);
const F = 'f'.charCodeAt(0);

/** How far before the end of the bytes a parse that stopped may have stopped for want of them. */
const LOOKAHEAD = 1024;

/** The bytes given end before what is being parsed does: read more and parse again. */
export class NeedMoreBytes extends Error {}

export interface IndirectObject {
  objectNumber: number;
  generation: number;
  object: PDFObject;
}

export interface XrefTableEntry {
  objectNumber: number;
  generation: number;
  offset: number;
  inUse: boolean;
}

export class SourceObjectParser extends PDFObjectParser {
  private readonly length: number;

  constructor(bytes: Uint8Array, context: PDFContext) {
    super(byteStreamOf(bytes), context);
    this.length = bytes.length;
  }

  /**
   * `N G obj <object> endobj` at the start of the bytes. When the bytes may end before the object
   * does (the parse stopped, or failed, near their end: see ranOut), NeedMoreBytes — unless
   * `whole` says there is no more: then a parse failure is final, and an object without `endobj`
   * is taken, as PDFDocument.load takes it.
   */
  parseIndirectObject(whole: boolean): IndirectObject {
    try {
      this.skipWhitespaceAndComments();
      const objectNumber = this.parseRawInt();
      this.skipWhitespaceAndComments();
      const generation = this.parseRawInt();
      this.skipWhitespaceAndComments();
      if (!this.matchKeyword(OBJ)) throw new Error(`no "obj" keyword after ${objectNumber} ${generation}`);
      this.skipWhitespaceAndComments();
      const object = this.parseObject();
      this.skipWhitespaceAndComments();
      const complete = this.matchKeyword(ENDOBJ);
      // A dictionary whose `stream` keyword the bytes cut short parses as a dictionary: only
      // `endobj`, or bytes enough past the object, tell it was all there.
      if (!complete && !whole && this.ranOut()) throw new NeedMoreBytes();
      return { objectNumber, generation, object };
    } catch (error) {
      if (!whole && !(error instanceof NeedMoreBytes) && this.ranOut()) throw new NeedMoreBytes();
      throw error;
    }
  }

  /** Whether the bytes start (after white space) with `xref`. */
  startsWithXrefTable(): boolean {
    this.skipWhitespaceAndComments();
    const start = this.bytes.offset();
    const found = this.matchKeyword(XREF);
    this.bytes.moveTo(start);
    return found;
  }

  /**
   * A cross-reference table and its trailer dictionary, read as pdf-lib's PDFParser reads one
   * (subsection headers and entries told apart by the `n`/`f` that ends an entry), but also
   * telling whether the bytes ran out first (NeedMoreBytes) unless `whole` says there is no more.
   */
  parseXrefTable(whole: boolean): { entries: XrefTableEntry[]; trailer: PDFDict } {
    try {
      return this.xrefTableAndTrailer();
    } catch (error) {
      if (!whole && !(error instanceof NeedMoreBytes) && this.ranOut()) throw new NeedMoreBytes();
      throw error;
    }
  }

  private xrefTableAndTrailer(): { entries: XrefTableEntry[]; trailer: PDFDict } {
    this.skipWhitespaceAndComments();
    if (!this.matchKeyword(XREF)) throw new Error('no "xref" keyword');
    this.skipWhitespaceAndComments();
    const entries: XrefTableEntry[] = [];
    let objectNumber = -1;
    for (;;) {
      if (this.bytes.done()) throw new NeedMoreBytes();
      if (this.matchKeyword(TRAILER)) break;
      const first = this.parseRawInt();
      this.skipWhitespaceAndComments();
      if (this.bytes.done()) throw new NeedMoreBytes();
      const second = this.parseRawInt();
      this.skipWhitespaceAndComments();
      if (this.bytes.done()) throw new NeedMoreBytes();
      const byte = this.bytes.peek();
      if (byte === N || byte === F) {
        this.bytes.next();
        if (objectNumber < 0) throw new Error('an entry before any subsection header');
        entries.push({ objectNumber, generation: second, offset: first, inUse: byte === N });
        objectNumber += 1;
      } else {
        objectNumber = first;
      }
      this.skipWhitespaceAndComments();
    }
    this.skipWhitespaceAndComments();
    if (this.bytes.done()) throw new NeedMoreBytes();
    const trailer = this.parseObject();
    if (!(trailer instanceof PDFDict)) throw new Error('the trailer is not a dictionary');
    return { entries, trailer };
  }

  /**
   * Whether the parse stopped near the end of the bytes, so that it may have stopped or failed
   * for want of the rest: pdf-lib's parser looks ahead and backs off before it fails (`2 0` not
   * yet followed by `R`, `tr` not yet `true`, `st` not yet `stream`), so it can fail short of
   * the end. Anything else failed where the bytes say so, and reading more would not help.
   */
  private ranOut(): boolean {
    return this.bytes.done() || this.bytes.offset() >= this.length - LOOKAHEAD;
  }

  /** The object at `offset` in the bytes (an object stream's member). */
  static objectAt(bytes: Uint8Array, offset: number, context: PDFContext): PDFObject {
    return new SourceObjectParser(bytes.subarray(offset), context).parseObject();
  }
}
