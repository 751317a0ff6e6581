/**
 * The PDF names the page-by-page reader looks up, made once, and the one way it reads a number
 * from a dictionary. pdf-lib interns names, so they compare with === (pdf-lib-internals.test.ts).
 */
import { PDFDict, PDFName, PDFNumber } from 'pdf-lib';

export const NAME = {
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

/** The number under `key` when it is a direct number, else null. */
export function numberIn(dict: PDFDict, key: PDFName): number | null {
  const value = dict.get(key);
  return value instanceof PDFNumber ? value.asNumber() : null;
}
