/**
 * Reading pages with Acervo and with its peers, for the accuracy benches (compare.ts, hard-pages.ts):
 * each runner takes image files and returns the text it read from each (a file it failed on is
 * missing from the map), or null when the tool is not installed.
 *
 * - Acervo: the built CLI, `acervo ingest <folder> --library <dir> --quiet`, the page text read back
 *   from the catalog.
 * - Tesseract CLI: `tesseract <image> stdout -l por+spa+eng`, OMP_THREAD_LIMIT=1.
 * - OCRmyPDF: `ocrmypdf --rotate-pages --deskew [--clean] -l por+spa+eng --output-type pdf --jobs 1`,
 *   then `pdftotext -raw` (poppler-utils) on its output: content-stream order, which is the order OCRmyPDF
 *   wrote the words in. pdftotext's default reading order reshuffles words of its text layer (on the
 *   alvará sample 4.0% CER against 1.05% for the same PDF read with -raw), which is not a reading error.
 *
 * The peers run `parallel` files at a time (default 1); what they read is kept between runs (peer-cache.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog } from '../core/catalog/catalog.js';
import { libraryAt } from '../core/library.js';
import { cachedReading } from './peer-cache.js';

export const PEER_LANGUAGES = 'por+spa+eng';
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

export type PageTexts = Map<string, string>;

/** Ingests `folder` into a new library with the built CLI; returns the text of each of `files` found there. */
export function runAcervoCli(folder: string, library: string, files: readonly string[]): PageTexts {
  execFileSync(process.execPath, [CLI, 'ingest', folder, '--library', library, '--quiet'], { stdio: 'inherit' });
  const catalog = Catalog.open(libraryAt(library).catalogFile);
  try {
    const texts: PageTexts = new Map();
    for (const file of files) {
      const document = catalog.findBySource(file);
      if (document?.status === 'done') texts.set(file, catalog.pages(document.id).map((p) => p.text).join('\n'));
    }
    return texts;
  } finally {
    catalog.close();
  }
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ code: 127, stdout, stderr: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** What `command --version` prints (it keys the peers' cached readings, peer-cache.ts), or null when it is not installed. */
async function versionOf(command: string): Promise<string | null> {
  const r = await run(command, ['--version']);
  return r.code === 0 ? `${r.stdout}${r.stderr}`.trim() : null;
}

export async function isInstalled(command: string): Promise<boolean> {
  return (await versionOf(command)) !== null;
}

/** Runs `read` on every file, `parallel` at a time; keeps what it returns (undefined = failed). */
async function pool(files: readonly string[], parallel: number, read: (file: string, i: number) => Promise<string | undefined>): Promise<PageTexts> {
  const texts: PageTexts = new Map();
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const text = await read(files[i]!, i);
      if (text !== undefined) texts.set(files[i]!, text);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane));
  return texts;
}

export async function runTesseractCli(files: readonly string[], opts: { parallel?: number } = {}): Promise<PageTexts | null> {
  const version = await versionOf('tesseract');
  if (version === null) return null;
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const args = ['stdout', '-l', PEER_LANGUAGES];
  return pool(files, opts.parallel ?? 1, (file) =>
    cachedReading({ tool: 'tesseract', version, args, file }, async () => {
      const r = await run('tesseract', [file, ...args], env);
      return r.code === 0 ? r.stdout : undefined;
    }),
  );
}

/** OCRmyPDF's arguments before the input and output files. */
export function ocrmypdfArgs(clean: boolean): string[] {
  return ['--rotate-pages', '--deskew', ...(clean ? ['--clean'] : []), '-l', PEER_LANGUAGES, '--output-type', 'pdf', '--jobs', '1', '--quiet'];
}

export async function runOcrmypdf(files: readonly string[], folder: string, opts: { parallel?: number; clean?: boolean } = {}): Promise<PageTexts | null> {
  const ocrmypdf = await versionOf('ocrmypdf');
  if (ocrmypdf === null) return null;
  mkdirSync(folder, { recursive: true });
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const version = [ocrmypdf, await versionOf('tesseract'), opts.clean ? await versionOf('unpaper') : ''].join(' ');
  const args = ocrmypdfArgs(Boolean(opts.clean));
  return pool(files, opts.parallel ?? 1, (file, i) =>
    cachedReading({ tool: 'ocrmypdf', version, args, file }, async () => {
      const out = path.join(folder, `${i}-${path.basename(file)}.pdf`);
      const r = await run('ocrmypdf', [...args, file, out], env);
      if (r.code !== 0) return undefined;
      const text = await run('pdftotext', ['-raw', '-enc', 'UTF-8', out, '-']);
      return text.code === 0 ? text.stdout : undefined;
    }),
  );
}
