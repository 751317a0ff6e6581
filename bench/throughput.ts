/**
 * Throughput: Acervo on a batch of scans against the tools an archive would otherwise use, on
 * the same pages and the same machine, all cores busy for each.
 *
 * - Acervo: the batch through the same path as `acervo ingest` (ingest-child.ts), default settings.
 * - Tesseract CLI: `tesseract <scan> <out> -l por+spa+eng pdf` per file, one process per core
 *   (OMP_THREAD_LIMIT=1, as OCRmyPDF runs it), with Debian's language data and again with the
 *   very models Acervo reads with (tessdata best_int from the npm packages): the engine's own cost,
 *   without orientation or deskew.
 * - OCRmyPDF: `ocrmypdf --rotate-pages --deskew -l por+spa+eng --output-type pdf --jobs 1` per file,
 *   one process per core (PDF/A output, its default, would add Ghostscript's time).
 *
 * CPU seconds of the peers come from bash's `times` (the children's user + system time).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { languageDataFile } from '../core/ocr/language-data.js';
import type { IngestMeasure } from './ingest-child.js';

export const LANGUAGES = ['por', 'spa', 'eng'];
const IMAGE = /\.(png|jpe?g|tiff?)$/i;

export interface Batch {
  folder: string;
  files: string[];
  pages: number;
}

/**
 * At least `minPages` pages: the sample scans (images only, so every peer reads the same files)
 * copied round after round into folders of their own, as boxes of a day's scanning would be.
 */
export async function makeBatch(samples: string, folder: string, minPages: number): Promise<Batch> {
  const sources = listFiles(samples).filter((f) => IMAGE.test(f));
  const pagesOf = new Map<string, number>();
  for (const file of sources) pagesOf.set(file, (await sharp(file).metadata()).pages ?? 1);
  const files: string[] = [];
  let pages = 0;
  for (let round = 1; pages < minPages; round++) {
    for (const source of sources) {
      const target = path.join(folder, `caixa-${String(round).padStart(2, '0')}`, path.relative(samples, source));
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(source, target);
      files.push(target);
      pages += pagesOf.get(source)!;
    }
  }
  return { folder, files, pages };
}

export function listFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const file = path.join(folder, name);
      return statSync(file).isDirectory() ? listFiles(file) : [file];
    });
}

/** One measured Acervo ingest in a process of its own (ingest-child.ts). */
export async function runAcervo(inputs: readonly string[], jobs?: number): Promise<IngestMeasure> {
  const child = fileURLToPath(new URL('./ingest-child.js', import.meta.url));
  const args = [child, ...(jobs ? ['--jobs', String(jobs)] : []), ...inputs];
  const { code, stdout, stderr } = await run(process.execPath, args, process.env);
  if (code !== 0) throw new Error(`the measured ingest failed: ${stderr.trim()}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as IngestMeasure;
}

export interface PeerMeasure {
  name: string;
  files: number;
  failed: number;
  elapsedSeconds: number;
  cpuSeconds: number;
}

/** Runs `commandFor(file)` for every file, `parallel` at a time, each under bash to read its CPU time. */
async function runPool(name: string, files: readonly string[], parallel: number, commandFor: (file: string, i: number) => string[], env: NodeJS.ProcessEnv): Promise<PeerMeasure> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let cpuSeconds = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const command = commandFor(files[i]!, i).map(shellQuote).join(' ');
      // `times` prints the shell's and then its children's user and system time.
      const result = await run('bash', ['-c', `${command} >/dev/null 2>&1; status=$?; times; exit $status`], env);
      if (result.code !== 0) failed++;
      cpuSeconds += childrenCpuSeconds(result.stdout);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return { name, files: files.length, failed, elapsedSeconds: (performance.now() - started) / 1000, cpuSeconds };
}

function childrenCpuSeconds(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').pop() ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function installed(command: string): Promise<boolean> {
  return run(command, ['--version'], process.env).then(
    (r) => r.code === 0,
    () => false,
  );
}

/** The Tesseract CLI with its own (Debian's) language data, or with `tessdataDir`. */
export async function runTesseractCli(batch: Batch, out: string, parallel: number, tessdataDir?: string): Promise<PeerMeasure> {
  mkdirSync(out, { recursive: true });
  const name = tessdataDir ? 'Tesseract CLI, Acervo\'s models' : 'Tesseract CLI, its own models';
  return runPool(
    name,
    batch.files,
    parallel,
    (file, i) => ['tesseract', file, path.join(out, String(i)), '-l', LANGUAGES.join('+'), ...(tessdataDir ? ['--tessdata-dir', tessdataDir] : []), 'pdf'],
    { ...process.env, OMP_THREAD_LIMIT: '1' },
  );
}

export async function runOcrmypdf(batch: Batch, out: string, parallel: number): Promise<PeerMeasure> {
  mkdirSync(out, { recursive: true });
  return runPool(
    'OCRmyPDF --rotate-pages --deskew',
    batch.files,
    parallel,
    (file, i) => ['ocrmypdf', '--rotate-pages', '--deskew', '-l', LANGUAGES.join('+'), '--output-type', 'pdf', '--jobs', '1', '--quiet', file, path.join(out, `${i}.pdf`)],
    { ...process.env, OMP_THREAD_LIMIT: '1' },
  );
}

/** Acervo's own language models (from the npm packages), unpacked where the Tesseract CLI can read them. */
export function unpackAcervoModels(folder: string): string {
  mkdirSync(folder, { recursive: true });
  for (const language of LANGUAGES) {
    writeFileSync(path.join(folder, `${language}.traineddata`), gunzipSync(readFileSync(languageDataFile(language))));
  }
  return folder;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export const CORES = os.availableParallelism();
