/**
 * A source PDF read from disk one page at a time, for files too large to load whole.
 *
 * Opening reads only the cross-reference data (cross-reference.ts: tables or streams, hybrid
 * files, /Prev chains of incremental updates) and the page tree (page-tree.ts), keeping per
 * object a few bytes of where it lies (xref-index.ts). Each page is then read on its own with
 * everything it refers to (page-objects.ts), object by object from their offsets or their object
 * streams (object-reader.ts), parsed with pdf-lib's own parser (object-parser.ts) into a small
 * context of its own, from which the page is copied untouched. Memory is what one page holds,
 * however long the document. Why this is ours and not a library's: README.md beside this file.
 *
 * Anything this reading cannot make sense of — no or damaged cross-reference data, an object not
 * where the cross-reference says, a page referring to an object the cross-reference does not
 * list — is an error (LazySourceError), never a guess: the caller then falls back to the page's
 * pixels (the copy would otherwise risk a page that shows less than pdf.js read from it).
 */
import type { PDFRef } from 'pdf-lib';
import { AppError } from '../../errors.js';
import { readCrossReference } from './cross-reference.js';
import { LazySourceError } from './lazy-source-error.js';
import { ObjectReader } from './object-reader.js';
import { readPageObjects } from './page-objects.js';
import { readPageRefs } from './page-tree.js';
import type { RandomAccessFile } from './random-access-file.js';
import type { SourcePage, SourcePdf } from './source-pdf.js';

export interface FileSourceLimits {
  /** Pages kept parsed for a page asked for again (the decoder hands the page it read on to be copied, so the pipeline itself does not). */
  cachedPages: number;
  cachedBytes: number;
  /** Bytes one page may need read (its objects, images included); more and it is not copied. */
  maxPageBytes: number;
  /** Objects listed by the cross-reference (a few bytes each are kept). */
  maxObjects: number;
  /** An object up to this size (to where the next one starts) is read in one go; a larger one a little at a time. */
  oneReadBytes: number;
}

const DEFAULT_LIMITS: FileSourceLimits = {
  cachedPages: 8,
  cachedBytes: 64 * 1024 * 1024,
  maxPageBytes: 256 * 1024 * 1024,
  maxObjects: 1 << 22,
  oneReadBytes: 64 * 1024 * 1024,
};

export class FileSourcePdf implements SourcePdf {
  /** Most recently used last. */
  private readonly cache = new Map<number, { page: SourcePage; bytes: number }>();

  private constructor(
    private readonly reader: ObjectReader,
    private readonly pageRefs: readonly PDFRef[],
    private readonly limits: FileSourceLimits,
  ) {}

  /** Reads the cross-reference data and the page tree; LazySourceError (or a parse error) when they cannot be read this way. */
  static async open(file: RandomAccessFile, limits: Partial<FileSourceLimits> = {}): Promise<FileSourcePdf> {
    const all = { ...DEFAULT_LIMITS, ...limits };
    const { xref, root, encrypted } = await readCrossReference(file, all.maxObjects);
    if (encrypted) throw new LazySourceError('the PDF is encrypted');
    const reader = new ObjectReader(file, xref, all.oneReadBytes);
    const pageRefs = await readPageRefs(reader, root);
    if (pageRefs.length === 0) throw new LazySourceError('the page tree holds no page');
    return new FileSourcePdf(reader, pageRefs, all);
  }

  get pageCount(): number {
    return this.pageRefs.length;
  }

  async page(index: number): Promise<SourcePage> {
    const cached = this.cache.get(index);
    if (cached) {
      this.cache.delete(index);
      this.cache.set(index, cached);
      return cached.page;
    }
    const ref = this.pageRefs[index];
    if (!ref) throw new AppError('INTERNAL', `Page ${index + 1} asked of a PDF of ${this.pageRefs.length} pages.`);
    let loaded: { page: SourcePage; bytes: number };
    try {
      loaded = await readPageObjects(this.reader, ref, this.limits.maxPageBytes);
    } catch (error) {
      throw new AppError('PDF_CORRUPT', `Page ${index + 1} of the PDF cannot be read to be copied (${(error as Error).message}).`, { cause: error, details: { page: index + 1 } });
    }
    this.cache.set(index, loaded);
    let total = 0;
    for (const entry of this.cache.values()) total += entry.bytes;
    for (const [key, entry] of this.cache) {
      if (this.cache.size <= 1 || (this.cache.size <= this.limits.cachedPages && total <= this.limits.cachedBytes)) break;
      this.cache.delete(key);
      total -= entry.bytes;
    }
    return loaded.page;
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.reader.clear();
  }
}
