/**
 * A worker thread that builds segments for a rebuild (rebuild-segments.ts): pages in, one segment's
 * posting lists out, in one buffer handed back without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PageInput } from './rebuild-segments.js';
import { SegmentBuilder, type BuiltSegment } from './segment-builder.js';

/** A thread's answer to pages: how many it has taken in. */
export type BuildAck = { ack: number };

export type BuildRequest = { type: 'pages'; pages: PageInput[] } | { type: 'build' };

/** A built segment crosses threads as it is: its buffers are handed over, not copied. */
export type BuiltMessage = BuiltSegment;

export function toMessage(built: BuiltSegment): { message: BuiltMessage; transfer: ArrayBuffer[] } {
  return { message: built, transfer: [built.bytes.buffer as ArrayBuffer, built.columns.buffer as ArrayBuffer, built.layout.buffer as ArrayBuffer] };
}

/** The columns arrive as a plain Uint8Array: made a Buffer again (SQLite binds Buffers). */
export function fromMessage(message: BuiltMessage): BuiltSegment {
  const columns = message.columns as Uint8Array;
  return { ...message, columns: Buffer.from(columns.buffer, columns.byteOffset, columns.byteLength) };
}

if (parentPort !== null && (workerData as { role?: string } | null)?.role === 'segment-build') {
  let builder = new SegmentBuilder();
  parentPort.on('message', (request: BuildRequest) => {
    if (request.type === 'pages') {
      for (const page of request.pages) builder.addPage(page.documentId, page.pageNo, page, page.codes);
      // Taken in: the sender may send more (it holds back so texts do not pile up in the queue).
      parentPort!.postMessage({ ack: request.pages.length });
      return;
    }
    const { message, transfer } = toMessage(builder.build());
    builder = new SegmentBuilder();
    parentPort!.postMessage(message, transfer);
  });
}
