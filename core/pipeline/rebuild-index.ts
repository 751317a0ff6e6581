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
