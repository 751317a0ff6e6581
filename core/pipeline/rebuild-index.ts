/**
 * A rebuild of the search index from the catalog (the source of truth), into the backend's
 * rebuild (searches see the old index until the new one is complete). Outbox entries the rebuild
 * covered are dropped; those queued while it ran are applied after it.
 */
import type { Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import type { IndexStats, SearchBackend } from '../search/search-backend.js';
import { catalogBatches, syncIndex } from './index-sync.js';

export async function rebuildIndex(catalog: Catalog, backend: SearchBackend): Promise<IndexStats> {
  const covered = catalog.outboxHighWater();
  await backend.rebuild(catalogBatches(catalog));
  catalog.completeIndexUpdatesUpTo(covered);
  const sync = await syncIndex(catalog, backend);
  if (sync.error) throw new AppError('SEARCH_UNAVAILABLE', `The index was rebuilt, but updates made meanwhile could not be applied: ${sync.error}`);
  return backend.stats();
}

/**
 * An empty index beside a catalog that holds converted documents — its file was deleted, or it was
 * an older Acervo's, laid out anew — is rebuilt from the catalog. For the commands that hold the
 * library's lock and write the index (ingest, watch, index --sync, retry). Returns what was rebuilt,
 * or null when nothing needed to be.
 */
export async function rebuildIfEmpty(catalog: Catalog, backend: SearchBackend, told: (message: string) => void): Promise<IndexStats | null> {
  const { done } = catalog.totals();
  // Updates waiting in the outbox for every document (a backend that was down) fill it better by syncing.
  if (done === 0 || catalog.indexBacklog().pending >= done) return null;
  let indexed: number;
  try {
    indexed = (await backend.stats()).documents;
  } catch {
    return null; // A backend that does not answer: the sync that follows says so.
  }
  if (indexed > 0) return null;
  told('The search index is empty while the catalog holds documents (a deleted index, or one from an older Acervo): rebuilding it from the catalog first.');
  const started = performance.now();
  const stats = await rebuildIndex(catalog, backend);
  told(`Search index rebuilt: ${stats.documents} document(s), ${stats.pages} page(s) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return stats;
}
