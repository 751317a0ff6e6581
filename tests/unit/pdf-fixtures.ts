/** PDFs made for the tests of the source PDF readers (file-source-pdf, pdf-decoder-ranges). */
import { deflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRef,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
  type PDFObject,
} from 'pdf-lib';

/** A grey image stream of its own for each page, some text in a font shared by all pages. */
export async function makePdf(pages: number, opts: { objectStreams: boolean; inherit?: boolean }): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const width = 40 + i;
    const height = 30 + 2 * i;
    const pixels = Buffer.alloc(width * height, (i * 37) % 256);
    for (let p = 0; p < pixels.length; p += 7) pixels[p] = p % 251;
    const image = doc.context.register(
      doc.context.flateStream(pixels, { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
    );
    const page = doc.addPage([200 + i, 300]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(200 + i, 0, 0, 300, 0, 0), drawObject(name), popGraphicsState());
    page.drawText(`Page ${i + 1}: Certidão nº ${1000 + i}/1987`, { x: 10, y: 10, size: 9, font });
  }
  if (opts.inherit) {
    // Page 1 inherits its resources, media box and rotation from the page tree's root.
    const root = doc.catalog.Pages();
    const first = doc.getPage(0).node;
    root.set(PDFName.of('Resources'), first.get(PDFName.of('Resources'))!);
    root.set(PDFName.of('MediaBox'), first.get(PDFName.of('MediaBox'))!);
    root.set(PDFName.of('Rotate'), PDFNumber.of(90));
    first.delete(PDFName.of('Resources'));
    first.delete(PDFName.of('MediaBox'));
    doc.getPage(1).node.set(PDFName.of('Rotate'), PDFNumber.of(0));
  }
  return doc.save({ useObjectStreams: opts.objectStreams, addDefaultPage: false });
}

export function startxrefOf(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  return Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]);
}

/** Page `index`'s dictionary and its first content stream's reference, as pdf-lib reads the file. */
export async function pageParts(bytes: Uint8Array, index: number) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const page = doc.getPage(index);
  const contents = page.node.get(PDFName.of('Contents'));
  // The trailer's /Size: object streams and cross-reference streams have numbers pdf-lib does not keep.
  const sizes = [...Buffer.from(bytes).toString('latin1').matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1]));
  return { doc, page, contents, root: doc.context.trailerInfo.Root as PDFRef, size: Math.max(doc.context.largestObjectNumber + 1, ...sizes) };
}

export function serialise(object: PDFObject): string {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return Buffer.from(bytes).toString('latin1');
}

/**
 * An incremental update of `base` (to be written at byte `at` of the file) giving page
 * `pageIndex` new contents drawing `text`, with a cross-reference table (the new stream's length
 * an indirect object) or a cross-reference stream (PNG "Up" predictor, deflated).
 */
export async function incrementalUpdate(base: Uint8Array, pageIndex: number, text: string, xref: 'table' | 'stream', at: number): Promise<Buffer> {
  const { page, root, size } = await pageParts(base, pageIndex);
  const contentNo = size;
  const extraNo = size + 1; // the length (table) or the cross-reference stream itself
  const content = `BT /F1 12 Tf ${text} ET`;
  const updatedPage = page.node.clone();
  updatedPage.set(PDFName.of('Contents'), PDFRef.of(contentNo));
  const pieces: Buffer[] = [];
  let offset = at;
  const offsets = new Map<number, number>();
  const add = (piece: string | Buffer, objectNo?: number) => {
    const buffer = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece;
    if (objectNo !== undefined) offsets.set(objectNo, offset);
    pieces.push(buffer);
    offset += buffer.length;
  };
  add('\n');
  if (xref === 'table') {
    add(`${contentNo} 0 obj\n<< /Length ${extraNo} 0 R >>\nstream\n${content}\nendstream\nendobj\n`, contentNo);
    add(`${extraNo} 0 obj\n${content.length + 1}\nendobj\n`, extraNo);
    add(`${page.ref.objectNumber} 0 obj\n${serialise(updatedPage)}\nendobj\n`, page.ref.objectNumber);
    const xrefAt = offset;
    const entry = (n: number) => `${String(offsets.get(n)).padStart(10, '0')} 00000 n \n`;
    add(
      `xref\n0 1\n0000000000 65535 f \n${page.ref.objectNumber} 1\n${entry(page.ref.objectNumber)}${contentNo} 2\n${entry(contentNo)}${entry(extraNo)}` +
        `trailer\n<< /Size ${extraNo + 1} /Root ${root.toString()} /Prev ${startxrefOf(base)} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
    );
    return Buffer.concat(pieces);
  }
  add(`${contentNo} 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`, contentNo);
  add(`${page.ref.objectNumber} 0 obj\n${serialise(updatedPage)}\nendobj\n`, page.ref.objectNumber);
  const xrefAt = offset;
  offsets.set(extraNo, xrefAt);
  // Rows of [type 1, offset (4 bytes), generation (2 bytes)].
  const rows = [page.ref.objectNumber, contentNo, extraNo].map((n) => {
    const row = Buffer.alloc(7);
    row[0] = 1;
    row.writeUInt32BE(offsets.get(n)!, 1);
    return row;
  });
  const filtered = Buffer.concat(
    rows.map((row, r) => {
      const up = r > 0 ? rows[r - 1]! : Buffer.alloc(7);
      return Buffer.concat([Buffer.from([2]), Buffer.from(row.map((b, i) => (b - up[i]! + 256) & 0xff))]);
    }),
  );
  const data = deflateSync(filtered);
  add(
    `${extraNo} 0 obj\n<< /Type /XRef /Size ${extraNo + 1} /Root ${root.toString()} /Prev ${startxrefOf(base)} /W [1 4 2] ` +
      `/Index [${page.ref.objectNumber} 1 ${contentNo} 2] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${data.length} >>\nstream\n`,
  );
  add(data);
  add(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat(pieces);
}

