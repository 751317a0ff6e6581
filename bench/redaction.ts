/**
 * How long a redacted copy takes (issue 21: a 20-page record in seconds, not minutes): 20-page
 * searchable PDFs as Acervo writes them (PDF/A-2b, a 300 DPI A4 scan per page and its glyphless
 * text layer), bilevel G4, grey JPEG and colour JPEG, each page holding two CPFs, an e-mail
 * address and a telephone. Timed: the review (what the web page waits for when an archivist opens
 * it) and the whole copy (review, burning, writing), with the process's peak memory.
 *
 * The text layer is placed from the generated page's own geometry (a monospaced font), not read
 * by OCR: what is measured is the copy, not the reading.
 *
 * Then the same copies as `acervo serve` makes them (issue 26), with the event-loop delay of the
 * calling thread while each is made: made on that thread (as the server did before), a request
 * arriving meanwhile waits for the longest stretch of work; made on a redaction thread
 * (core/redaction/redaction-threads.ts), the loop stays free.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import type { OcrLine, PageRaster } from '../core/model.js';
import type { PageImage } from '../core/pdf/page-image.js';
import { SearchablePdf } from '../core/pdf/searchable-pdf.js';
import { redactPdf, reviewPdf } from '../core/redaction/redaction.js';
import { RedactionThreads } from '../core/redaction/redaction-threads.js';
import { printTable } from './table.js';

const DPI = 300;
const WIDTH = 2480;
const HEIGHT = 3508;
const SIZE = 42;
/** DejaVu Sans Mono's advance, as a part of the font size. */
const ADVANCE = 0.602;
const LEFT = 240;
const TOP = 400;
const GAP = 96;

function pageLines(n: number): string[] {
  const serial = String(100 + n).padStart(3, '0');
  return [
    'PREFEITURA MUNICIPAL DE SANTA LUZIA',
    `PROCESSO ADMINISTRATIVO Nº ${serial}/1988 - FOLHA ${n}`,
    'Requerente: José Carlos Pereira, brasileiro, casado,',
    'portador do CPF 390.533.447-05, residente na Rua das Flores 12.',
    'Cônjuge: Maria Aparecida Pereira, CPF 111.444.777-35.',
    'Contato: jose.pereira@correio.com.br, Tel. (31) 3344-5566.',
    'Requer certidão de tempo de serviço para fins de aposentadoria,',
    'conforme documentos anexos, que ficam fazendo parte deste.',
    'Nestes termos, pede deferimento.',
  ];
}

/** The page's text as OCR lines, each word where the monospaced font puts it. */
function ocrLines(lines: readonly string[]): OcrLine[] {
  const charWidth = ADVANCE * SIZE;
  return lines.map((line, i) => {
    const baseline = TOP + i * GAP;
    const words = [...line.matchAll(/\S+/g)].map((match) => ({
      text: match[0],
      box: { x0: LEFT + match.index * charWidth, y0: baseline - 0.78 * SIZE, x1: LEFT + (match.index + match[0].length) * charWidth, y1: baseline + 0.22 * SIZE },
      confidence: 95,
    }));
    const box = { x0: words[0]!.box.x0, y0: baseline - 0.78 * SIZE, x1: words[words.length - 1]!.box.x1, y1: baseline + 0.22 * SIZE };
    return { box, words, textSize: SIZE, baseline: { x0: box.x0, y0: baseline, x1: box.x1, y1: baseline } };
  });
}

