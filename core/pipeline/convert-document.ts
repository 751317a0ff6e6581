/**
 * The work of one original, from its file to its searchable PDFs:
 *
 *     decode → read (separate, clean, orient, recognize) → split → compose → metadata → finish
 *
 * Pages are decoded and read several at once and taken in order (page-scheduler.ts); the part
 * assembler cuts them into documents and writes each one (part-assembler.ts). One file is one
 * document unless a split mode is asked for: then a batch scan (a whole box in one file) is cut
 * at its separator pages into documents of their own (core/separation). Each stage's time is
 * recorded under its name (stage-clock.ts; model.ts lists the names).
 *
 * A plain function of (context, job) → result: it touches neither the catalog nor the index, so
 * the same job can run in a worker anywhere.
 */
import type { ConvertJob, ConvertResult } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { openDocument } from './decode/open-document.js';
import { readDecodedPage } from './page-reading.js';
import { readInOrder } from './page-scheduler.js';
import type { PageSlots } from './page-slots.js';
import { PartAssembler } from './part-assembler.js';
import { StageClock } from './stage-clock.js';

export interface ConvertContext {
  ocr: OcrEngine;
  /** Shared by every document the process converts at once. */
  pageSlots: PageSlots;
  /** Identifies the software in the PDFs it writes. */
  producer: string;
}

export async function convertDocument(context: ConvertContext, job: ConvertJob, onPage?: () => void): Promise<ConvertResult> {
  const clock = new StageClock();
  const document = await clock.time('decode', () => openDocument(job.source, job.mediaType, job.options));
  const parts = new PartAssembler(job, context.producer, clock);
  try {
    const pages = document.pages();
    const decode = () => clock.time('decode', () => pages.next());
    const read = (page: DecodedPage) => readDecodedPage(page, job.options, context.ocr, clock);
    let orientationChecks = 0;
    for await (const { page, reading } of readInOrder(context.pageSlots, decode, read)) {
      if (reading.orientationChecked) orientationChecks++;
      await parts.add({ page, reading });
      onPage?.();
    }
    const { documents, split, warnings } = await parts.end();
    const incomplete = document.incomplete ? { incomplete: { code: 'INPUT_TRUNCATED' as const, message: document.incomplete.message } } : {};
    return { documents, split, timings: clock.timings, cpuTimings: clock.cpuTimings, orientationChecks, ...incomplete, ...(warnings.length > 0 ? { warnings } : {}) };
  } finally {
    await parts.discard();
    await document.close();
  }
}
