/**
 * Every part of pdf-lib (1.17.1) the page-by-page reader uses beyond what pdf-lib exports as its
 * API, in one list; tests/unit/pdf-lib-internals.test.ts checks each one by name and fails
 * loudly when an upgrade (or a switch to a fork) moves or changes it. Why we rely on them at
 * all, and the measured alternatives, are in README.md beside this file.
 *
 * Unexported:
 * - `ByteStream` (parser/ByteStream): PDFObjectParser's constructor takes one, but pdf-lib does
 *   not export the class. It is reached below through a parser made by the exported
 *   `PDFObjectParser.forBytes`, whose protected `bytes` field holds one.
 *
 * Protected (typed in pdf-lib's declarations, so tsc checks their shape; not a public API):
 * - BaseParser: `bytes`, `parseRawInt()`, `skipWhitespaceAndComments()`, `matchKeyword()`.
 * - ByteStream: `done()`, `offset()`, `moveTo()`, `peek()`, `next()`.
 *
 * Behaviour pdf-lib does not document:
 * - `parseObject()` given bytes that end inside an object throws with the stream `done()`
 *   (how the reader knows to read more bytes: object-parser.ts, NeedMoreBytes).
 * - A stream whose /Length is indirect is parsed up to its `endstream`.
 * - A parsed `/Type /Page` dictionary is a PDFPageLeaf, `/Type /Pages` a PDFPageTree.
 * - `decodePDFRawStream` leaves predictors in place (stream-decoding.ts undoes them).
 * - `PDFName.of` and `PDFRef.of` intern: equal names and references are the same object.
 */
import { PDFContext, PDFObjectParser } from 'pdf-lib';

/** pdf-lib's ByteStream, as its parsers take it. */
export type ByteStream = ConstructorParameters<typeof PDFObjectParser>[0];

/** `ByteStream.of`, reached through the protected `bytes` field of a parser `forBytes` made. */
export const byteStreamOf: (bytes: Uint8Array) => ByteStream = (() => {
  const probe = PDFObjectParser.forBytes(new Uint8Array(0), PDFContext.create()) as unknown as { bytes?: { constructor?: { of?: (bytes: Uint8Array) => ByteStream } } };
  const ByteStreamClass = probe.bytes?.constructor;
  const of = ByteStreamClass?.of;
  if (typeof of !== 'function') throw new Error('pdf-lib has changed: ByteStream.of (reached through PDFObjectParser.forBytes(...).bytes) is missing');
  return (bytes) => of.call(ByteStreamClass, bytes);
})();
