/**
 * One document being written: its searchable PDF and its pages. A file is one part, unless a
 * batch scan is cut at its separators; then each part is written, finished and numbered in turn.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { extractMetadata } from '../metadata/extract-metadata.js';
import type { ConvertedDocument, ConvertedPage, ConvertJob, ManualMetadata, SeparatorFound } from '../model.js';
import { SearchablePdf } from '../pdf/searchable-pdf.js';

export class DocumentPart {
  readonly pages: ConvertedPage[] = [];
  /** Pages of the original, first and last. */
  firstSourcePage = 0;
  lastSourcePage = 0;

  private constructor(
    readonly partNo: number,
    readonly pdf: SearchablePdf,
    readonly separator: SeparatorFound | null,
    /** What the separator sheet said of this document. */
    readonly metadata: ManualMetadata | null,
  ) {}

  static async start(job: ConvertJob, partNo: number, separator: SeparatorFound | null, metadata: ManualMetadata | null): Promise<DocumentPart> {
    const pdf = await SearchablePdf.create(job.tempDir, job.options.pdfFormat, { jpegQuality: job.options.jpegQuality });
    return new DocumentPart(partNo, pdf, separator, metadata);
  }

  /** Records a page of the original as this part's next page. */
  addPage(sourcePageNo: number, page: Omit<ConvertedPage, 'pageNo'>): ConvertedPage {
    if (this.pages.length === 0) this.firstSourcePage = sourcePageNo;
    this.lastSourcePage = sourcePageNo;
    const converted = { ...page, pageNo: this.pages.length + 1 };
    this.pages.push(converted);
    return converted;
  }

  /**
   * Writes the PDF's end and puts it in place: at job.outputPath when the file is not split,
   * else beside it under a hidden name of its own, for the caller to move once it knows how many
   * parts there are (beside it: the same file system for a rename, and the same folder for a
   * worker on another machine, whose own temporary folder is not the caller's).
   */
  async finish(job: ConvertJob, producer: string, split: boolean): Promise<ConvertedDocument> {
    const manual = { ...(job.manual ?? {}), ...(this.metadata ?? {}) };
    const metadata = extractMetadata(job.relativePath, this.pages.map((p) => p.text), job.options.metadata, manual);
    const tempFile = split ? `.acervo-part-${randomUUID()}.pdf` : '';
    const written = await this.pdf.finish(
      {
        title: metadata.title,
        sourceFile: job.relativePath,
        sourceSha256: job.sha256,
        pageCount: this.pdf.pageCount,
        ocrLanguages: job.options.languages,
        creatorTool: producer,
        producer,
        createdAt: new Date(),
        keywords: [metadata.collection, metadata.year?.toString(), metadata.documentType, metadata.series, metadata.box && `box ${metadata.box}`].filter((k): k is string => Boolean(k)),
        record: {
          documentType: metadata.documentType,
          date: metadata.date,
          identifiers: metadata.identifiers.map((id) => `${id.kind} ${id.value}`),
          collection: metadata.collection,
          box: metadata.box,
          notes: metadata.notes,
        },
      },
      split ? path.join(path.dirname(job.outputPath), tempFile) : job.outputPath,
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
