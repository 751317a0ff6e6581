/**
 * A rebuild's pages cut into segments and built on worker threads, one segment per thread at a
 * time, while this thread reads the catalog and writes finished segments: at a million pages the
 * word dictionaries of segment building are most of a rebuild's work, and they run in parallel.
 * A rebuild too small to be worth a thread (the first segment never reaches `threadFromPages`)
 * is built here.
 */
import { Worker } from 'node:worker_threads';
import { threadScript } from '../../thread-script.js';
import type { PageCodes } from './page-columns.js';
import { SegmentBuilder, type BuiltSegment, type PageFields } from './segment-builder.js';
import { fromMessage, type BuildAck, type BuildRequest, type BuiltMessage } from './segment-build-thread.js';

export type PageInput = PageFields & { documentId: number; pageNo: number; codes: PageCodes };

/** Pages sent to a thread and not yet taken in, at most: the texts waiting in its queue stay a few MB. */
const MAX_QUEUED = 4_000;

export interface RebuildOptions {
  /** Worker threads building at once (0: build here). */
  threads: number;
  /** Pages per segment. */
  segmentPages: number;
  /** Below this many pages in all, no thread is started. */
  threadFromPages: number;
}

interface Segment {
  id: number;
  pages: number;
  /** Pages held back until it is known whether threads are worth starting. */
  held: PageInput[] | null;
  thread: Worker | null;
  builder: SegmentBuilder | null;
}

export class RebuildSegments {
  private current: Segment | null = null;
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly busy = new Map<Worker, Promise<void>>();
  private written: Promise<void> = Promise.resolve();
  private threaded = false;
  private failure: unknown = null;
  /** Pages sent to each thread and not yet taken in, and who waits for room. */
  private readonly queued = new Map<Worker, number>();
  private readonly waiting = new Map<Worker, () => void>();

  constructor(
    private readonly options: RebuildOptions,
    private readonly nextId: () => number,
    private readonly write: (segment: number, built: BuiltSegment) => void,
  ) {}

  /** Places a document's pages: the segment they go to and the local number of the first. */
  async add(pages: readonly PageInput[]): Promise<{ segment: number; firstLocal: number }> {
    if (this.failure !== null) throw this.failure;
    if (this.current !== null && this.current.pages >= this.options.segmentPages) await this.finishCurrent();
    const segment = this.current ?? (this.current = await this.open());
    const firstLocal = segment.pages;
    segment.pages += pages.length;
    if (segment.held !== null) {
      segment.held.push(...pages);
      if (segment.pages >= this.options.threadFromPages && this.options.threads > 0) this.goThreaded(segment);
    } else if (segment.thread !== null) await this.send(segment.thread, [...pages]);
    else for (const page of pages) segment.builder!.addPage(page.documentId, page.pageNo, page, page.codes);
    return { segment: segment.id, firstLocal };
  }

  /** Builds and writes what is left; resolves once every segment is written. */
  async finish(): Promise<void> {
    try {
      if (this.current !== null) await this.finishCurrent();
      await this.written;
      if (this.failure !== null) throw this.failure;
    } finally {
      await Promise.all(this.all.map((thread) => thread.terminate()));
    }
  }

  private async open(): Promise<Segment> {
    const id = this.nextId();
    if (!this.threaded) return { id, pages: 0, held: this.options.threads > 0 ? [] : null, thread: null, builder: this.options.threads > 0 ? null : new SegmentBuilder() };
    return { id, pages: 0, held: null, thread: await this.idleThread(), builder: null };
  }

  private goThreaded(segment: Segment): void {
    this.threaded = true;
    const thread = this.spawn();
    segment.thread = thread;
    void this.send(thread, segment.held!);
    segment.held = null;
  }

  /** Pages to a thread, waiting while it has more than MAX_QUEUED not yet taken in. */
  private async send(thread: Worker, pages: PageInput[]): Promise<void> {
    while ((this.queued.get(thread) ?? 0) > MAX_QUEUED) await new Promise<void>((resolve) => this.waiting.set(thread, resolve));
    this.queued.set(thread, (this.queued.get(thread) ?? 0) + pages.length);
    thread.postMessage({ type: 'pages', pages } satisfies BuildRequest);
  }

  private async finishCurrent(): Promise<void> {
    const segment = this.current!;
    this.current = null;
    if (segment.held !== null) {
      // Never big enough for a thread: built here.
      const builder = new SegmentBuilder();
      for (const page of segment.held) builder.addPage(page.documentId, page.pageNo, page, page.codes);
      this.enqueueWrite(segment.id, Promise.resolve(builder.build()));
    } else if (segment.builder !== null) this.enqueueWrite(segment.id, Promise.resolve(segment.builder.build()));
    else {
      const thread = segment.thread!;
      let failed: (error: Error) => void = () => {};
      const built = new Promise<BuiltSegment>((resolve, reject) => {
        failed = reject;
        const built = (message: BuildAck | BuiltMessage) => {
          if ('ack' in message) return;
          thread.off('message', built);
          resolve(fromMessage(message));
        };
        thread.on('message', built);
        thread.once('error', failed);
      });
      thread.postMessage({ type: 'build' } satisfies BuildRequest);
      this.busy.set(thread, built.then(() => undefined, () => undefined));
      this.enqueueWrite(
        segment.id,
        built.finally(() => {
          this.busy.delete(thread);
          thread.off('error', failed);
          this.idle.push(thread);
        }),
      );
    }
  }

  /** Segments are written in order, each as soon as it is built. */
  private enqueueWrite(id: number, built: Promise<BuiltSegment>): void {
    this.written = this.written.then(async () => {
      try {
        this.write(id, await built);
      } catch (error) {
        this.failure ??= error;
      }
    });
  }

  private async idleThread(): Promise<Worker> {
    for (;;) {
      const free = this.idle.shift();
      if (free !== undefined) return free;
      if (this.all.length < this.options.threads) return this.spawn();
      // Every thread is building: wait for one (this bounds the pages in memory).
      await Promise.race(this.busy.values());
    }
  }

  private spawn(): Worker {
    const thread = new Worker(threadScript(import.meta.url, 'segment-build-thread'), { workerData: { role: 'segment-build' } });
    thread.on('message', (message: BuildAck | BuiltMessage) => {
      if (!('ack' in message)) return;
      this.queued.set(thread, (this.queued.get(thread) ?? 0) - message.ack);
      const resume = this.waiting.get(thread);
      this.waiting.delete(thread);
      resume?.();
    });
    thread.on('error', (error) => {
      this.failure ??= error;
    });
    this.all.push(thread);
    return thread;
  }
}
