/**
 * The work of one document, from its file to its searchable PDF:
 *
 *     decode pages → read page (clean, recognize) → compose PDF → extract metadata → write PDF
 *
 * A plain function of (context, job) → result: it touches neither the catalog nor the index,
 * so the same job can run in a worker anywhere.
 */
import { extractMetadata } from '../metadata/extract-metadata.js';
import type { ConvertedPage, ConvertJob, ConvertResult, OcrLine, OcrPage, PageRaster } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { mapOcrPage } from '../ocr/map-ocr-page.js';
import { jpegPageImage } from '../pdf/page-image.js';
import { SearchablePdf } from '../pdf/searchable-pdf.js';
import type { CleanedPage } from './clean/clean-page.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { openDocument } from './decode/open-document.js';
import type { PageSlots } from './page-slots.js';
import { readPage } from './read-page.js';
import { StageClock } from './stage-clock.js';

export interface ConvertContext {
  ocr: OcrEngine;
  /** Shared by every document the process converts at once. */
  pageSlots: PageSlots;
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
  let pdf: SearchablePdf | null = null;
  /** Page slots this document holds: given back whatever happens. */
  let held = 0;
  try {
    pdf = await SearchablePdf.create(job.tempDir, job.options.pdfFormat, { jpegQuality: job.options.jpegQuality });
    const output = pdf;
    const pages: ConvertedPage[] = [];

    let orientationChecks = 0;
    const read = async (page: DecodedPage): Promise<PageReading> => {
      if (!page.raster) return { ocr: null, cleaned: null };
      const { cleaned, ocr, orientationChecked } = await readPage(
        page.raster,
        job.options,
        context.ocr,
        (stage, work) => clock.time(stage, work),
        (wallMs, cpu) => clock.add('recognize', wallMs, cpu),
      );
      if (orientationChecked) orientationChecks++;
      return { ocr: ocr && mapOcrPage(ocr, cleaned.toRaster), cleaned };
    };

    let pdfPages = 0;
    const addToPdf = async (page: DecodedPage, lines: readonly OcrLine[], corrected: PageRaster | null) => {
      await clock.time('compose', async () => {
        if (corrected) {
          // The page had to be turned: the PDF shows the turned image, in the original's kind.
          const image = page.visual.kind === 'image' && page.visual.image.kind === 'jpeg' ? await jpegPageImage(corrected) : ({ kind: 'raster', raster: corrected } as const);
          await output.addImagePage(image, corrected.dpiX, corrected.dpiY, lines);
        } else if (page.visual.kind === 'image') {
          await output.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, lines);
        } else {
          await output.addCopiedPage(document.sourcePdf!, page.visual.index, lines, page.rasterToPage);
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

    // Pages of one document are read by several OCR workers at once and composed in order. Each
    // page in hand holds one of the process's page slots, from its decoding to its composing.
    const slots = context.pageSlots;
    const inFlight: Array<{ page: DecodedPage; ocr: Promise<PageReading> }> = [];
    const composeOldest = async () => {
      const oldest = inFlight.shift()!;
      try {
        await composePage(oldest.page, await oldest.ocr);
      } finally {
        slots.release();
        held--;
      }
    };
    const iterator = document.pages();
    for (;;) {
      // Wait for a slot only when holding none: a document waiting while holding slots could
      // starve every other of them. Until then, compose what is in hand to free one.
      let slot = slots.tryAcquire();
      while (!slot && inFlight.length > 0) {
        await composeOldest();
        slot = slots.tryAcquire();
      }
      if (!slot) await slots.acquire();
      held++;
      const next = await clock.time('decode', () => iterator.next());
      if (next.done) break;
      const ocr = read(next.value);
      ocr.catch(() => {}); // awaited below, in order; this only keeps it from counting as unhandled meanwhile
      inFlight.push({ page: next.value, ocr });
    }
    slots.release(); // the slot taken for the page after the last
    held--;
    while (inFlight.length > 0) await composeOldest();
    if (pdfPages === 0 && heldBlank) {
      const kept: { page: DecodedPage; index: number } = heldBlank;
      pages[kept.index] = { ...pages[kept.index]!, pdfPageNo: await addToPdf(kept.page, [], null) };
    }

    const metadata = clock.timeSync('metadata', () => extractMetadata(job.relativePath, pages.map((p) => p.text), job.options.metadata, job.manual));
    const written = await clock.time('compose', () =>
      output.finish({
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
      }, job.outputPath),
    );
    pdf = null;
    return { pages, metadata, outputSha256: written.sha256, outputBytes: written.bytes, pdfConformance: written.conformance, pdfConformanceNote: written.notConformingBecause, timings: clock.timings, cpuTimings: clock.cpuTimings, orientationChecks };
  } finally {
    for (; held > 0; held--) context.pageSlots.release();
    await pdf?.discard();
    await document.close();
  }
}
