/**
 * One search thread of `acervo serve` (search-threads.ts): opens the embedded index for searching
 * only, with the catalog's page texts for snippets, and answers one search at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { catalogPageTexts } from '../../catalog/page-texts.js';
import { errorRecord } from '../../errors.js';
import type { SearchQuery } from '../search-backend.js';
import { openEmbeddedIndex } from './embedded-backend.js';

export interface SearchThreadData {
  indexFile: string;
  catalogFile: string | null;
}

export type SearchRequest = { id: number; query: SearchQuery };
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
