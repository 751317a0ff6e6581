/**
 * One document being written: its searchable PDF and its pages. A file is one part, unless a
 * batch scan is cut at its separators; then each part is written, finished and numbered in turn.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { extractMetadata } from '../metadata/extract-metadata.js';
import type { ConvertedDocument, ConvertedPage, ConvertJob, DocumentMetadata, ManualMetadata, OcrLine, SeparatorFound } from '../model.js';
import { correctedOcrLines, linesAcross } from '../pdf/corrected-layout.js';
import { shownRecord } from '../pdf/record-metadata.js';
import { SearchablePdf } from '../pdf/searchable-pdf.js';
import { composePage } from './compose-page.js';
import type { DecodedPage } from './decode/decoded-document.js';
import type { ReadPage } from './page-reading.js';

export class DocumentPart {
  readonly pages: ConvertedPage[] = [];
  /** Pages of the original, first and last. */
  private firstSourcePage = 0;
  private lastSourcePage = 0;
  /**
   * The first blank page left out while the PDF has no page yet: put back at the end if no
   * other page comes, since a PDF needs a page.
   */
  private heldBlank: { page: DecodedPage; index: number } | null = null;

  private constructor(
    readonly partNo: number,
    private readonly pdf: SearchablePdf,
    readonly separator: SeparatorFound | null,
    /** What the separator sheet said of this document. */
    private readonly sheetMetadata: ManualMetadata | null,
    /** Staff's corrected text of this part's pages, by page number: what their text layers say. */
    private readonly correctedTexts: Readonly<Record<number, string>>,
  ) {}

  static async start(job: ConvertJob, partNo: number, separator: SeparatorFound | null, metadata: ManualMetadata | null): Promise<DocumentPart> {
    const pdf = await SearchablePdf.create(job.tempDir, job.options.pdfFormat, { jpegQuality: job.options.jpegQuality });
    return new DocumentPart(partNo, pdf, separator, metadata, job.correctedText?.[partNo] ?? {});
  }

  /**
   * Adds a page of the original as this part's next page: to the PDF (the compose stage) unless
   * it is blank and blank pages are left out, and to the part's pages always.
   */
  async add({ page, reading }: ReadPage, dropBlank: boolean): Promise<void> {
    const { ocr, cleaned } = reading;
    const corrections = cleaned?.corrections ?? null;
    const corrected = cleaned?.corrected ?? null;
    const dropped = Boolean(corrections?.blank && dropBlank);
    if (dropped && this.pdf.pageCount === 0 && !this.heldBlank) this.heldBlank = { page, index: this.pages.length };
    const pdfPageNo = dropped ? null : await composePage(this.pdf, page, this.layerLines({ page, reading }), corrected);
    if (!dropped) this.heldBlank = null;
    const raster = corrected ?? page.raster;
    if (this.pages.length === 0) this.firstSourcePage = page.pageNo;
    this.lastSourcePage = page.pageNo;
    this.pages.push({
      pageNo: this.pages.length + 1,
      pdfPageNo,
      text: ocr ? ocr.text : (page.existingText ?? ''),
      confidence: ocr ? ocr.confidence : null,
      textSource: ocr ? 'ocr' : page.existingText !== null ? 'pdf-text' : 'none',
      widthPt: corrected ? (corrected.width * 72) / corrected.dpiX : page.widthPt,
      heightPt: corrected ? (corrected.height * 72) / corrected.dpiY : page.heightPt,
      dpi: raster ? Math.max(raster.dpiX, raster.dpiY) : null,
      dpiAssumed: page.raster?.dpiAssumed ?? false,
      corrections,
    });
  }

  /**
   * The words the page's text layer says: the OCR's, or, where staff corrected the page's text
   * before (a re-ingest), the corrected words at the OCR's word places (corrected-layout.ts). The
   * catalog still gets the machine's reading. A page that keeps its source PDF's own text has no
   * layer of Acervo's to correct.
   */
  private layerLines({ page, reading }: ReadPage): readonly OcrLine[] {
    const machine = reading.ocr?.lines ?? [];
    const text = this.correctedTexts[this.pages.length + 1];
    const raster = reading.cleaned?.corrected ?? page.raster;
    if (text === undefined || raster === null || (!reading.ocr && page.existingText !== null)) return machine;
    return correctedOcrLines(machine, text) ?? linesAcross(text, { x0: 0, y0: 0, x1: raster.width, y1: raster.height });
  }

  /** The metadata stage: what the path and the pages say, the archive's records and the separator sheet winning. */
  readMetadata(job: ConvertJob): DocumentMetadata {
    const manual = { ...(job.manual ?? {}), ...(this.sheetMetadata ?? {}) };
    return extractMetadata(job.relativePath, this.pages.map((p) => p.text), job.options.metadata, manual);
  }

  /**
   * Writes the PDF's end and puts it in place: at job.outputPath when the file is not split,
   * else beside it under a hidden name of its own, for the caller to move once it knows how many
   * parts there are (beside it: the same file system for a rename, and the same folder for a
   * worker on another machine, whose own temporary folder is not the caller's).
   */
  async finish(job: ConvertJob, producer: string, split: boolean, metadata: DocumentMetadata): Promise<ConvertedDocument> {
    const held = this.heldBlank;
    if (this.pdf.pageCount === 0 && held) {
      // A blank page put back (a PDF needs a page): it says its corrected text, if staff gave it one.
      const text = this.correctedTexts[held.index + 1];
      const raster = held.page.raster;
      const lines = text !== undefined && raster ? linesAcross(text, { x0: 0, y0: 0, x1: raster.width, y1: raster.height }) : [];
      this.pages[held.index] = { ...this.pages[held.index]!, pdfPageNo: await composePage(this.pdf, held.page, lines, null) };
    }
    this.heldBlank = null;
    const tempFile = split ? `.acervo-part-${randomUUID()}.pdf` : '';
    // The PDF says what staff corrected; the catalog keeps the machine's reading (returned below) beside it.
    const shown = shownRecord(metadata, metadata.identifiers.map((id) => `${id.kind} ${id.value}`), job.corrected?.[this.partNo] ?? {});
    const written = await this.pdf.finish(
      {
        ...shown,
        sourceFile: job.relativePath,
        sourceSha256: job.sha256,
        pageCount: this.pdf.pageCount,
        ocrLanguages: job.options.languages,
        creatorTool: producer,
        producer,
        createdAt: new Date(),
      },
      split ? partFile(job, tempFile) : job.outputPath,
    );
    return {
      partNo: this.partNo,
      sourcePages: split ? { first: this.firstSourcePage, last: this.lastSourcePage } : null,
      separator: this.separator,
      tempFile,
      pages: this.pages,
      metadata,
      outputSha256: written.sha256,
      outputBytes: written.bytes,
      pdfConformance: written.conformance,
      pdfConformanceNote: written.notConformingBecause,
    };
  }

  async discard(): Promise<void> {
    await this.pdf.discard();
  }
}

/** Removes a finished part's hidden file, when the conversion failed after it. */
export async function removePartFile(job: ConvertJob, document: ConvertedDocument): Promise<void> {
  if (document.tempFile) await rm(partFile(job, document.tempFile), { force: true });
}

function partFile(job: ConvertJob, tempFile: string): string {
  return path.join(path.dirname(job.outputPath), tempFile);
}
