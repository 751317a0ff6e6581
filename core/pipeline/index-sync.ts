/**
 * The index stage: drains the catalog's outbox into a search backend, in batches. A batch is
 * removed from the outbox only once the backend has taken it, so an outage loses nothing: the
 * updates wait and the next sync applies them.
 */
import type { Catalog, OutboxEntry } from '../catalog/catalog.js';
import { errorRecord } from '../errors.js';
import type { IndexChange, SearchBackend } from '../search/search-backend.js';

export interface SyncResult {
  applied: number;
  /** Set when the backend refused a batch; the rest stays queued. */
  error: string | null;
}

export async function syncIndex(catalog: Catalog, backend: SearchBackend, batchSize = 200): Promise<SyncResult> {
  let applied = 0;
  for (;;) {
    const entries = catalog.pendingIndexUpdates(batchSize);
    if (entries.length === 0) return { applied, error: null };
    const changes = changesFor(catalog, entries);
    try {
      await backend.apply(changes);
    } catch (error) {
      const message = errorRecord(error).message;
      catalog.failIndexUpdates(entries.map((e) => e.id), message);
      return { applied, error: message };
    }
    catalog.completeIndexUpdates(entries.map((e) => e.id));
    applied += changes.length;
  }
}

/**
 * Syncs that run one at a time (each drains whatever the outbox holds): several documents
 * finishing at once share the backend without racing on the outbox.
 */
export function serialIndexSync(catalog: Catalog, backend: SearchBackend): { run: () => Promise<SyncResult>; idle: () => Promise<void> } {
  let last: Promise<unknown> = Promise.resolve();
  return {
    run: () => {
      const next = last.then(() => syncIndex(catalog, backend));
      last = next.catch(() => {});
      return next;
    },
    idle: async () => {
      await last;
    },
  };
}

/** One change per document, reflecting the catalog as it is now (later entries win). */
function changesFor(catalog: Catalog, entries: readonly OutboxEntry[]): IndexChange[] {
  const documentIds = [...new Set(entries.map((e) => e.documentId))];
  return documentIds.map((documentId): IndexChange => {
    const document = catalog.getDocument(documentId);
    if (!document || !document.outputPath) return { op: 'delete', documentId };
    return {
      op: 'upsert',
      documentId,
      // Pages are found, and opened, by their number in the PDF; pages left out of it are not indexed.
      pages: catalog.pages(documentId).flatMap((page) => (page.pdfPage === null ? [] : [{
        documentId,
        pageNo: page.pdfPage,
        title: document.title ?? document.relativePath,
        source: document.sourcePath,
        pdf: document.outputPath!,
        collection: document.collection,
        year: document.year,
        text: page.text,
      }])),
    };
  });
}
