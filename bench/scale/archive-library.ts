/**
 * A library of generated municipal records at archive scale, built through Acervo's own code:
 * each document's text goes through the metadata stage (title, type, dates, identifiers,
 * language, personal data, collection and year from its folders) and into the catalog as a
 * conversion would record it. The search index is not built here: `acervo reindex` builds it from
 * the catalog, as it would for a user, and the bench times that.
 *
 * Libraries are cached outside the repository ($ACERVO_BENCH_CACHE, else ~/.cache/acervo-bench),
 * one folder per size and recipe, and reused until the recipe changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../../core/catalog/catalog.js';
import { prepareLibrary } from '../../core/library.js';
import { DEFAULT_DOCUMENT_TYPES } from '../../core/metadata/document-type.js';
import { extractMetadata } from '../../core/metadata/extract-metadata.js';
import type { ConvertedDocument } from '../../core/model.js';
import { ARCHIVE_TEXT_VERSION, ArchiveText } from './archive-text.js';

export interface ArchiveLibrary {
  root: string;
  pages: number;
  documents: number;
  /** UTF-8 bytes of all page text: what the library's size is measured against. */
  textBytes: number;
  /** How long building the catalog took when it was built (it may have been cached since). */
  buildSeconds: number;
  builtAt: string;
  /** Built by this run (false: reused from the cache). */
  fresh: boolean;
}

export function benchCacheDir(): string {
  return process.env.ACERVO_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'acervo-bench');
}

/** The cached library of this many pages, built first if needed. */
export async function archiveLibrary(pages: number, log: (line: string) => void = () => {}): Promise<ArchiveLibrary> {
  const root = path.join(benchCacheDir(), `archive-${pages}-v${ARCHIVE_TEXT_VERSION}`);
  const marker = path.join(root, 'bench-library.json');
  if (existsSync(marker)) return { ...(JSON.parse(readFileSync(marker, 'utf8')) as Omit<ArchiveLibrary, 'root' | 'fresh'>), root, fresh: false };

  const building = `${root}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(path.dirname(root), { recursive: true });
  log(`  building a ${pages.toLocaleString('en')}-page library in ${root} (cached for later runs)…`);
  const started = performance.now();
  const library = await prepareLibrary(building);
  const catalog = Catalog.open(library.catalogFile);
  const text = new ArchiveText();
  const rules = { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES };
  let made = 0;
  let documents = 0;
  let textBytes = 0;
  let nextReport = 100_000;
  try {
    while (made < pages) {
      const generated = text.next();
      const pageTexts = generated.pages.slice(0, pages - made);
      const metadata = extractMetadata(generated.relativePath, pageTexts, rules);
      const pdf = `documents/${generated.relativePath.replace(/\.tif$/, '.pdf')}`;
      const document: ConvertedDocument = {
        partNo: 1,
        sourcePages: null,
        separator: null,
        tempFile: '',
        pages: pageTexts.map((pageText, i) => ({
          pageNo: i + 1, pdfPageNo: i + 1, text: pageText, confidence: pageConfidence(documents, i), textSource: 'ocr' as const,
          widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null,
        })),
        metadata,
        outputSha256: createHash('sha256').update(pdf).digest('hex'),
        outputBytes: 60_000 * pageTexts.length,
        pdfConformance: 'PDF/A-2B',
        pdfConformanceNote: null,
      };
      catalog.recordConverted({
        sourcePath: `/arquivo/${generated.relativePath}`,
        relativePath: generated.relativePath,
        mediaType: 'image/tiff',
        sha256: createHash('sha256').update(generated.relativePath).digest('hex'),
        sizeBytes: 250_000 * pageTexts.length,
        settings: '{}',
        documents: [{ outputPath: pdf, document }],
      });
      for (const page of pageTexts) textBytes += Buffer.byteLength(page);
      made += pageTexts.length;
      documents += 1;
      if (made >= nextReport) {
        log(`    ${made.toLocaleString('en')} pages, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        nextReport += 100_000;
      }
    }
    // The index is built by `acervo reindex`, which covers what the outbox holds.
    catalog.completeIndexUpdatesUpTo(catalog.outboxHighWater());
  } finally {
    catalog.close();
  }
  const built = { pages: made, documents, textBytes, buildSeconds: Math.round((performance.now() - started) / 100) / 10, builtAt: new Date().toISOString() };
  writeFileSync(path.join(building, 'bench-library.json'), `${JSON.stringify(built, null, 2)}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(building, root);
  return { ...built, root, fresh: true };
}

/**
 * A page's OCR confidence, spread as a varied archive reads: most pages 86–96, one in twelve
 * (stamps, carbons, dot matrix) under the review queue's 85. Fixed by position, so every build of
 * a size is the same library.
 */
function pageConfidence(document: number, page: number): number {
  const spread = ((document * 7919 + page * 104_729) % 1000) / 1000;
  return spread < 1 / 12 ? 55 + 360 * spread : 86 + 10 * spread;
}
