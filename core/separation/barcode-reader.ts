/** Barcodes on a page, read by ZXing-C++ compiled to WebAssembly (zxing-wasm). */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import sharp from 'sharp';
import type { PageRaster } from '../model.js';
import { zxingWasmBinary } from './zxing-wasm.js';

let prepared = false;

function prepare(): void {
  if (prepared) return;
  prepareZXingModule({ overrides: { wasmBinary: zxingWasmBinary('reader') } });
  prepared = true;
}

/**
 * Pages are looked at with at most this many pixels: a separator sheet's codes are large, and a
 * 150-megapixel scan would otherwise cost 600 MB of RGBA.
 */
const MAX_PIXELS = 12e6;

/** The texts of the Code 128 and QR codes ZXing can read on the page, in its order. */
export async function readPageBarcodes(raster: PageRaster): Promise<string[]> {
  prepare();
  const pixels = raster.width * raster.height;
  const scale = pixels > MAX_PIXELS ? Math.sqrt(MAX_PIXELS / pixels) : 1;
  let image = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  if (scale < 1) image = image.resize(Math.max(1, Math.round(raster.width * scale)), Math.max(1, Math.round(raster.height * scale)), { kernel: 'linear' });
  // ZXing takes RGBA, in the shape of a DOM ImageData.
  const { data, info } = await image.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const imageData = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0];
  const found = await readBarcodes(imageData, { formats: ['Code128', 'QRCode'], tryHarder: true, tryRotate: true, maxNumberOfSymbols: 4 });
  return found.filter((barcode) => barcode.isValid).map((barcode) => barcode.text);
}
