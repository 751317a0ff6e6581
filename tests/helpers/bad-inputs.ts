/** Broken inputs of every kind a scanner room produces, made fresh for each test run. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { REPO_ROOT } from './paths.js';

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A tiny PNG whose header claims a 100000×100000 bilevel image: a decompression bomb. */
export function decompressionBombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + 12_500) * 16, 0xff); // a few rows of white; the rest would inflate from nothing
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The files that fail, and their codes. */
export const BAD_INPUTS = {
  'vazio.tif': 'INPUT_EMPTY',
  // Cut in half, its directory (written after the strips) is gone: nothing says what it held.
  'cortado.tif': 'IMAGE_CORRUPT',
  'anotacoes.pdf': 'INPUT_UNSUPPORTED',
  'protegido.pdf': 'PDF_ENCRYPTED',
  // Its first kilobyte and then junk: no end-of-file marker, no page readable.
  'corrompido.pdf': 'INPUT_TRUNCATED',
  'bomba.png': 'IMAGE_TOO_LARGE',
} as const;

/** The files cut short whose part that arrived is kept, searchable and marked incomplete (issue 27). */
export const INCOMPLETE_INPUTS = {
  'cortado.png': 'INPUT_TRUNCATED',
  'cortado.jpg': 'INPUT_TRUNCATED',
} as const;

/** Writes every bad input above into `folder`, plus `good.png` made from `goodPng`. */
export async function writeBadInputs(folder: string, goodPng: Buffer): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
  writeFileSync(path.join(folder, 'good.png'), goodPng);
  writeFileSync(path.join(folder, 'vazio.tif'), Buffer.alloc(0));
  writeFileSync(path.join(folder, 'cortado.png'), half(goodPng));
  writeFileSync(path.join(folder, 'cortado.jpg'), half(await sharp(goodPng).jpeg({ quality: 90 }).toBuffer()));
  writeFileSync(path.join(folder, 'cortado.tif'), half(await sharp(goodPng).tiff({ compression: 'lzw' }).toBuffer()));
  writeFileSync(path.join(folder, 'anotacoes.pdf'), 'Relatório de caixa — não é um PDF.\n');
  copyFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'password-protected.pdf'), path.join(folder, 'protegido.pdf'));
  const realPdf = readFileSync(path.join(REPO_ROOT, 'samples', 'scans', 'Saude', '2001', 'certidao-negativa.pdf'));
  writeFileSync(path.join(folder, 'corrompido.pdf'), Buffer.concat([realPdf.subarray(0, 1024), Buffer.alloc(4096, 0x41)]));
  writeFileSync(path.join(folder, 'bomba.png'), decompressionBombPng());
}
