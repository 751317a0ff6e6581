/**
 * Redacted copies made on worker threads (redaction-thread.ts), so that `acervo serve` goes on
 * answering while one is made: reading, burning and writing a long scan is seconds of CPU, and on
 * the HTTP thread every other citizen's and clerk's request waited for it (issue 26).
 *
 * - Bounded: at most `threads` copies are made at once (default: the cores less one, at least
 *   one); the others wait their turn in order. A copy whose PDF is given as a function reads it
 *   only when its turn comes, so a crowd asking for many PDFs holds neither threads nor their bytes.
 * - The same answers: an error raised on the thread is thrown here as the AppError it was (same
 *   code, message and details), so HTTP answers do not change. A thread that dies under a copy
 *   fails that copy with INTERNAL (never a hang) and is not used again.
 * - A thread is kept for the next copy and ended after `idleMs` without one; while idle it does
 *   not keep the process alive, and `close` ends every thread (a copy under way fails).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { AppError, ERROR_CODES, toAppError, type ErrorCode } from '../errors.js';
import { threadScript } from '../thread-script.js';
import type { CopyFacts } from './copy-metadata.js';
import type { RedactionReply, RedactionRequest } from './redaction-thread.js';
import type { MadeCopy, RedactionScope } from './redaction.js';
import type { PageReview, RedactionMark } from './review.js';

export interface RedactionThreadsOptions {
  /** Copies made at once (default: available cores − 1, at least 1). */
  threads?: number;
  /** An idle thread is ended after this (ms; default 30 s): a copy's memory is given back. */
  idleMs?: number;
  /** The thread's script (default redaction-thread.ts; tests give one that fails on purpose). */
  script?: URL;
}

/** The PDF's bytes, or how to read them when the copy's turn comes (those bytes are then moved to the thread, not copied). */
export type PdfSource = Uint8Array | (() => Promise<Uint8Array>);

/** What the web routes call: redactPdf's arguments and answer, off the HTTP thread. */
export type Redact = (pdf: PdfSource, marks: readonly RedactionMark[], facts: Omit<CopyFacts, 'boxes'>, scope?: RedactionScope) => Promise<MadeCopy>;

/** reviewPdf's (what a copy would cover, page by page, for staff to check), off the HTTP thread. */
export type Review = (pdf: PdfSource, marks: readonly RedactionMark[], scope?: RedactionScope) => Promise<PageReview[]>;

interface Slot {
  worker: Worker;
  busy: { id: number; resolve: (answer: MadeCopy | PageReview[]) => void; reject: (error: unknown) => void } | null;
  idleTimer: NodeJS.Timeout | null;
  gone: boolean;
}

export class RedactionThreads {
  readonly threads: number;
  private readonly queue: PQueue;
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: RedactionThreadsOptions = {}) {
    this.threads = Math.max(1, options.threads ?? os.availableParallelism() - 1);
    this.queue = new PQueue({ concurrency: this.threads });
  }

  /** redactPdf (redaction.ts) on a thread, in turn. */
  readonly redact: Redact = (pdf, marks, facts, scope = {}) => this.inTurn(pdf, (bytes) => ({ job: 'copy', pdf: bytes, marks, facts, scope })) as Promise<MadeCopy>;

  /** reviewPdf (redaction.ts) on a thread, in turn with the copies (reading every page's text of a long scan is seconds too). */
  readonly review: Review = (pdf, marks, scope = {}) =>
    this.inTurn(pdf, (bytes) => ({ job: 'review', pdf: bytes, marks, scope })) as Promise<PageReview[]>;

  private inTurn(pdf: PdfSource, request: (bytes: Uint8Array) => Omit<RedactionRequest, 'id'>): Promise<MadeCopy | PageReview[]> {
    return this.queue.add(async () => {
      if (this.closed) throw stopping();
      const bytes = typeof pdf === 'function' ? await pdf() : pdf;
      // Bytes read for this job are ours to move; bytes the caller gave are copied (it may still use them).
      const movable = typeof pdf === 'function' && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      return this.run({ id: this.nextId++, ...request(bytes) }, movable ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  /** Copies under way (at most `threads`). */
  get making(): number {
    return this.queue.pending;
  }

  /** Copies waiting for their turn. */
  get waiting(): number {
    return this.queue.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Waiting copies fail as their turn comes (at once); copies under way fail as their thread ends.
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private run(request: RedactionRequest, transfer: ArrayBuffer[]): Promise<MadeCopy | PageReview[]> {
    const slot = this.idle.pop() ?? this.spawn();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    // A copy under way keeps the process up, as it did on the HTTP thread.
    slot.worker.ref();
    return new Promise<MadeCopy | PageReview[]>((resolve, reject) => {
      slot.busy = { id: request.id, resolve, reject };
      try {
        slot.worker.postMessage(request, transfer);
      } catch (error) {
        // Arguments that cannot cross to a thread: a fault here, not the PDF's.
        slot.busy = null;
        this.release(slot);
        reject(toAppError(error));
      }
    });
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.script ?? threadScript(import.meta.url, 'redaction-thread'));
    const slot: Slot = { worker, busy: null, idleTimer: null, gone: false };
    this.slots.add(slot);
    worker.on('message', (reply: RedactionReply) => {
      const busy = slot.busy;
      if (busy === null || busy.id !== reply.id) return;
      slot.busy = null;
      this.release(slot);
      if ('copy' in reply) busy.resolve(reply.copy);
      else if ('review' in reply) busy.resolve(reply.review);
      else {
        const code = (reply.error.code in ERROR_CODES ? reply.error.code : 'INTERNAL') as ErrorCode;
        busy.reject(new AppError(code, reply.error.message, { details: reply.error.details }));
      }
    });
    worker.on('error', (error) => this.lost(slot, error));
    worker.on('exit', (exitCode) => this.lost(slot, new Error(`it exited with code ${exitCode}`)));
    return slot;
  }

  /** Back to the idle threads (ended after idleMs), or ended now if closing. */
  private release(slot: Slot): void {
    slot.worker.unref();
    if (slot.gone) return;
    if (this.closed) {
      void slot.worker.terminate();
      return;
    }
    this.idle.push(slot);
    slot.idleTimer = setTimeout(() => {
      // Out of the idle list first: no copy may be handed to a thread that is ending.
      this.lost(slot, new Error('idle'));
      void slot.worker.terminate();
    }, this.options.idleMs ?? 30_000);
    slot.idleTimer.unref();
  }

  /** The thread stopped (crashed, ran out of memory, was ended) or is ending: its copy, if any, fails with a code. */
  private lost(slot: Slot, error: Error): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.gone = true;
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    const busy = slot.busy;
    slot.busy = null;
    if (busy === null) return;
    busy.reject(this.closed ? stopping() : new AppError('INTERNAL', `The thread making the redacted copy stopped: ${error.message}`, { cause: error }));
  }
}

function stopping(): AppError {
  return new AppError('INTERNAL', 'The server is stopping: the redacted copy was not made.');
}
