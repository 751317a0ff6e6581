/**
 * A page's picture as a PDF image XObject, without needless recompression:
 * JPEG scans are passed through byte for byte, and so are G4 TIFF pages; other bilevel pages are
 * encoded as G4 (g4.ts); grey and colour pages keep every pixel (Flate, with PNG predictors made
 * by libvips, as img2pdf does) unless a JPEG at the configured quality takes at most half the
 * bytes — a photographed or stained page, where lossless costs megabytes for paper texture.
 */
import { deflateSync } from 'node:zlib';
import { PDFRawStream, type PDFContext, type PDFRef } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../errors.js';
import type { PageRaster } from '../model.js';
import { encodeG4, type G4Image } from './g4.js';

export type PageImage =
  | { kind: 'jpeg'; bytes: Buffer; width: number; height: number; channels: 1 | 3 }
  | { kind: 'g4'; image: G4Image }
  | { kind: 'raster'; raster: PageRaster };

export interface ImageEncoding {
  /** JPEG quality (1–100) a grey or colour page may be recompressed at when that halves its size; null: always lossless. */
  jpegQuality: number | null;
}

/** A lossy copy must save at least this much to be worth it. */
const LOSSY_AT_MOST = 0.5;

export interface ImageXObject {
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB';
  bitsPerComponent: 1 | 8;
  filter: 'DCTDecode' | 'FlateDecode' | 'CCITTFaxDecode';
  decodeParms?: { Predictor: number; Colors: number; BitsPerComponent: number; Columns: number } | { K: -1; Columns: number; Rows: number; BlackIs1: boolean };
  data: Uint8Array;
}

/** Quality for pages that were JPEG and had to be re-encoded (turned): visually lossless. */
const JPEG_REENCODE_QUALITY = 90;

/**
 * The raster for libvips, keeping its channels: one-channel raw input is otherwise written out as
 * three-channel sRGB, which a PDF that says DeviceGray shows as garbage.
 */
function rawImage(raster: PageRaster): Sharp {
  const image = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  return raster.channels === 1 ? image.toColourspace('b-w') : image;
}

/** A raster as a JPEG page image: for scans that came as JPEG, so a turned page stays as compact. */
export async function jpegPageImage(raster: PageRaster): Promise<PageImage> {
  const bytes = await rawImage(raster).jpeg({ quality: JPEG_REENCODE_QUALITY, chromaSubsampling: '4:4:4' }).toBuffer();
  const { channels } = await sharp(bytes).metadata();
  if (channels !== raster.channels) throw new AppError('INTERNAL', `A page re-encoded as JPEG has ${channels} channels where the page has ${raster.channels}.`);
  return { kind: 'jpeg', bytes, width: raster.width, height: raster.height, channels: raster.channels };
}

/** True when a grey raster holds only black and white. */
export function isBilevel(raster: PageRaster): boolean {
  if (raster.channels !== 1) return false;
  const data = raster.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && v !== 255) return false;
  }
  return true;
}

export async function encodePageImage(image: PageImage, encoding: ImageEncoding = { jpegQuality: null }): Promise<ImageXObject> {
  if (image.kind === 'jpeg') return jpegXObject(image.bytes, image.width, image.height, image.channels);
  if (image.kind === 'g4') return g4XObject(image.image);
  const { raster } = image;
  if (isBilevel(raster)) {
    const g4 = await encodeG4(raster);
    return g4 ? g4XObject(g4) : encodeBilevel(raster);
  }
  const lossless = await encodeLossless(raster);
  if (encoding.jpegQuality === null) return lossless;
  const jpeg = await rawImage(raster).jpeg({ quality: encoding.jpegQuality, chromaSubsampling: '4:4:4' }).toBuffer();
  return jpeg.length <= LOSSY_AT_MOST * lossless.data.length ? jpegXObject(jpeg, raster.width, raster.height, raster.channels) : lossless;
}

function jpegXObject(bytes: Buffer, width: number, height: number, channels: 1 | 3): ImageXObject {
  return { width, height, colorSpace: channels === 1 ? 'DeviceGray' : 'DeviceRGB', bitsPerComponent: 8, filter: 'DCTDecode', data: bytes };
}

function g4XObject(image: G4Image): ImageXObject {
  return {
    width: image.width,
    height: image.height,
    colorSpace: 'DeviceGray',
    bitsPerComponent: 1,
    filter: 'CCITTFaxDecode',
    decodeParms: { K: -1, Columns: image.width, Rows: image.height, BlackIs1: image.blackIs1 },
    data: image.data,
  };
}

/** 1 bit per pixel with Flate: for a page too tall for one G4 strip. */
function encodeBilevel(raster: PageRaster): ImageXObject {
  const rowBytes = Math.ceil(raster.width / 8);
  const packed = Buffer.alloc(rowBytes * raster.height);
  for (let y = 0; y < raster.height; y++) {
    const row = y * raster.width;
    const out = y * rowBytes;
    for (let x = 0; x < raster.width; x++) {
      // DeviceGray at 1 bit: 1 is white.
      if (raster.data[row + x] === 255) packed[out + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return {
    width: raster.width,
    height: raster.height,
    colorSpace: 'DeviceGray',
    bitsPerComponent: 1,
    filter: 'FlateDecode',
    data: deflateSync(packed, { level: 6 }),
  };
}

async function encodeLossless(raster: PageRaster): Promise<ImageXObject> {
  const png = await rawImage(raster).png({ compressionLevel: 6, adaptiveFiltering: true, palette: false }).toBuffer();
  // IHDR: 8-bit, colour type 0 (grey) or 2 (RGB), not interlaced: what the DecodeParms below describe.
  const [depth, colourType, interlace] = [png[24], png[25], png[28]];
  if (depth !== 8 || colourType !== (raster.channels === 1 ? 0 : 2) || interlace !== 0) {
    throw new AppError('INTERNAL', `libvips wrote a PNG of depth ${depth}, colour type ${colourType}, interlace ${interlace} for a ${raster.channels}-channel page.`);
  }
  return {
    width: raster.width,
    height: raster.height,
    colorSpace: raster.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
    bitsPerComponent: 8,
    filter: 'FlateDecode',
    decodeParms: { Predictor: 15, Colors: raster.channels, BitsPerComponent: 8, Columns: raster.width },
    data: pngImageData(png),
  };
}

/** The zlib stream of a PNG (its IDAT chunks joined): PDF's Flate with PNG predictors reads it as is. */
function pngImageData(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') parts.push(png.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return Buffer.concat(parts);
}

/** The encoded image as an image XObject in `context`; its reference. */
export function registerImageXObject(context: PDFContext, xobject: ImageXObject): PDFRef {
  const dict = context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: xobject.width,
    Height: xobject.height,
    ColorSpace: xobject.colorSpace,
    BitsPerComponent: xobject.bitsPerComponent,
    Filter: xobject.filter,
    ...(xobject.decodeParms ? { DecodeParms: xobject.decodeParms } : {}),
  });
  return context.register(PDFRawStream.of(dict, xobject.data));
}
