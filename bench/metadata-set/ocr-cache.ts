/**
 * What OCR read from each scan of the metadata test set, kept between bench runs (outside the
 * repository, ~/.cache/acervo-bench/metadata-set-ocr) so that changing the metadata extraction is
 * re-scored in seconds instead of re-reading 155 pages.
 *
 * A reading is keyed by what the scan is drawn from (the record's lines, its page class and seed:
 * drawing is deterministic, and skipping it saves most of a re-score) and by everything that makes
 * the scan and its reading: the built code that draws a page and turns it into text (dist/ but for
 * the metadata stage and the benchmarks, which read text and never make it) and the versions of
 * the engine, its language data and sharp. Change any of them and the pages are drawn and read
 * again. Not in the key: the system's fonts (DejaVu) and libraries outside node_modules; after
 * changing those, delete the folder (ACERVO_BENCH_OCR_CACHE=off reads every page without the cache).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './load.js';

/** Beside the benchmarks' other caches ($ACERVO_BENCH_CACHE, else ~/.cache/acervo-bench). */
export const DEFAULT_OCR_CACHE = path.join(process.env.ACERVO_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'acervo-bench'), 'metadata-set-ocr');

/** Built code that only reads text already made: changing it does not change what OCR reads. */
const NOT_READING = [path.join('core', 'metadata'), 'bench', 'tests'];

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** The versions of the engine, its language data and sharp, from their package.json files. */
function engineVersions(root: string): string[] {
  const modules = path.join(root, 'node_modules');
  const names = ['tesseract.js', 'tesseract.js-core', 'sharp', ...readdirSync(path.join(modules, '@tesseract.js-data')).map((name) => `@tesseract.js-data/${name}`)];
  return names.map((name) => {
    const file = path.join(modules, name, 'package.json');
    return `${name}@${existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'absent'}`;
  });
}

/** One hash of the reading code (dist/) and the engine: the part of the key that is not the scan. */
export function readingFingerprint(root = projectRoot()): string {
  const dist = path.join(root, 'dist');
  const hash = createHash('sha256');
  for (const file of filesUnder(dist)) {
    const relative = path.relative(dist, file);
    if (NOT_READING.some((skip) => relative === skip || relative.startsWith(skip + path.sep))) continue;
    hash.update(relative).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const version of engineVersions(root)) hash.update(version).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export class OcrCache {
  private readonly dir: string;

  constructor(root: string, fingerprint: string) {
    this.dir = path.join(root, fingerprint);
  }

  /** `scan`: what the scan is drawn from, e.g. its lines, class and seed. */
  private fileOf(scan: unknown): string {
    return path.join(this.dir, `${sha256(JSON.stringify(scan))}.json`);
  }

  /** The pages read from this scan before, or undefined. */
  get(scan: unknown): string[] | undefined {
    const file = this.fileOf(scan);
    if (!existsSync(file)) return undefined;
    return (JSON.parse(readFileSync(file, 'utf8')) as { pages: string[] }).pages;
  }

  /** Keeps a reading (whole or not at all: a run stopped midway leaves no half-written file). */
  set(scan: unknown, pages: readonly string[]): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(scan);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ pages }));
    renameSync(partial, file);
  }
}
