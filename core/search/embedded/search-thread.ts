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
/** Sent once, when the thread has warmed up and takes searches. */
export type SearchReady = { warmed: number };
export type SearchReply = { id: number; result: unknown } | { id: number; error: { code: string; message: string; details: Record<string, unknown> } };

const data = workerData as SearchThreadData;
const backend = openEmbeddedIndex(data.indexFile, { readonly: true, ...(data.catalogFile ? { texts: catalogPageTexts(data.catalogFile) } : {}) });

parentPort!.on('message', async ({ id, query }: SearchRequest) => {
  let reply: SearchReply;
  try {
    reply = { id, result: await backend.search(query) };
  } catch (error) {
    const record = errorRecord(error);
    reply = { id, error: { code: record.code, message: record.message, details: (error as { details?: Record<string, unknown> }).details ?? {} } };
  }
  parentPort!.postMessage(reply);
});

/**
 * Before it takes any search, the thread searches the archive's commonest words as the page asks
 * for them: a server just started then answers those words, and the searches that contain them,
 * from memory instead of from disk. It says when it is ready (the pool sends it nothing before).
 */
let warmed = 0;
if (data.warmWords > 0) {
  try {
    for (const text of commonestWords(data.indexFile, data.warmWords)) {
      await backend.search({ text, limit: 20, offset: 0, facets: true });
      warmed += 1;
    }
  } catch {
    // An index without a vocabulary yet (empty), or one being replaced: nothing (more) to warm.
  }
}
parentPort!.postMessage({ warmed } satisfies SearchReady);
