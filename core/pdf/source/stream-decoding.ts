/**
 * A stream's decoded bytes, predictors undone. pdf-lib's decoders (decodePDFRawStream) leave
 * predictors in place, as pdf-lib never needs them undone (it reads a file start to end, not by
 * its cross-reference); cross-reference streams and object streams written with them are read
 * here only after this step. pdf-lib-internals.test.ts fails if pdf-lib starts undoing them itself.
 */
import { decodePDFRawStream, PDFArray, PDFDict, type PDFRawStream } from 'pdf-lib';
import { LazySourceError } from './lazy-source-error.js';
import { NAME, numberIn } from './pdf-names.js';

export function decodeStream(stream: PDFRawStream): Uint8Array {
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
