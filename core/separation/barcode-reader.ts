/**
 * Barcodes on a page, read by ZXing-C++ compiled to WebAssembly (zxing-wasm). The WASM file is
 * the one in node_modules: the package would fetch it from a CDN by default.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { PageRaster } from '../model.js';

const require = createRequire(import.meta.url);
let prepared = false;

function prepare(): void {
  if (prepared) return;
  const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  prepared = true;
}

/** The texts of the Code 128 and QR codes ZXing can read on the page, in its order. */
export async function readPageBarcodes(raster: PageRaster): Promise<string[]> {
  prepare();
  const { width, height } = raster;
  // ZXing takes RGBA (an ImageData-shaped object): grey or RGB pixels spread to four bytes.
  const rgba = new Uint8ClampedArray(width * height * 4);
  const { data, channels } = raster;
  for (let p = 0, s = 0; p < width * height; p++, s += channels) {
    const o = p * 4;
    rgba[o] = data[s]!;
    rgba[o + 1] = data[s + (channels === 3 ? 1 : 0)]!;
    rgba[o + 2] = data[s + (channels === 3 ? 2 : 0)]!;
    rgba[o + 3] = 255;
  }
  const image = { data: rgba, width, height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0];
  const found = await readBarcodes(image, { formats: ['Code128', 'QRCode'], tryHarder: true, tryRotate: true, maxNumberOfSymbols: 4 });
  return found.filter((barcode) => barcode.isValid).map((barcode) => barcode.text);
}