async function pageImage(lines: readonly string[], kind: 'bilevel' | 'grey' | 'colour'): Promise<PageImage> {
  const text = lines
    .map((line, i) => `<text x="${LEFT}" y="${TOP + i * GAP}" font-family="DejaVu Sans Mono" font-size="${SIZE}" xml:space="preserve">${line.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`)
    .join('');
  const paper = kind === 'colour' ? '#f4ead2' : 'white';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="${paper}"/>${text}</svg>`;
  const image = sharp(Buffer.from(svg));
  if (kind === 'colour') {
    const bytes = await image.removeAlpha().jpeg({ quality: 85 }).toBuffer();
    return { kind: 'jpeg', bytes, width: WIDTH, height: HEIGHT, channels: 3 };
  }
  if (kind === 'grey') {
    const bytes = await image.greyscale().jpeg({ quality: 85 }).toBuffer();
    return { kind: 'jpeg', bytes, width: WIDTH, height: HEIGHT, channels: 1 };
  }
  const { data } = await image.greyscale().threshold(128).raw().toBuffer({ resolveWithObject: true });
  const raster: PageRaster = { width: WIDTH, height: HEIGHT, channels: 1, data, dpiX: DPI, dpiY: DPI, dpiAssumed: false };
  return { kind: 'raster', raster };
}

async function makeRecord(folder: string, pages: number, kind: 'bilevel' | 'grey' | 'colour'): Promise<string> {
  const pdf = await SearchablePdf.create(folder, 'pdfa-2b');
  for (let n = 1; n <= pages; n++) {
    const lines = pageLines(n);
    await pdf.addImagePage(await pageImage(lines, kind), DPI, DPI, ocrLines(lines));
  }
  const target = path.join(folder, `record-${kind}.pdf`);
  await pdf.finish({ title: `Processo ${kind}`, sourceFile: `${kind}.tif`, sourceSha256: '0'.repeat(64), pageCount: pages, ocrLanguages: ['por'], creatorTool: 'Acervo bench', producer: 'Acervo bench', createdAt: new Date(), keywords: [] }, target);
  return target;
}

export async function benchRedaction(pages = 20): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-redact-'));
  try {
    const rows: string[][] = [];
    const loopRows: string[][] = [];
    for (const kind of ['bilevel', 'grey', 'colour'] as const) {
      const file = await makeRecord(folder, pages, kind);
      const pdf = readFileSync(file);
      loopRows.push([`${kind} ${kind === 'bilevel' ? 'G4' : 'JPEG'}`, ...(await loopDelay(pdf))]);
      let started = performance.now();
      const review = await reviewPdf(pdf, []);
      const reviewSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const copy = await redactPdf(pdf, [], { title: 'Processo', documentId: 1, madeBy: 'bench', madeAt: new Date(), producer: 'Acervo bench' });
      const copySeconds = (performance.now() - started) / 1000;
      const boxes = review.reduce((sum, page) => sum + page.boxes.length, 0);
      rows.push([
        `${kind} ${kind === 'bilevel' ? 'G4' : 'JPEG'}`,
        String(copy.pages),
        String(boxes),
        String(copy.renderedPages),
        reviewSeconds.toFixed(2),
        copySeconds.toFixed(2),
        (copySeconds / copy.pages).toFixed(2),
        `${(pdf.length / 1024 / pages).toFixed(0)} → ${(copy.pdf.length / 1024 / pages).toFixed(0)}`,
        copy.conformance ?? 'plain',
      ]);
    }
    console.log(`Redacted copies ("cópia tarjada") of a ${pages}-page record, 300 DPI A4, 4 boxes per page (acervo redact ID -o copy.pdf)`);
    printTable(['record', 'pages', 'boxes', 'drawn by pdf.js', 'review s', 'copy s', 's/page', 'KB/page in → out', 'format'], rows);
    console.log(`  copy s: the whole copy (review, boxes burned into each page's scan, written); pages of other kinds are drawn by pdf.js, about 0.5–1 s each.`);
    console.log(`  Peak RSS of the bench so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.\n`);
    console.log(`The server's event loop while a ${pages}-page copy is made (perf_hooks.monitorEventLoopDelay, ms): on the HTTP thread (before issue 26) and on a redaction thread (now)`);
    const scanner = await scannerRecord(Math.min(pages, 5));
    loopRows.push([`scanner's PDF, ${Math.min(pages, 5)} pages drawn by pdf.js`, ...(await loopDelay(scanner))]);
    printTable(['record', 'HTTP thread: max', 'p99', 'mean', 'copy s', 'redaction thread: max', 'p99', 'mean', 'copy s'], loopRows);
    console.log(`  max: how long a request arriving during the copy could wait for the thread that answers it; sampled every 10 ms, so an idle loop reads about 10.\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Event-loop delay of this thread while `pdf` is copied on it, then on a redaction thread: max, p99, mean (ms) and seconds, for each. */
async function loopDelay(pdf: Uint8Array): Promise<string[]> {
  const facts = { title: 'Processo', documentId: 1, madeBy: 'bench', madeAt: new Date(), producer: 'Acervo bench' };
  const threads = new RedactionThreads({ threads: 1 });
  // The thread started and its modules loaded before measuring, as in a server that made a copy already.
  await threads.redact(pdf, [], facts);
  const measured = async (copy: () => Promise<unknown>) => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    await copy();
    const seconds = (performance.now() - started) / 1000;
    histogram.disable();
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    return [ms(histogram.max), ms(histogram.percentile(99)), ms(histogram.mean), seconds.toFixed(2)];
  };
  try {
    return [...(await measured(() => redactPdf(pdf, [], facts))), ...(await measured(() => threads.redact(pdf, [], facts)))];
  } finally {
    await threads.close();
  }
}

/** A scanner's PDF (not Acervo's: its pages are drawn anew by pdf.js): each page a grey JPEG scan under its text, drawn visibly. */
async function scannerRecord(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const lines = pageLines(n);
    const scan = await pageImage(lines, 'grey');
    const page = doc.addPage([595, 842]);
    if (scan.kind === 'jpeg') page.drawImage(await doc.embedJpg(scan.bytes), { x: 0, y: 0, width: 595, height: 842 });
    lines.forEach((line, i) => page.drawText(line, { x: 58, y: 744 - i * 23, size: 10, font }));
  }
  return doc.save();
}
