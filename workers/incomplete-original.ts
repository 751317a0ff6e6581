/**
 * Where a whole copy of a file kept incomplete goes (issue 27). A hot folder keeps the readable
 * part of a file still cut short at its last attempt, under the original's catalog path; the
 * whole file dropped again later must replace that document, as `acervo ingest` replaces one when
 * the whole file is copied over the cut one, not become a second document beside it.
 */
import { open } from 'node:fs/promises';
import type { Catalog } from '../core/catalog/catalog.js';

/** True when the catalog's document of `sourcePath` was converted from a file cut short. */
export function isIncompleteSource(catalog: Catalog, sourcePath: string): boolean {
  const document = catalog.findBySource(sourcePath);
  return document?.status === 'done' && document.errorCode === 'INPUT_TRUNCATED';
}

/**
 * True when `file` continues `kept`: `kept` is shorter and every one of its bytes is the same at
 * the start of `file`. Only then is `file` the rest of the copy that was cut short; a new scan
 * under a reused name is another document.
 */
export async function continues(file: string, kept: string): Promise<boolean> {
  const CHUNK = 1 << 20;
  const [a, b] = await Promise.all([open(kept, 'r').catch(() => null), open(file, 'r').catch(() => null)]);
  try {
    if (!a || !b) return false;
    const size = (await a.stat()).size;
    if (size === 0 || size >= (await b.stat()).size) return false;
    const left = Buffer.alloc(CHUNK);
    const right = Buffer.alloc(CHUNK);
    for (let at = 0; at < size; at += CHUNK) {
      const length = Math.min(CHUNK, size - at);
      const [x, y] = await Promise.all([a.read(left, 0, length, at), b.read(right, 0, length, at)]);
      if (x.bytesRead !== length || y.bytesRead !== length || !left.subarray(0, length).equals(right.subarray(0, length))) return false;
    }
    return true;
  } finally {
    await a?.close();
    await b?.close();
  }
}
