/**
 * The parts of pdf-lib the page-by-page reader (core/pdf/source/) relies on beyond pdf-lib's
 * public API, each checked by name (core/pdf/source/pdf-lib-internals.ts lists them). pdf-lib
 * has not been released since 1.17.1; an upgrade, or a switch to a fork, that moves or reshapes
 * one of them fails here with a message naming it, instead of as a wrong or missing page copy
 * somewhere in an ingest.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFContext,
  PDFDict,
  PDFName,
  PDFObjectParser,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { NeedMoreBytes, SourceObjectParser } from '../../core/pdf/source/object-parser.js';
import { byteStreamOf } from '../../core/pdf/source/pdf-lib-internals.js';
import { decodeStream } from '../../core/pdf/source/stream-decoding.js';

const PDF_LIB_VERSION: string = createRequire(import.meta.url)('pdf-lib/package.json').version;

/** Runs `check`; any failure is reported as the internal `name` having moved or changed. */
function reliedOn(name: string, usedIn: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new Error(
      `pdf-lib ${PDF_LIB_VERSION}: ${name} is gone or has changed, and core/pdf/source/${usedIn} relies on it ` +
        `(see core/pdf/source/pdf-lib-internals.ts). ${(error as Error).message}`,
      { cause: error },
    );
  }
}

const bytes = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));

function serialise(object: PDFObject): string {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return Buffer.from(out).toString('latin1');
}

const CONTENT = 'q 595 0 0 842 0 0 cm /Im1 Do Q';
/** Indirect objects of every kind a page refers to, as a file holds them. */
const OBJECTS = [
  '12 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 5 0 R /Resources << /XObject << /Im1 6 0 R >> >> >>\nendobj\n',
  `5 0 obj\n<< /Length ${CONTENT.length} >>\nstream\n${CONTENT}\nendstream\nendobj\n`,
  `5 0 obj\n<< /Length 13 0 R >>\nstream\n${CONTENT}\nendstream\nendobj\n`,
  '8 0 obj\n[(a string \\) with a paren) <48656C6C6F> /Name 3.25 true null 9 0 R]\nendobj\n',
  '9 0 obj\n123456\nendobj\n',
];
const XREF_TABLE = 'xref\n0 3\n0000000000 65535 f \n0000000015 00000 n \n0000000074 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R /Prev 4096 >>\nstartxref\n';

