/**
 * A page as Acervo writes a scan (searchable-pdf.ts `addImagePage`): one image over the whole
 * upright page and, besides it, only the invisible glyphless text layer. Such a page's boxes are
 * burned straight into the image's own pixels — decoded by libvips, painted, encoded again in the
 * image's own kind (G4 stays G4, JPEG stays JPEG, lossless stays lossless) — with no drawing of
 * the page, no resampling, and in a fraction of the time. Any other page is drawn by pdf.js
 * (burned-page.ts).
 *
 * The page is recognised by a whitelist, line by line, of what Acervo's writer puts in the content
 * stream: anything else (another image, a path, visible text, an unknown operator) and the page is
 * drawn instead.
 */
import { crc32, inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFContext, type PDFPageLeaf } from 'pdf-lib';
import sharp from 'sharp';
import type { PageRaster } from '../model.js';

export interface ScanImage {
  /** The image's pixels, as its page shows them (grey, or RGB). */
  raster: PageRaster;
  /** How the image was stored: its copy is stored the same way. */
  kind: 'g4' | 'jpeg' | 'lossless' | 'bilevel';
}

/** Lines of the content stream Acervo's writer produces: the image drawn once, then the invisible text. */
const IMAGE_LINE = /^q ([\d.]+) 0 0 ([\d.]+) 0 0 cm \/(\w+) Do Q$/;
const TEXT_LINES = [/^q$/, /^Q$/, /^BT$/, /^ET$/, /^3 Tr$/, /^\/\w+ [\d.]+ Tf$/, /^-?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ (?:Tm|cm)$/, /^[\d.]+ Tz$/, /^<[0-9A-Fa-f]*> Tj$/];

/** The page's image, decoded, when the page is a scan as Acervo writes it; null otherwise. */
export async function scanImageOf(context: PDFContext, leaf: PDFPageLeaf): Promise<ScanImage | null> {
  if ((leaf.Rotate()?.asNumber() ?? 0) % 360 !== 0 || leaf.get(PDFName.of('CropBox'))) return null;
  const media = leaf.MediaBox()?.asArray().map((value) => (value instanceof PDFNumber ? value.asNumber() : NaN));
  if (!media || media.length !== 4 || media[0] !== 0 || media[1] !== 0) return null;
  const content = contentText(context, leaf);
  if (content === null) return null;
  const [first, ...rest] = content.split('\n').filter((line) => line.trim() !== '');
  const drawn = first ? IMAGE_LINE.exec(first.trim()) : null;
  if (!drawn || Math.abs(Number(drawn[1]) - media[2]!) > 0.01 || Math.abs(Number(drawn[2]) - media[3]!) > 0.01) return null;
  if (!rest.every((line) => TEXT_LINES.some((pattern) => pattern.test(line.trim())))) return null;
  // Text is drawn visibly until a 3 Tr says otherwise.
  const firstShow = rest.findIndex((line) => line.trim().endsWith(' Tj'));
  if (firstShow >= 0 && !rest.slice(0, firstShow).some((line) => line.trim() === '3 Tr')) return null;
  const xobjects = leaf.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  const ref = xobjects?.get(PDFName.of(drawn[3]!));
  const image = ref instanceof PDFRef ? context.lookup(ref) : undefined;
  return image instanceof PDFRawStream ? decodeImage(image) : null;
}

function contentText(context: PDFContext, leaf: PDFPageLeaf): string | null {
  const contents = leaf.get(PDFName.of('Contents'));
  const resolved = contents instanceof PDFRef ? context.lookup(contents) : contents;
  const refs = resolved instanceof PDFArray ? resolved.asArray() : [contents];
  let text = '';
  for (const ref of refs) {
    const stream = ref instanceof PDFRef ? context.lookup(ref) : undefined;
    if (!(stream instanceof PDFRawStream)) return null;
    try {
      text += `${Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')}\n`;
    } catch {
      return null;
    }
  }
  return text;
}

const name = (dict: PDFDict, key: string) => dict.lookup(PDFName.of(key));
const number = (dict: PDFDict | undefined, key: string) => {
  const value = dict?.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
};

