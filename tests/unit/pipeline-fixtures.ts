/**
 * Batch scans for driving the real pipeline with the scripted OCR engine: small pages whose
 * width says which page of the batch they are (the engine's script is keyed by it), blank
 * pages, and real separator sheets, bound into one PDF in a temporary folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll } from 'vitest';
import { convertOptions } from '../../cli/runtime.js';
import { loadConfig } from '../../config/load.js';
import type { ConfigInput } from '../../config/schema.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import type { Library } from '../../core/library.js';
import type { ConvertJob, ConvertOptions, ConvertResult, ManualMetadata } from '../../core/model.js';
import { ScriptedEngine, type ScriptedImage, type ScriptedReading } from '../../core/ocr/scripted-engine.js';
import { convertDocument } from '../../core/pipeline/convert-document.js';
import { localConverter } from '../../core/pipeline/converter.js';
import type { IngestFileDeps } from '../../core/pipeline/ingest-file.js';
import { PageSlots } from '../../core/pipeline/page-slots.js';
import { separatorSheetPdf } from '../../core/separation/separator-sheet.js';
import { batchPdf, scanOfPdf, type ScannedPage } from '../helpers/batch-scan.js';

/** Text pages are small (about A6) and read at their own size: 100 DPI. */
const DPI = 100;
const HEIGHT = 600;
/** Page n of a batch is BASE_WIDTH + n pixels wide. */
const BASE_WIDTH = 420;

/** A page of the batch, as the test writes it. */
export type BatchPage =
  /** Ink in lines across, read as the script says. */
  | 'text'
  /** An empty sheet. */
  | 'blank'
  /** An empty sheet punched for a binder: two ISO 838 holes (6 mm, 12 mm in, 80 mm apart) scanned dark. */
  | 'punched'
  /** A printed separator sheet (its QR and Code 128 codes), scanned at 150 DPI. */
  | { separator: ManualMetadata | null };

/** Which page of its batch an image the engine is handed is. */
export function pageNoOf(image: ScriptedImage): number {
  return image.width - BASE_WIDTH;
}

/** An engine reading page n as `script[n]` (a page not scripted reads a line of its own). */
export function scriptedPages(script: Record<number, ScriptedReading>, concurrency = 2): ScriptedEngine {
  return new ScriptedEngine((image) => script[pageNoOf(image)] ?? `Folha ${pageNoOf(image)} do processo administrativo`, { concurrency });
}

async function textPage(pageNo: number): Promise<ScannedPage> {
  const width = BASE_WIDTH + pageNo;
  // Bars where a typed page has its lines: ink that reads as text running across.
  const lines = Array.from({ length: 8 }, (_, i) => ({ input: { create: { width: width - 120, height: 8, channels: 3 as const, background: '#202020' } }, left: 60, top: 80 + i * 50 }));
  const png = await sharp({ create: { width, height: HEIGHT, channels: 3, background: '#ffffff' } }).composite(lines).greyscale().withMetadata({ density: DPI }).png().toBuffer();
  return { png, dpi: DPI };
}

async function blankPage(pageNo: number): Promise<ScannedPage> {
  const png = await sharp({ create: { width: BASE_WIDTH + pageNo, height: HEIGHT, channels: 3, background: '#f7f5f0' } }).greyscale().withMetadata({ density: DPI }).png().toBuffer();
  return { png, dpi: DPI };
}

async function punchedPage(pageNo: number): Promise<ScannedPage> {
  const mm = (v: number) => Math.round((v * DPI) / 25.4);
  const width = BASE_WIDTH + pageNo;
  const holes = [-40, 40].map((offset) => `<circle cx="${mm(12)}" cy="${HEIGHT / 2 + mm(offset)}" r="${mm(3)}" fill="#141414"/>`).join('');
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}">${holes}</svg>`);
  const png = await sharp({ create: { width, height: HEIGHT, channels: 3, background: '#f7f5f0' } }).composite([{ input: svg }]).greyscale().withMetadata({ density: DPI }).png().toBuffer();
  return { png, dpi: DPI };
}

const separatorScans = new Map<string, Promise<ScannedPage>>();
function separatorPage(metadata: ManualMetadata | null): Promise<ScannedPage> {
  const key = JSON.stringify(metadata);
  if (!separatorScans.has(key)) separatorScans.set(key, separatorSheetPdf(metadata).then(({ pdf }) => scanOfPdf(pdf, { dpi: 150 })));
  return separatorScans.get(key)!;
}

