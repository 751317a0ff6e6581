/**
 * The printable separator sheet: staff put one before each document of a box and scan the box
 * in one go; `--split barcode` cuts the batch there and drops the sheet. The same code is on it
 * twice, as Code 128 and QR, so a sheet fed crooked, at low resolution or half-smudged still
 * reads; the text says in words what the codes say. Barcodes are drawn as vector rectangles
 * from ZXing's own encoder (zxing-wasm), sharp at any printer resolution.
 */
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { AppError } from '../errors.js';
import type { ManualMetadata } from '../model.js';
import { formatSeparatorCode, parseSeparatorCode } from './separator-code.js';
import { breakAnywhere, wrapText } from './sheet-text.js';
import { zxingWasmBinary } from './zxing-wasm.js';

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
/** Narrowest Code 128 bar printed: 0.33 mm is 2.6 pixels at 200 DPI, the lowest resolution staff scan at. */
const MIN_MODULE_MM = 0.33;
const CODE128_MAX_WIDTH_MM = 170;
const MARGIN = 20 * MM;
/** A point short of the margins: viewers measure text a little differently from pdf-lib. */
const TEXT_WIDTH = A4.width - 2 * MARGIN - 2;
/** The lowest the fields may reach: above the footer line. */
const TEXT_BOTTOM = 22 * MM;
/** Type sizes tried, largest first, until the code and the fields fit (code, fields). */
const TYPE_SIZES: Array<[number, number]> = [[12, 11], [10, 9.5], [8, 8]];

let prepared = false;
function prepare(): void {
  if (prepared) return;
  prepareZXingModule({ overrides: { wasmBinary: zxingWasmBinary('writer') } });
  prepared = true;
}

const LABELS: Array<[keyof ManualMetadata, string]> = [
  ['title', 'Título / Title'],
  ['collection', 'Fundo / Colección / Collection'],
  ['series', 'Série / Serie / Series'],
  ['box', 'Caixa / Caja / Box'],
  ['year', 'Ano / Año / Year'],
  ['documentType', 'Tipo / Type'],
  ['date', 'Data / Fecha / Date'],
  ['notes', 'Notas / Notes'],
];

/** A PDF of `copies` identical A4 sheets for the next document (metadata: what it is, or none). */
export async function separatorSheetPdf(metadata: ManualMetadata | null, copies = 1): Promise<{ pdf: Uint8Array; code: string }> {
  const code = formatSeparatorCode(metadata);
  const check = parseSeparatorCode(code);
  if (!check || check.warnings.length > 0) throw new AppError('USAGE', `The separator's fields cannot be written: ${check?.warnings.join('; ') ?? code}.`);
  prepare();
  const [bars, qr] = await Promise.all([
    writeBarcode(code, { format: 'Code128', scale: 1, addQuietZones: false }),
    writeBarcode(code, { format: 'QRCode', scale: 1, addQuietZones: false, options: 'ecLevel=Q' }),
  ]);
  if (qr.error) throw new AppError('USAGE', `The separator's text cannot be encoded (${qr.error}).`);

  const doc = await PDFDocument.create();
  doc.setTitle('Acervo — folha separadora');
  doc.setCreator('Acervo');
  doc.setSubject(code);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const fields = LABELS.flatMap(([key, label]) => {
    const value = metadata?.[key];
    return value === undefined || value === '' ? [] : [{ label: `${label}:`, value: String(value) }];
  });
  for (let i = 0; i < copies; i++) {
    const page = doc.addPage([A4.width, A4.height]);
    let y = A4.height - 30 * MM;
    page.drawText('FOLHA SEPARADORA', { x: 20 * MM, y, size: 30, font: bold });
    y -= 11 * MM;
    page.drawText('Hoja separadora · Separator sheet', { x: 20 * MM, y, size: 16, font: regular });
    y -= 9 * MM;
    page.drawText('Coloque antes de cada documento do lote. Não escreva sobre os códigos.', { x: 20 * MM, y, size: 11, font: regular });
    y -= 5.5 * MM;
    page.drawText('Colóquela antes de cada documento del lote. / Put one before each document of the batch.', { x: 20 * MM, y, size: 9, font: regular });

    // Code 128, as wide as it needs, when its bars can stay wide enough to read at 200 DPI.
    const row = bars.error ? null : bars.symbol.data.subarray(0, bars.symbol.width);
    const moduleMm = row ? Math.min(0.6, CODE128_MAX_WIDTH_MM / row.length) : 0;
    y -= 14 * MM;
    if (row && moduleMm >= MIN_MODULE_MM) {
      const height = 30 * MM;
      y -= height;
      drawBars(page, row, (A4.width - row.length * moduleMm * MM) / 2, y, moduleMm * MM, height);
      y -= 12 * MM;
    }
    // QR: 60 mm square, centred.
    const side = 60 * MM;
    y -= side;
    drawMatrix(page, qr.symbol.data, qr.symbol.width, (A4.width - side) / 2, y, side / qr.symbol.width);
    drawFields(page, code, fields, y - 10 * MM, { bold, regular });
    page.drawText('Acervo: esta folha não entra no documento (acervo ingest --split barcode).', { x: 20 * MM, y: 15 * MM, size: 8, font: regular, color: rgb(0.3, 0.3, 0.3) });
  }
  return { pdf: await doc.save(), code };
}

