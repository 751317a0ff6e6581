/** SHA-256 of a file, streamed (never the whole file in memory), optionally at a capped rate. */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ReadThrottle } from './read-throttle.js';

export interface HashOptions {
  throttle?: ReadThrottle | null;
  signal?: AbortSignal;
  /** Told of every chunk read (for a progress bar). */
  onBytes?: (bytes: number) => void;
}

export interface FileHash {
  sha256: string;
  bytes: number;
}

export async function hashFile(file: string, options: HashOptions = {}): Promise<FileHash> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(file, { highWaterMark: options.throttle?.chunkBytes ?? 1 << 20, ...(options.signal ? { signal: options.signal } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    options.onBytes?.(chunk.length);
    await options.throttle?.pay(chunk.length, options.signal);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Copies a file, hashing the bytes as they are read: the hash is of exactly what was written (and flushed to disk: an export often goes to a removable drive). */
export async function copyAndHash(source: string, target: string): Promise<FileHash> {
  await mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(source),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(target, { flags: 'wx', flush: true }),
  );
  return { sha256: hash.digest('hex'), bytes };
}
