/**
 * The index stage: drains the catalog's outbox into a search backend, in batches. A batch is
 * removed from the outbox only once the backend has taken it (for Meilisearch: its tasks have
 * succeeded), so an outage loses nothing: the updates wait, with their attempts and last error
 * recorded, and a later sync applies them. Batches are idempotent (a document's pages are
 * replaced whole), so a batch applied twice after a crash does no harm.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Catalog, OutboxEntry } from '../catalog/catalog.js';
import { errorRecord, isAppError } from '../errors.js';
import { identifierVariants } from '../metadata/identifiers.js';
import type { IndexChange, SearchBackend } from '../search/search-backend.js';

/**
 * People's and companies' numbers are never searchable identifiers: a person's is found by its key
 * only, which the backends put in (core/privacy/index-privacy.ts).
 */
const TAX_NUMBER_KINDS = new Set(['cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo']);

export interface SyncResult {
  applied: number;
  /** Set when the backend could not be reached (or is being left alone after failing); the rest stays queued. */
  error: string | null;
  /** Updates the backend refused in this sync, set aside. */
  refused?: number;
  /** Not tried: the backend failed a moment ago and is being given time (see serialIndexSync). */
  deferred?: boolean;
}

export async function syncIndex(catalog: Catalog, backend: SearchBackend, batchSize = 200): Promise<SyncResult> {
  let applied = 0;
  let setAside = 0;
  for (;;) {
    const entries = catalog.pendingIndexUpdates(batchSize);
    if (entries.length === 0) return { applied, error: null, refused: setAside };
    const changes = changesFor(catalog, entries);
    try {
      await backend.apply(changes);
    } catch (error) {
      const message = errorRecord(error).message;
      if (!refused(error)) {
        catalog.failIndexUpdates(entries.map((e) => e.id), message);
        return { applied, error: message, refused: setAside };
      }
      // Refused: the documents it takes are applied one by one, the others set aside; the rest goes on.
      const one = changes.length > 1 ? await applyOneByOne(catalog, backend, entries, changes) : { applied: 0, refused: changes.length, error: null };
      if (changes.length === 1) catalog.failIndexUpdates(entries.map((e) => e.id), message, true);
      applied += one.applied;
      setAside += one.refused;
      if (one.error !== null) return { applied, error: one.error, refused: setAside };
      continue;
    }
    catalog.completeIndexUpdates(entries.map((e) => e.id));
    applied += changes.length;
    // A backend that writes on this thread (the embedded index) answers at once: without a turn of
    // the event loop between batches, a long sync (a bulk change's thousands) would hold up every
    // request serve gets, searches included, until its last batch.
    await nextTurn();
  }
}

/** The backend answered and said no to this batch (a change it will not take), rather than being out of reach. */
function refused(error: unknown): boolean {
  return isAppError(error) && error.details.refused === true;
}

/**
 * A batch the backend refused, each document on its own: the ones it takes are done, the ones it
 * refuses keep their error and are set aside (status shows them; `index --sync --retry-refused` puts
 * them back), so one document the backend will never take does not hold back every update after it.
 */
async function applyOneByOne(catalog: Catalog, backend: SearchBackend, entries: readonly OutboxEntry[], changes: readonly IndexChange[]): Promise<{ applied: number; refused: number; error: string | null }> {
  let applied = 0;
  let setAside = 0;
  for (const change of changes) {
    const ids = entries.filter((entry) => entry.documentId === change.documentId).map((entry) => entry.id);
    try {
      await backend.apply([change]);
      catalog.completeIndexUpdates(ids);
      applied += 1;
    } catch (error) {
      const message = errorRecord(error).message;
      catalog.failIndexUpdates(ids, message, refused(error));
      // Out of reach now: the rest waits for the next sync.
      if (!refused(error)) return { applied, refused: setAside, error: message };
      setAside += 1;
    }
  }
  return { applied, refused: setAside, error: null };
}

export interface SerialIndexSync {
  /** Drains the outbox; while the backend is backing off, returns at once unless `force`. */
  run: (force?: boolean) => Promise<SyncResult>;
  idle: () => Promise<void>;
}

/** After a failure, wait this long before trying again, doubling up to the maximum. */
export const SYNC_BACKOFF = { initialMs: 2000, maxMs: 5 * 60_000 };

/**
 * Syncs that run one at a time (each drains whatever the outbox holds): several documents
 * finishing at once share the backend without racing on the outbox. After the backend fails,
 * further syncs wait with exponential backoff instead of hammering it once per document.
 */
export function serialIndexSync(catalog: Catalog, backend: SearchBackend, backoff = SYNC_BACKOFF): SerialIndexSync {
  let last: Promise<unknown> = Promise.resolve();
  let failures = 0;
  let retryAt = 0;
  let lastError: string | null = null;
  return {
    run: (force = false) => {
      const next = last.then(async (): Promise<SyncResult> => {
        if (!force && Date.now() < retryAt) return { applied: 0, error: lastError, deferred: true };
        const result = await syncIndex(catalog, backend);
        if (result.error === null) {
          failures = 0;
          retryAt = 0;
        } else {
          failures += 1;
          retryAt = Date.now() + Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
        }
        lastError = result.error;
        return result;
      });
      last = next.catch(() => {});
      return next;
    },
    idle: async () => {
      await last;
    },
  };
}

/** The change that makes the index show a document as the catalog has it now. */
export function indexChangeFor(catalog: Catalog, documentId: number): IndexChange {
  const document = catalog.getDocument(documentId);
  if (!document || !document.outputPath) return { op: 'delete', documentId };
  const identifiers = new Map<number, string[]>();
  for (const fact of catalog.facts(documentId)) {
    if (fact.kind === 'date' || TAX_NUMBER_KINDS.has(fact.kind) || fact.pageNo === null) continue;
    identifiers.set(fact.pageNo, [...(identifiers.get(fact.pageNo) ?? []), identifierVariants(fact.kind, fact.value)]);
  }
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
      documentType: document.documentType,
      date: document.date,
      language: document.language,
      personalData: document.personalData === 1,
      text: page.text,
      identifiers: (identifiers.get(page.pageNo) ?? []).join(' | '),
    }])),
  };
}

/** One change per document, reflecting the catalog as it is now (later entries win). */
function changesFor(catalog: Catalog, entries: readonly OutboxEntry[]): IndexChange[] {
  return [...new Set(entries.map((e) => e.documentId))].map((documentId) => indexChangeFor(catalog, documentId));
}

/** Every converted document of the catalog, as batches of index changes: what a rebuild feeds the backend. */
export async function* catalogBatches(catalog: Catalog, documentsPerBatch = 200): AsyncIterable<IndexChange[]> {
  for (let after = 0; ; ) {
    const ids = catalog.convertedDocumentIds(after, documentsPerBatch);
    if (ids.length === 0) return;
    yield ids.map((id) => indexChangeFor(catalog, id));
    after = ids[ids.length - 1]!;
  }
}
