/**
 * The work of one document, from its file to its searchable PDF:
 *
 *     decode pages → clean page → recognize → compose PDF → extract metadata → write PDF
 *
 * A plain function of (context, job) → result: it touches neither the catalog nor the index,
 * so the same job can run in a worker anywhere.
 */
import { createHash } from 'node:crypto';
import { extractMetadata } from '../metadata/extract-metadata.js';
import type { ConvertedPage, ConvertJob, ConvertResult, OcrLine, OcrPage, PageRaster } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { mapOcrPage } from '../ocr/map-ocr-page.js';
import { jpegPageImage } from '../pdf/page-image.js';
import { SearchablePdf } from '../pdf/searchable-pdf.js';
import { cleanPage, type CleanedPage } from './clean/clean-page.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { openDocument } from './decode/open-document.js';
import { StageClock } from './stage-clock.js';
import { writeFileAtomic } from '../files.js';

export interface ConvertContext {
  ocr: OcrEngine;
  /** Identifies the software in the PDFs it writes. */
  producer: string;
}

interface PageReading {
  ocr: OcrPage | null;
  cleaned: CleanedPage | null;
}

export async function convertDocument(context: ConvertContext, job: ConvertJob, onPage?: () => void): Promise<ConvertResult> {
  const clock = new StageClock();
  const document = await clock.time('decode', () => openDocument(job.source, job.mediaType, job.options));
  try {
    const pdf = await SearchablePdf.create();
    const pages: ConvertedPage[] = [];

    const readPage = async (page: DecodedPage): Promise<PageReading> => {
      if (!page.raster) return { ocr: null, cleaned: null };
      const cleaned = await clock.time('clean', () => cleanPage(page.raster!, job.options, context.ocr));
      if (!cleaned.input) return { ocr: null, cleaned };
      const started = performance.now();
      const ocr = await context.ocr.recognize(cleaned.input);
      clock.add('recognize', ocr.durationMs ?? performance.now() - started);
      return { ocr: mapOcrPage(ocr, cleaned.toRaster), cleaned };
    };

    let pdfPages = 0;
    const addToPdf = async (page: DecodedPage, lines: readonly OcrLine[], corrected: PageRaster | null) => {
      await clock.time('compose', async () => {
        if (corrected) {
          // The page had to be turned: the PDF shows the turned image, in the original's kind.
          const image = page.visual.kind === 'image' && page.visual.image.kind === 'jpeg' ? await jpegPageImage(corrected) : ({ kind: 'raster', raster: corrected } as const);
          await pdf.addImagePage(image, corrected.dpiX, corrected.dpiY, lines);
        } else if (page.visual.kind === 'image') {
          await pdf.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, lines);
        } else {
          await pdf.addCopiedPage(document.sourcePdf!, page.visual.index, lines, page.rasterToPage);
        }
      });
      return ++pdfPages;
    };
    // A dropped blank page is held back while the PDF is still empty: if every page is blank,
    // the first one is kept, since a PDF needs a page.
    let heldBlank: { page: DecodedPage; index: number } | null = null;

    const composePage = async (page: DecodedPage, { ocr, cleaned }: PageReading) => {
      const lines = ocr?.lines ?? [];
      const corrections = cleaned?.corrections ?? null;
      const corrected = cleaned?.corrected ?? null;
      const dropped = Boolean(corrections?.blank && job.options.dropBlank);
      const index = pages.length;
      if (dropped && pdfPages === 0 && !heldBlank) heldBlank = { page, index };
      const pdfPageNo = dropped ? null : await addToPdf(page, lines, corrected);
      if (!dropped) heldBlank = null;
      const raster = corrected ?? page.raster;
      pages.push({
        pageNo: page.pageNo,
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
      onPage?.();
    };

    // Pages of one document are read by several OCR workers at once, composed in order;
    // the window bounds how many decoded pages sit in memory.
    const window = Math.max(1, context.ocr.concurrency);
    const inFlight: Array<{ page: DecodedPage; ocr: Promise<PageReading> }> = [];
    const iterator = document.pages();
    for (;;) {
      const next = await clock.time('decode', () => iterator.next());
      if (next.done) break;
      const ocr = readPage(next.value);
      ocr.catch(() => {}); // awaited below, in order; this only keeps it from counting as unhandled meanwhile
      inFlight.push({ page: next.value, ocr });
      if (inFlight.length >= window) {
        const oldest = inFlight.shift()!;
        await composePage(oldest.page, await oldest.ocr);
      }
    }
    for (const pending of inFlight.splice(0)) await composePage(pending.page, await pending.ocr);
    if (pdfPages === 0 && heldBlank) {
      const kept: { page: DecodedPage; index: number } = heldBlank;
      pages[kept.index] = { ...pages[kept.index]!, pdfPageNo: await addToPdf(kept.page, [], null) };
    }

    const metadata = clock.timeSync('metadata', () => extractMetadata(job.relativePath, pages.map((p) => p.text), job.options.metadata, job.manual));
    const bytes = await clock.time('compose', () =>
      pdf.save({
        title: metadata.title,
        sourceFile: job.relativePath,
        sourceSha256: job.sha256,
        pageCount: pdfPages,
        ocrLanguages: job.options.languages,
        creatorTool: context.producer,
        producer: context.producer,
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
      }),
    );
    await clock.time('compose', () => writeFileAtomic(job.outputPath, bytes, job.tempDir));
    return {
      pages,
      metadata,
      outputSha256: createHash('sha256').update(bytes).digest('hex'),
      outputBytes: bytes.length,
      timings: clock.timings,
    };
  } finally {
    await document.close();
  }
}