/** The image's pixels, for the kinds Acervo's writer stores (page-image.ts); null for any other. */
async function decodeImage(image: PDFRawStream): Promise<ScanImage | null> {
  const dict = image.dict;
  if (name(dict, 'Subtype') !== PDFName.of('Image') || dict.get(PDFName.of('SMask')) || dict.get(PDFName.of('Mask')) || dict.get(PDFName.of('Decode')) || dict.get(PDFName.of('ImageMask'))) return null;
  const width = number(dict, 'Width');
  const height = number(dict, 'Height');
  const bits = number(dict, 'BitsPerComponent');
  const space = name(dict, 'ColorSpace');
  const channels = space === PDFName.of('DeviceGray') ? 1 : space === PDFName.of('DeviceRGB') ? 3 : 0;
  if (!width || !height || !channels) return null;
  const filter = name(dict, 'Filter');
  const parms = dict.lookupMaybe(PDFName.of('DecodeParms'), PDFDict);
  const raster = (data: Buffer, dpi = 0): PageRaster => ({ width, height, channels: channels as 1 | 3, data, dpiX: dpi, dpiY: dpi, dpiAssumed: true });
  // libvips hands a grey image out as sRGB unless told otherwise.
  const pixels = (input: Buffer) => (channels === 1 ? sharp(input).greyscale() : sharp(input)).raw().toBuffer({ resolveWithObject: true });
  try {
    if (filter === PDFName.of('DCTDecode') && bits === 8) {
      const { data, info } = await pixels(Buffer.from(image.contents));
      return info.width === width && info.height === height && info.channels === channels ? { raster: raster(data), kind: 'jpeg' } : null;
    }
    if (filter === PDFName.of('CCITTFaxDecode') && bits === 1 && channels === 1 && number(parms, 'K') === -1) {
      const blackIs1 = parms?.lookup(PDFName.of('BlackIs1'))?.toString() === 'true';
      const tiff = g4Tiff(Buffer.from(image.contents), width, height, blackIs1);
      const { data, info } = await pixels(tiff);
      return info.width === width && info.height === height && info.channels === 1 ? { raster: raster(data), kind: 'g4' } : null;
    }
    if (filter === PDFName.of('FlateDecode') && bits === 8 && number(parms, 'Predictor') === 15 && number(parms, 'Colors') === channels && number(parms, 'Columns') === width) {
      const { data, info } = await pixels(pngOf(Buffer.from(image.contents), width, height, channels));
      return info.width === width && info.height === height && info.channels === channels ? { raster: raster(data), kind: 'lossless' } : null;
    }
    if (filter === PDFName.of('FlateDecode') && bits === 1 && channels === 1 && !parms) {
      const packed = inflateSync(image.contents);
      const rowBytes = Math.ceil(width / 8);
      if (packed.length < rowBytes * height) return null;
      const data = Buffer.alloc(width * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = packed[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7)) ? 255 : 0;
      return { raster: raster(data), kind: 'bilevel' };
    }
  } catch {
    return null;
  }
  return null;
}

/** A one-strip little-endian TIFF around a G4 stream, for libtiff to decode. */
function g4Tiff(data: Buffer, width: number, height: number, blackIs1: boolean): Buffer {
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 1],
    [259, 3, 4],
    [262, 3, blackIs1 ? 1 : 0],
    [273, 4, 0], // strip offset, set below
    [277, 3, 1],
    [278, 4, height],
    [279, 4, data.length],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const header = Buffer.alloc(8 + ifdSize);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  header.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    header.writeUInt16LE(tag, at);
    header.writeUInt16LE(type, at + 2);
    header.writeUInt32LE(1, at + 4);
    const stored = tag === 273 ? header.length : value;
    if (type === 3) header.writeUInt16LE(stored, at + 8);
    else header.writeUInt32LE(stored, at + 8);
  });
  return Buffer.concat([header, data]);
}

/** A PNG around a PDF Flate stream with PNG predictors (what page-image.ts writes from a PNG's IDAT). */
function pngOf(idat: Buffer, width: number, height: number, channels: 1 | 3): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed) >>> 0);
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