/** The folder the running test file writes its batches in (see useBatchFolder). */
let work: string | null = null;
let batches = 0;

/**
 * Gives the calling test file a temporary folder for its batches, removed after its tests; call it
 * at the top of every file that writes batches (writeBatch, libraryWith). The hooks are the test
 * file's own: the fast tier runs its files in one process without isolation, where this module is
 * loaded once and shared, so a hook it registered itself would belong to the first file only.
 */
export function useBatchFolder(): void {
  let mine: string | null = null;
  beforeAll(() => {
    mine = mkdtempSync(path.join(os.tmpdir(), 'acervo-pipeline-'));
    work = mine;
  });
  afterAll(() => {
    if (mine) rmSync(mine, { recursive: true, force: true });
    if (work === mine) work = null;
  });
}

/** The pages bound into one PDF (as scanners write a batch), with a folder for its output. */
export async function writeBatch(pages: readonly BatchPage[]): Promise<{ file: string; folder: string }> {
  if (!work) throw new Error('writeBatch needs a folder: call useBatchFolder() at the top of the test file');
  const into = work;
  const scans = await Promise.all(pages.map((page, i) => (page === 'text' ? textPage(i + 1) : page === 'blank' ? blankPage(i + 1) : page === 'punched' ? punchedPage(i + 1) : separatorPage(page.separator))));
  const n = ++batches;
  const folder = path.join(into, `batch-${n}`);
  mkdirSync(path.join(folder, 'tmp'), { recursive: true });
  const file = path.join(folder, 'batch.pdf');
  // Each batch its own scan time: two batches of the same pages written in the same second would
  // otherwise be the same bytes, which a hot folder takes for a copy of a file it already has.
  writeFileSync(file, await batchPdf(scans, new Date(Date.UTC(2026, 0, 1) + n * 1000)));
  return { file, folder };
}

/** The job for a batch written by writeBatch, with the settings' defaults and `settings` over them. */
export function jobFor(batch: { file: string; folder: string }, settings: ConfigInput = {}): ConvertJob {
  const config = loadConfig({ env: {}, cwd: batch.folder, flags: { library: path.join(batch.folder, 'library'), ...settings } });
  return {
    source: batch.file,
    relativePath: 'Obras/1987/batch.pdf',
    mediaType: 'application/pdf',
    sha256: '0'.repeat(64),
    outputPath: path.join(batch.folder, 'out', 'batch.pdf'),
    tempDir: path.join(batch.folder, 'tmp'),
    options: convertOptions(config),
  };
}

/** convertDocument as the CLI calls it, with the scripted engine and `slots` page slots. */
export async function convert(engine: ScriptedEngine, job: ConvertJob, slots = new PageSlots(4)): Promise<ConvertResult> {
  mkdirSync(path.dirname(job.outputPath), { recursive: true });
  return convertDocument({ ocr: engine, pageSlots: slots, producer: 'Acervo test' }, job);
}

/** Pages of a written PDF: the document's own, or a split part's hidden file. */
export async function pdfPageCount(job: ConvertJob, tempFile = ''): Promise<number> {
  const file = tempFile ? path.join(path.dirname(job.outputPath), tempFile) : job.outputPath;
  return (await PDFDocument.load(await readFile(file))).getPageCount();
}

/** Files a conversion left in the output and temporary folders. */
export function leftovers(job: ConvertJob): string[] {
  return [path.dirname(job.outputPath), job.tempDir].flatMap((folder) => readdirSync(folder).map((name) => path.join(path.basename(folder), name)));
}

/** What ingestFile needs to convert in this process with the scripted engine (pages read as `script` says), the index left alone. */
export function scriptedIngest(library: Library, catalog: Catalog, convert: ConvertOptions, script: Record<number, ScriptedReading> = {}): IngestFileDeps {
  return {
    library,
    catalog,
    converter: localConverter({ ocr: scriptedPages(script), pageSlots: new PageSlots(2), producer: 'Acervo test' }, 1),
    convert,
    reservedOutputs: new Set<string>(),
    syncIndex: async () => ({ applied: 0, error: null }),
  };
}
