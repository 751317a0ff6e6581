/**
 * The metadata test set as scanned: each record printed on a page (samples/hard/render-page.ts),
 * most of them clean, every third one a hard page (carbon, mimeograph, specks, show-through,
 * stamps, stains, dot matrix, photocopy, phone photo, in turn), read by `acervo ingest` (the
 * built CLI), and the metadata read from what OCR found scored against the same truth. With a
 * cache (ocr-cache.ts), only the scans it has not read before are read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Catalog } from '../../core/catalog/catalog.js';
import { libraryAt } from '../../core/library.js';
import { HARD_CLASSES, renderHardPage, type HardClass } from '../../samples/hard/render-page.js';
import { projectRoot, type MetadataRecord } from './load.js';
import { OcrCache, readingFingerprint } from './ocr-cache.js';
import { scoreMetadataSet, type MetadataScores } from './score.js';

const CLI = path.join(projectRoot(), 'dist', 'cli', 'main.js');

/** Which kind of page a record is printed on: clean, and every third a hard class in turn. */
export function pageClassOf(index: number): HardClass | 'clean' {
  return index % 3 === 0 ? HARD_CLASSES[(index / 3) % HARD_CLASSES.length]! : 'clean';
}

export async function scoreScannedMetadataSet(
  records: readonly MetadataRecord[],
  classOf: (index: number) => HardClass | 'clean' = pageClassOf,
  options: { cacheDir?: string } = {},
): Promise<{ scores: MetadataScores; hard: number; read: number }> {
  const cache = options.cacheDir ? new OcrCache(options.cacheDir, readingFingerprint()) : null;
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-metadata-scanned-'));
  try {
    const scans = path.join(work, 'scans');
    mkdirSync(scans);
    let hard = 0;
    const files = new Map<string, { name: string; drawn: unknown }>();
    const pages = new Map<string, string[]>();
    for (const [index, record] of records.entries()) {
      const klass = classOf(index);
      if (klass !== 'clean') hard++;
      // Each typed line as one paragraph: a long one wraps, as a typist's would not, but nothing is lost.
      const lines = record.text.split('\n').filter((line) => line.trim());
      const drawn = { lines, klass, seed: record.id };
      const cached = cache?.get(drawn);
      if (cached) {
        pages.set(record.id, cached);
        continue;
      }
      const page = await renderHardPage(lines, klass, record.id);
      const name = `${record.id}.${page.ext}`;
      writeFileSync(path.join(scans, name), page.image);
      files.set(record.id, { name, drawn });
    }
    if (files.size > 0) {
      const library = path.join(work, 'library');
      execFileSync(process.execPath, [CLI, 'ingest', scans, '--library', library, '--quiet'], { stdio: 'inherit' });
      const catalog = Catalog.open(libraryAt(library).catalogFile);
      try {
        for (const [id, { name, drawn }] of files) {
          const document = catalog.findBySource(path.join(scans, name));
          const done = document?.status === 'done';
          const text = done ? catalog.pages(document.id).map((p) => p.text) : [];
          pages.set(id, text);
          // A page that failed is scored as read empty, but read again next time.
          if (done) cache?.set(drawn, text);
        }
      } finally {
        catalog.close();
      }
    }
    return { scores: scoreMetadataSet(records, pages), hard, read: files.size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
