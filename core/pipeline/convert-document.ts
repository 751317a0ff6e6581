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
import type { ConvertedPage, ConvertJob, ConvertResult, OcrPage } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { mapOcrPage } from '../ocr/map-ocr-page.js';
import { SearchablePdf } from '../pdf/searchable-pdf.js';
import { cleanForOcr } from './clean.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { openDocument } from './decode/open-document.js';
import { StageClock } from './stage-clock.js';
import { writeFileAtomic } from '../files.js';

export interface ConvertContext {
  ocr: OcrEngine;
  /** Identifies the software in the PDFs it writes. */
  producer: string;
}

export async function convertDocument(context: ConvertContext, job: ConvertJob, onPage?: () => void): Promise<ConvertResult> {
  const clock = new StageClock();
  const document = await clock.time('decode', () => openDocument(job.source, job.mediaType, job.options));
  try {
    const pdf = await SearchablePdf.create();
    const pages: ConvertedPage[] = [];

    const readPage = async (page: DecodedPage): Promise<OcrPage | null> => {
      if (!page.raster) return null;
      const cleaned = await clock.time('clean', () => cleanForOcr(page.raster!, job.options));
      const started = performance.now();
      const ocr = await context.ocr.recognize(cleaned.input);
      clock.add('recognize', ocr.durationMs ?? performance.now() - started);
      return mapOcrPage(ocr, cleaned.toRaster);
    };

    const composePage = async (page: DecodedPage, ocr: OcrPage | null) => {
      const lines = ocr?.lines ?? [];
      await clock.time('compose', () =>
        page.visual.kind === 'image'
          ? pdf.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, lines)
          : pdf.addCopiedPage(document.sourcePdf!, page.visual.index, lines, page.rasterToPage),
      );
      pages.push({
        pageNo: page.pageNo,
        text: ocr ? ocr.text : (page.existingText ?? ''),
        confidence: ocr ? ocr.confidence : null,
        textSource: ocr ? 'ocr' : page.existingText !== null ? 'pdf-text' : 'none',
        widthPt: page.widthPt,
        heightPt: page.heightPt,
        dpi: page.raster ? Math.max(page.raster.dpiX, page.raster.dpiY) : null,
        dpiAssumed: page.raster?.dpiAssumed ?? false,
      });
      onPage?.();
    };

    // Pages of one document are read by several OCR workers at once, composed in order;
    // the window bounds how many decoded pages sit in memory.
    const window = Math.max(1, context.ocr.concurrency);
    const inFlight: Array<{ page: DecodedPage; ocr: Promise<OcrPage | null> }> = [];
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

    const metadata = clock.timeSync('metadata', () => extractMetadata(job.relativePath, pages.map((p) => p.text)));
    const bytes = await clock.time('compose', () =>
      pdf.save({
        title: metadata.title,
        sourceFile: job.relativePath,
        sourceSha256: job.sha256,
        pageCount: pages.length,
        ocrLanguages: job.options.languages,
        creatorTool: context.producer,
        producer: context.producer,
        createdAt: new Date(),
        keywords: [metadata.collection, metadata.year?.toString()].filter((k): k is string => Boolean(k)),
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
