/**
 * `npm run bench -- --long-document 50,500`: peak memory against a document's length. For each
 * size, one multi-page TIFF (grey, LZW, 300 DPI A4: the heaviest kind of page to decode and
 * keep) and two scanned PDFs (a JPEG per page, as scanners write them), one with object streams
 * and a cross-reference stream (pdf-lib's way), one with a plain cross-reference table and each
 * page's objects between the scans (many scanners' way), are made from the sample scans and
 * ingested, each in a process of its own (ingest-child.ts). Flat memory means the peak hardly
 * moves from the short document to the long one.
 *
 * The PDFs are read the way large PDFs are (by byte ranges, page by page: pdf-decoder.ts) at
 * every size, so that short and long are measured on the same path: ACERVO_PDF_WHOLE_LOAD_MB is
 * set to 0 for them unless already set (set it to e.g. 100000 to measure reading them whole).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { printTable } from './table.js';
import { listFiles, runAcervo } from './throughput.js';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'scans');
const A4_300DPI = { width: 2480, height: 3508 };
const POINTS_PER_PIXEL = 72 / 300;

export async function benchLongDocuments(sizes: readonly number[], jobs: number | undefined): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-long-'));
  try {
    const pages = await a4Pages(path.join(work, 'pages'));
    const rows: string[][] = [];
    const wholeLoadMb = process.env.ACERVO_PDF_WHOLE_LOAD_MB ?? '0';
    console.log(`  PDFs up to ${wholeLoadMb} MB read whole (ACERVO_PDF_WHOLE_LOAD_MB), larger ones by byte ranges`);
    for (const size of sizes) {
      for (const kind of ['TIFF', 'PDF', 'PDF, xref table'] as const) {
        const file = path.join(work, `long-${size}.${kind === 'TIFF' ? 'tiff' : kind === 'PDF' ? 'pdf' : 'table.pdf'}`);
        if (kind === 'TIFF') await writeTiff(pages, size, file);
        else await writePdf(pages, size, file, kind === 'PDF');
        const m = kind === 'TIFF' ? await runAcervo([file], jobs) : await withEnv('ACERVO_PDF_WHOLE_LOAD_MB', wholeLoadMb, () => runAcervo([file], jobs));
        rows.push([
          `${kind}, ${size} pages`,
          `${(statSync(file).size / 1e6).toFixed(0)} MB`,
          `${m.pages}${m.failed ? ' (failed)' : ''}`,
          (m.pages / (m.elapsedSeconds / 60)).toFixed(1),
          `${m.peakRssMB.toFixed(0)} MB`,
        ]);
        console.log(`  long ${kind}, ${size} pages: ${m.pages} read, peak RSS ${m.peakRssMB.toFixed(0)} MB`);
        for (const error of m.errors) console.log(`  ${kind}, ${size} pages failed: ${error}`);
        rmSync(file, { force: true });
      }
    }
    console.log('\nLong documents: peak memory against length');
    printTable(['document', 'file', 'pages read', 'pages/min', 'peak memory (RSS)'], rows);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Each sample image's first page, grey, laid on an A4 sheet at 300 DPI. Kept as three equal
 * bands: libvips joins one-band pages into a TIFF with a spurious alpha band.
 */
async function a4Pages(folder: string): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const sources = listFiles(SAMPLES).filter((f) => /\.(png|jpe?g|tiff?)$/i.test(f));
  const pages: string[] = [];
  for (const [i, source] of sources.entries()) {
    const page = path.join(folder, `${i}.png`);
    await sharp(source, { page: 0 }).greyscale().resize({ ...A4_300DPI, fit: 'contain', background: '#ffffff' }).png().toFile(page);
    pages.push(page);
  }
  return pages;
}

function cycle(pages: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => pages[i % pages.length]!);
}

/** libvips writes the pages one after another, reading each only when it gets to it. */
async function writeTiff(pages: readonly string[], count: number, file: string): Promise<void> {
  await sharp(cycle(pages, count), { join: { animated: true } })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw', predictor: 'horizontal', xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'inch' })
    .toFile(file);
}

/** The measured child inherits this process's environment. */
async function withEnv<T>(name: string, value: string, work: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

async function writePdf(pages: readonly string[], count: number, file: string, objectStreams: boolean): Promise<void> {
  const jpegs = await Promise.all(pages.map((page) => sharp(page).toColourspace('b-w').jpeg({ quality: 80 }).toBuffer()));
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) {
    // Each page its own image object, as in a scanned PDF.
    const image = await doc.embedJpg(jpegs[i % jpegs.length]!);
    const page = doc.addPage([A4_300DPI.width * POINTS_PER_PIXEL, A4_300DPI.height * POINTS_PER_PIXEL]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  writeFileSync(file, await doc.save({ useObjectStreams: objectStreams }));
}
