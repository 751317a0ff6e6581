/**
 * The work of one original, from its file to its searchable PDFs:
 *
 *     decode pages → read page (clean, recognize) → split → compose PDF → extract metadata → write PDF
 *
 * One file is one document, unless a split mode is asked for: then a batch scan (a whole box in
 * one file) is cut at its separator pages into documents of their own (core/separation).
 * A plain function of (context, job) → result: it touches neither the catalog nor the index,
 * so the same job can run in a worker anywhere.
 */
import type { ConvertedDocument, ConvertJob, ConvertResult, OcrLine, OcrPage, PageRaster, SeparatorFound } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { mapOcrPage } from '../ocr/map-ocr-page.js';
import { jpegPageImage } from '../pdf/page-image.js';
import { readPageBarcodes } from '../separation/barcode-reader.js';
import { parseSeparatorCode, type SeparatorCode } from '../separation/separator-code.js';
import { Splitter, type PageDecision } from '../separation/splitter.js';
import type { CleanedPage } from './clean/clean-page.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { openDocument } from './decode/open-document.js';
import { DocumentPart } from './document-part.js';
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
  /** A separator sheet's code, found before any OCR (the sheet is not read). */
  code: SeparatorCode | null;
}

interface ReadPage {
  page: DecodedPage;
  reading: PageReading;
}

export async function convertDocument(context: ConvertContext, job: ConvertJob, onPage?: () => void): Promise<ConvertResult> {
  const clock = new StageClock();
  const document = await clock.time('decode', () => openDocument(job.source, job.mediaType, job.options));
  const splitMode = job.options.split.mode;
  const splitting = splitMode !== 'none';
  const splitter = new Splitter(job.options.split);
  const finished: ConvertedDocument[] = [];
  const separators: SeparatorFound[] = [];
  let part: DocumentPart | null = null;
  /** Page slots this document holds: given back whatever happens. */
  let held = 0;
  try {
    let orientationChecks = 0;
    const read = async (page: DecodedPage): Promise<PageReading> => {
      if (!page.raster) return { ocr: null, cleaned: null, code: null };
      if (splitMode === 'barcode') {
        // Timed with cleaning: both look at the page before it is read.
        const texts = await clock.time('clean', () => readPageBarcodes(page.raster!));
        const code = texts.map(parseSeparatorCode).find((c) => c !== null) ?? null;
        if (code) return { ocr: null, cleaned: null, code };
      }
      const { cleaned, ocr, orientationChecked } = await readPage(
        page.raster,
        job.options,
        context.ocr,
        (stage, work) => clock.time(stage, work),
        (wallMs, cpu) => clock.add('recognize', wallMs, cpu),
      );
      if (orientationChecked) orientationChecks++;
      return { ocr: ocr && mapOcrPage(ocr, cleaned.toRaster), cleaned, code: null };
    };

    const addToPdf = async (into: DocumentPart, page: DecodedPage, lines: readonly OcrLine[], corrected: PageRaster | null) => {
      await clock.time('compose', async () => {
        const output = into.pdf;
        if (corrected) {
          // The page had to be turned: the PDF shows the turned image, in the original's kind.
          const image = page.visual.kind === 'image' && page.visual.image.kind === 'jpeg' ? await jpegPageImage(corrected) : ({ kind: 'raster', raster: corrected } as const);
          await output.addImagePage(image, corrected.dpiX, corrected.dpiY, lines);
        } else if (page.visual.kind === 'image') {
          await output.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, lines);
        } else {
          await output.addCopiedPage(page.visual.page, lines, page.rasterToPage);
        }
      });
      return into.pdf.pageCount;
    };
    // A dropped blank page is held back while the part's PDF is still empty: if every page is
    // blank, the first one is kept, since a PDF needs a page.
    let heldBlank: { page: DecodedPage; index: number } | null = null;

    const keepPage = async (into: DocumentPart, { page, reading }: ReadPage) => {
      const { ocr, cleaned } = reading;
      const lines = ocr?.lines ?? [];
      const corrections = cleaned?.corrections ?? null;
      const corrected = cleaned?.corrected ?? null;
      const dropped = Boolean(corrections?.blank && job.options.dropBlank);
      const index = into.pages.length;
      if (dropped && into.pdf.pageCount === 0 && !heldBlank) heldBlank = { page, index };
      const pdfPageNo = dropped ? null : await addToPdf(into, page, lines, corrected);
      if (!dropped) heldBlank = null;
      const raster = corrected ?? page.raster;
      into.addPage(page.pageNo, {
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
    };

    const finishPart = async () => {
      if (!part) return;
      if (part.pdf.pageCount === 0 && heldBlank) {
        const kept: { page: DecodedPage; index: number } = heldBlank;
        part.pages[kept.index] = { ...part.pages[kept.index]!, pdfPageNo: await addToPdf(part, kept.page, [], null) };
      }
      heldBlank = null;
      const done = part;
      finished.push(await clock.time('compose', () => done.finish(job, context.producer, splitting)));
      part = null;
    };

    /** Pages read and waiting for the splitter's decision (a blank page waits for the next). */
    const waiting = new Map<number, ReadPage>();
    /** The first separator page, kept until a page to keep comes: a file of nothing else keeps it. */
    let firstSeparator: ReadPage | null = null;
    const apply = async (decision: PageDecision) => {
      const entry = waiting.get(decision.pageNo)!;
      waiting.delete(decision.pageNo);
      if (decision.kind === 'separator') {
        separators.push(decision.found);
        if (finished.length === 0 && !part && !firstSeparator) firstSeparator = entry;
        return;
      }
      if (decision.startsPart) {
        await finishPart();
        part = await DocumentPart.start(job, decision.partNo, decision.separator, decision.metadata);
      }
      firstSeparator = null;
      await keepPage(part!, entry);
    };
    const composePage = async (page: DecodedPage, reading: PageReading) => {
      waiting.set(page.pageNo, { page, reading });
      for (const decision of splitter.push({ pageNo: page.pageNo, code: reading.code, blank: reading.cleaned?.corrections.blank ?? false })) await apply(decision);
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
    for (const decision of splitter.end()) await apply(decision);
    if (!part && finished.length === 0) {
      // Nothing but separators: the file is kept whole as one document of its first page.
      const only: ReadPage = firstSeparator!;
      separators.shift();
      part = await DocumentPart.start(job, 1, null, null);
      await keepPage(part, only);
    }
    await finishPart();

    return {
      documents: finished,
      split: splitting ? { mode: splitMode, separators, parts: finished.length } : null,
      timings: clock.timings,
      cpuTimings: clock.cpuTimings,
      orientationChecks,
    };
  } finally {
    for (; held > 0; held--) context.pageSlots.release();
    await (part as DocumentPart | null)?.discard();
    await document.close();
  }
}