type Fonts = { bold: PDFFont; regular: PDFFont };
/** One printed line: its pieces side by side (a label in regular type, its value in bold). */
type Line = { x: number; size: number; parts: Array<{ text: string; font: PDFFont }> };

/**
 * The code in words and each field, every line inside the margins: long values wrap, and the
 * type gets smaller until all fit above the footer. What cannot fit even so is refused before
 * anything is printed (the caller writes no file).
 */
function drawFields(page: PDFPage, code: string, fields: Array<{ label: string; value: string }>, top: number, fonts: Fonts): void {
  for (const [codeSize, fieldSize] of TYPE_SIZES) {
    const lines = layout(code, fields, codeSize, fieldSize, fonts);
    const step = (line: Line) => line.size * 1.35;
    const bottom = lines.slice(1).reduce((y, line) => y - step(line), top);
    if (bottom < TEXT_BOTTOM) continue;
    let y = top;
    for (const [i, line] of lines.entries()) {
      if (i > 0) y -= step(line);
      let x = line.x;
      for (const part of line.parts) {
        page.drawText(part.text, { x, y, size: line.size, font: part.font });
        x += part.font.widthOfTextAtSize(part.text, line.size);
      }
    }
    return;
  }
  throw new AppError('USAGE', `The separator's fields do not fit on one sheet even in small type (a code of ${code.length} characters); shorten the title or the notes.`);
}

function layout(code: string, fields: Array<{ label: string; value: string }>, codeSize: number, size: number, { bold, regular }: Fonts): Line[] {
  const lines: Line[] = breakAnywhere(code, bold, codeSize, TEXT_WIDTH).map((text) => ({ x: MARGIN, size: codeSize, parts: [{ text, font: bold }] }));
  for (const { label, value } of fields) {
    // The value follows its label after a space (drawn with the value, so the PDF's text reads
    // "Year: 1987"), and wraps under its own start; under a label too wide, on lines of its own.
    const labelWidth = regular.widthOfTextAtSize(`${label} `, size);
    const indent = labelWidth < TEXT_WIDTH / 2 ? labelWidth : 0;
    const valueLines = wrapText(value, bold, size, TEXT_WIDTH - indent);
    if (indent === 0) {
      lines.push({ x: MARGIN, size, parts: [{ text: label, font: regular }] });
      lines.push(...valueLines.map((text) => ({ x: MARGIN, size, parts: [{ text, font: bold }] })));
      continue;
    }
    lines.push({ x: MARGIN, size, parts: [{ text: label, font: regular }, { text: ` ${valueLines[0] ?? ''}`, font: bold }] });
    lines.push(...valueLines.slice(1).map((text) => ({ x: MARGIN + indent, size, parts: [{ text, font: bold }] })));
  }
  return lines;
}

/** Black runs of one barcode row (0 = black), each one rectangle. */
function drawBars(page: PDFPage, row: Uint8ClampedArray, x0: number, y0: number, module: number, height: number): void {
  for (let x = 0; x < row.length; ) {
    if (row[x] !== 0) {
      x++;
      continue;
    }
    let end = x;
    while (end < row.length && row[end] === 0) end++;
    page.drawRectangle({ x: x0 + x * module, y: y0, width: (end - x) * module, height, color: rgb(0, 0, 0) });
    x = end;
  }
}

function drawMatrix(page: PDFPage, data: Uint8ClampedArray, size: number, x0: number, y0: number, module: number): void {
  for (let row = 0; row < size; row++) {
    for (let x = 0; x < size; ) {
      if (data[row * size + x] !== 0) {
        x++;
        continue;
      }
      let end = x;
      while (end < size && data[row * size + end] === 0) end++;
      // Rows from the top; PDF y grows upwards. A hair of overlap keeps renderers from drawing seams.
      page.drawRectangle({ x: x0 + x * module, y: y0 + (size - row - 1) * module, width: (end - x) * module + 0.05, height: module + 0.05, color: rgb(0, 0, 0) });
      x = end;
    }
  }
}