describe(`pdf-lib ${PDF_LIB_VERSION} internals the page-by-page reader relies on`, () => {
  it('ByteStream (unexported), reached through PDFObjectParser.forBytes(...).bytes', () => {
    reliedOn('ByteStream.of', 'pdf-lib-internals.ts', () => {
      const stream = byteStreamOf(bytes('ab'));
      for (const method of ['done', 'offset', 'moveTo', 'peek', 'next'] as const) {
        expect(typeof (stream as unknown as Record<string, unknown>)[method], `ByteStream.${method}`).toBe('function');
      }
      expect(stream.peek()).toBe(0x61);
      expect(stream.next()).toBe(0x61);
      expect(stream.offset()).toBe(1);
      stream.moveTo(2);
      expect(stream.done()).toBe(true);
    });
  });

  it('the protected parser members SourceObjectParser uses: bytes, parseRawInt, skipWhitespaceAndComments, matchKeyword', () => {
    for (const method of ['parseRawInt', 'skipWhitespaceAndComments', 'matchKeyword', 'parseObject']) {
      reliedOn(`PDFObjectParser.prototype.${method}`, 'object-parser.ts', () => {
        expect(typeof (PDFObjectParser.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
      });
    }
    reliedOn('the protected PDFObjectParser.bytes field', 'object-parser.ts', () => {
      const parser = new SourceObjectParser(bytes('7 0 obj\n42\nendobj\n'), PDFContext.create());
      expect((parser as unknown as { bytes: unknown }).bytes).toBeDefined();
      expect(parser.parseIndirectObject(true)).toMatchObject({ objectNumber: 7, generation: 0 });
    });
  });

  it('parseObject() on bytes that end inside an object fails at their end (how the reader knows to read more)', () => {
    for (const text of OBJECTS) {
      const whole = new SourceObjectParser(bytes(text), PDFContext.create()).parseIndirectObject(true);
      for (let cut = 1; cut < text.length; cut++) {
        reliedOn(`PDFObjectParser.parseObject() stopping at the end of its bytes (${JSON.stringify(text.slice(0, cut))})`, 'object-parser.ts', () => {
          let part;
          try {
            part = new SourceObjectParser(bytes(text.slice(0, cut)), PDFContext.create()).parseIndirectObject(false);
          } catch (error) {
            expect(error, 'a parse of too few bytes fails with NeedMoreBytes').toBeInstanceOf(NeedMoreBytes);
            return;
          }
          // Or, when the bytes hold it all, the object is the same as from all the bytes.
          expect(part.objectNumber).toBe(whole.objectNumber);
          expect(serialise(part.object)).toBe(serialise(whole.object));
        });
      }
    }
  });

  it('parseObject() inside a cross-reference table: the reader asks for more bytes or gets the whole table', () => {
    const whole = new SourceObjectParser(bytes(XREF_TABLE), PDFContext.create()).parseXrefTable(true);
    expect(whole.entries).toHaveLength(3);
    for (let cut = 1; cut < XREF_TABLE.length; cut++) {
      reliedOn(`BaseParser.parseRawInt/matchKeyword at the end of its bytes (${JSON.stringify(XREF_TABLE.slice(0, cut))})`, 'object-parser.ts', () => {
        let part;
        try {
          part = new SourceObjectParser(bytes(XREF_TABLE.slice(0, cut)), PDFContext.create()).parseXrefTable(false);
        } catch (error) {
          expect(error, 'a parse of too few bytes fails with NeedMoreBytes').toBeInstanceOf(NeedMoreBytes);
          return;
        }
        expect(part.entries).toEqual(whole.entries);
        expect(serialise(part.trailer)).toBe(serialise(whole.trailer));
      });
    }
  });

  it('a parse that fails far from the end of its bytes fails for good (more bytes would not help)', () => {
    reliedOn('BaseParser.parseRawInt failing where the bytes are wrong', 'object-parser.ts', () => {
      const garbage = bytes(`7 0 obj\n<< /A ) >>\n${' '.repeat(4096)}`);
      expect(() => new SourceObjectParser(garbage, PDFContext.create()).parseIndirectObject(false)).toThrow();
      expect(() => new SourceObjectParser(garbage, PDFContext.create()).parseIndirectObject(false)).not.toThrow(NeedMoreBytes);
    });
  });

  it('a stream whose /Length is indirect is parsed up to its endstream', () => {
    reliedOn('PDFObjectParser.findEndOfStreamFallback', 'object-parser.ts', () => {
      const found = new SourceObjectParser(bytes(OBJECTS[2]!), PDFContext.create()).parseIndirectObject(true);
      expect(found.object).toBeInstanceOf(PDFRawStream);
      expect(Buffer.from((found.object as PDFRawStream).contents).toString('latin1')).toBe(CONTENT);
    });
  });

  it('a parsed /Type /Page dictionary is a PDFPageLeaf, /Type /Pages a PDFPageTree', () => {
    reliedOn('PDFObjectParser.parseDict making PDFPageLeaf and PDFPageTree', 'page-tree.ts and page-objects.ts', () => {
      const context = PDFContext.create();
      expect(SourceObjectParser.objectAt(bytes('<< /Type /Page /Parent 2 0 R >>'), 0, context)).toBeInstanceOf(PDFPageLeaf);
      expect(SourceObjectParser.objectAt(bytes('<< /Type /Pages /Kids [] /Count 0 >>'), 0, context)).toBeInstanceOf(PDFPageTree);
    });
  });

  it('decodePDFRawStream leaves predictors in place (stream-decoding.ts undoes them, and would undo them twice)', () => {
    // Two rows of 3 bytes, PNG "Up" filter on the second.
    const predicted = Uint8Array.from([2, 1, 2, 3, 2, 1, 1, 1]);
    const text = `1 0 obj\n<< /Length ${deflateSync(predicted).length} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 3 >> >>\nstream\n`;
    const file = Buffer.concat([Buffer.from(text, 'latin1'), deflateSync(predicted), Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    const stream = new SourceObjectParser(Uint8Array.from(file), PDFContext.create()).parseIndirectObject(true).object as PDFRawStream;
    reliedOn('decodePDFRawStream ignoring /DecodeParms /Predictor', 'stream-decoding.ts', () => {
      expect([...decodePDFRawStream(stream).decode()]).toEqual([...predicted]);
    });
    expect([...decodeStream(stream)]).toEqual([1, 2, 3, 2, 3, 4]);
  });

  it('PDFName.of and PDFRef.of intern (names and references compare with ===, also as parsed)', () => {
    reliedOn('the PDFName and PDFRef pools', 'pdf-names.ts, page-tree.ts and page-objects.ts', () => {
      expect(PDFName.of('Type')).toBe(PDFName.of('Type'));
      expect(PDFRef.of(3, 0)).toBe(PDFRef.of(3, 0));
      const dict = SourceObjectParser.objectAt(bytes('<< /Type /ObjStm /Kid 3 0 R >>'), 0, PDFContext.create()) as PDFDict;
      expect(dict.get(PDFName.of('Type'))).toBe(PDFName.of('ObjStm'));
      expect(dict.get(PDFName.of('Kid'))).toBe(PDFRef.of(3, 0));
    });
  });
});
