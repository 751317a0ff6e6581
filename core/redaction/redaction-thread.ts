/**
 * One thread of redaction-threads.ts: makes redacted copies and their reviews (redaction.ts), one
 * at a time, off the thread that answers HTTP. Bytes in and out are moved, not copied; an error goes back as its
 * code, message and details, so the caller throws the same AppError it would have thrown itself.
 */
import { parentPort } from 'node:worker_threads';
import { errorRecord } from '../errors.js';
import type { CopyFacts } from './copy-metadata.js';
import { redactPdf, reviewPdf, type MadeCopy, type RedactionScope } from './redaction.js';
import type { PageReview, RedactionMark } from './review.js';

export interface RedactionRequest {
  id: number;
  /** A copy (`copy`), or only the review of what a copy would cover (`review`: `facts` unused). */
  job: 'copy' | 'review';
  pdf: Uint8Array;
  marks: readonly RedactionMark[];
  /** A copy's (a review has none). A Date survives the structured clone as a Date. */
  facts?: Omit<CopyFacts, 'boxes'>;
  scope: RedactionScope;
}

export type RedactionReply = { id: number; copy: MadeCopy } | { id: number; review: PageReview[] } | { id: number; error: { code: string; message: string; details: Record<string, unknown> } };

parentPort!.on('message', async ({ id, job, pdf, marks, facts, scope }: RedactionRequest) => {
  try {
    if (job === 'review') {
      parentPort!.postMessage({ id, review: await reviewPdf(pdf, marks, scope) } satisfies RedactionReply);
      return;
    }
    const copy = await redactPdf(pdf, marks, facts!, scope);
    // pdf-lib's output owns its whole buffer; anything else is copied first so only it is moved.
    const owned = copy.pdf.byteOffset === 0 && copy.pdf.byteLength === copy.pdf.buffer.byteLength ? copy.pdf : copy.pdf.slice();
    parentPort!.postMessage({ id, copy: { ...copy, pdf: owned } } satisfies RedactionReply, [owned.buffer as ArrayBuffer]);
  } catch (error) {
    const { code, message } = errorRecord(error);
    const details = (error as { details?: Record<string, unknown> }).details ?? {};
    try {
      parentPort!.postMessage({ id, error: { code, message, details } } satisfies RedactionReply);
    } catch {
      // Details that cannot cross (a function, say): the code and message still do.
      parentPort!.postMessage({ id, error: { code, message, details: {} } } satisfies RedactionReply);
    }
  }
});
