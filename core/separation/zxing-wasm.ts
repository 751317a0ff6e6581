/**
 * The WebAssembly of zxing-wasm's reader or writer, read from node_modules: the package would
 * fetch it from a CDN by default, and nothing is downloaded at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function zxingWasmBinary(build: 'reader' | 'writer'): ArrayBuffer {
  const bytes = readFileSync(require.resolve(`zxing-wasm/${build}/zxing_${build}.wasm`));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
