/**
 * One search thread of `acervo serve` (search-threads.ts): opens the embedded index for searching
 * only, with the catalog's page texts for snippets, and answers one search at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { catalogPageTexts } from '../../catalog/page-texts.js';
import { errorRecord } from '../../errors.js';
import type { SearchQuery } from '../search-backend.js';
import { commonestWords, openEmbeddedIndex } from './embedded-backend.js';

export interface SearchThreadData {
  indexFile: string;
  catalogFile: string | null;
  /** The archive's commonest words searched while the thread is idle, to fill its caches (0: none). */
  warmWords: number;
}

export type SearchRequest = { id: number; query: SearchQuery };
export type SearchReply = { id: number; result: unknown } | { id: number; error: { code: string; message: string; details: Record<string, unknown> } };

const data = workerData as SearchThreadData;
const backend = openEmbeddedIndex(data.indexFile, { readonly: true, ...(data.catalogFile ? { texts: catalogPageTexts(data.catalogFile) } : {}) });

let busy = false;
parentPort!.on('message', async ({ id, query }: SearchRequest) => {
  busy = true;
  let reply: SearchReply;
  try {
    reply = { id, result: await backend.search(query) };
  } catch (error) {
    const record = errorRecord(error);
    reply = { id, error: { code: record.code, message: record.message, details: (error as { details?: Record<string, unknown> }).details ?? {} } };
  }
  parentPort!.postMessage(reply);
  busy = false;
});

/**
 * While no clerk is waiting, the commonest words are searched as the page asks for them, one at a
 * time: a server just started answers them, and the words that contain them, from memory
 * instead of from disk. A clerk's search waits for at most one of these.
 */
function warmUp(words: string[]): void {
  const next = () => {
    if (words.length === 0) return;
    if (!busy) {
      const text = words.shift() as string;
      backend.search({ text, limit: 20, offset: 0, facets: true }).catch(() => undefined);
    }
    setTimeout(next, busy ? 50 : 0);
  };
  setTimeout(next, 0);
}

if (data.warmWords > 0) {
  try {
    warmUp(commonestWords(data.indexFile, data.warmWords));
  } catch {
    // An index without a vocabulary yet (empty): nothing to warm.
  }
}
