/**
 * The index stage's outbox against a backend that refuses one document (a page over its limits, a
 * value it will not take): the others go through, and the refused one is set aside (status counts
 * it, `index --sync --retry-refused` puts it back) instead of holding them back for ever. A backend
 * out of reach keeps every update, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { syncIndex } from '../../core/pipeline/index-sync.js';
import type { IndexChange, SearchBackend } from '../../core/search/search-backend.js';

/** A backend that keeps what it is given and refuses, or cannot be reached for, the documents it is told. */
function scriptedBackend(behaviour: { refuse?: number[]; unreachable?: boolean }) {
  const taken: number[] = [];
  const calls: number[][] = [];
  const backend = {
    name: 'scripted',
    async apply(changes: IndexChange[]) {
      calls.push(changes.map((change) => change.documentId));
      if (behaviour.unreachable) throw new AppError('SEARCH_UNAVAILABLE', 'connection refused', { details: { code: undefined } });
      const bad = changes.find((change) => behaviour.refuse?.includes(change.documentId));
      if (bad) throw new AppError('SEARCH_UNAVAILABLE', `refused document ${bad.documentId}`, { details: { code: 'invalid_document_fields', refused: true } });
      taken.push(...changes.map((change) => change.documentId));
    },
  } as unknown as SearchBackend;
  return { backend, taken, calls };
}

let folder: string;
let file: string;
let catalog: Catalog;

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-sync-'));
  file = path.join(folder, 'catalog.sqlite');
  catalog = Catalog.open(file);
});
afterEach(() => {
  catalog.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Outbox entries for documents the catalog does not hold: each becomes a delete, as for a removed document. */
function queue(...documentIds: number[]): void {
  const db = new Database(file);
  const insert = db.prepare("INSERT INTO outbox (document_id, op, created_at) VALUES (?, 'delete', '2026-01-01T00:00:00Z')");
  for (const id of documentIds) insert.run(id);
  db.close();
}

const outbox = () => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT document_id AS documentId, attempts, refused_at IS NOT NULL AS setAside FROM outbox ORDER BY id').all();
  db.close();
  return rows;
};

describe('the index outbox', () => {
  it('applies the documents a backend takes when it refuses one of a batch, and sets the refused one aside with its error', async () => {
    queue(1, 2, 3, 4);
    const { backend, taken } = scriptedBackend({ refuse: [2] });
    const result = await syncIndex(catalog, backend);
    expect(result).toEqual({ applied: 3, error: null, refused: 1 });
    expect(taken.sort()).toEqual([1, 3, 4]);
    expect(outbox()).toEqual([{ documentId: 2, attempts: 1, setAside: 1 }]);
    expect(catalog.indexBacklog()).toMatchObject({ pending: 1, refused: 1, lastError: expect.stringMatching(/refused document 2/) });
  });

  it('never tries a set-aside update again by itself, so it holds nothing back; --retry-refused puts it back in line', async () => {
    queue(2);
    const { backend, taken, calls } = scriptedBackend({ refuse: [2] });
    await syncIndex(catalog, backend);
    queue(5, 6);
    const second = await syncIndex(catalog, backend, 2);
    expect(calls.slice(1)).toEqual([[5, 6]]);
    expect(taken).toEqual([5, 6]);
    expect(second).toEqual({ applied: 2, error: null, refused: 0 });
    expect(outbox()).toEqual([{ documentId: 2, attempts: 1, setAside: 1 }]);
    expect(catalog.retryRefusedIndexUpdates()).toBe(1);
    const { backend: fixed, taken: now } = scriptedBackend({});
    expect(await syncIndex(catalog, fixed)).toEqual({ applied: 1, error: null, refused: 0 });
    expect(now).toEqual([2]);
    expect(outbox()).toEqual([]);
  });

  it('lets the event loop turn between batches, so a long sync (a bulk change) does not hold up the server that runs it', async () => {
    queue(1, 2, 3, 4, 5, 6);
    // The backend answers at once, as the embedded index (which writes on this thread) does.
    const { backend, calls } = scriptedBackend({});
    const seen: number[] = [];
    const waiting = setImmediate(() => seen.push(calls.length));
    await syncIndex(catalog, backend, 2);
    clearImmediate(waiting);
    expect(calls).toHaveLength(3);
    // Another task (a request) ran after the first batch, not after the last.
    expect(seen).toEqual([1]);
  });

  it('keeps every update, in order, when the backend cannot be reached (no one-by-one retries)', async () => {
    queue(1, 2, 3);
    const { backend, calls } = scriptedBackend({ unreachable: true });
    const result = await syncIndex(catalog, backend);
    expect(result).toMatchObject({ applied: 0, error: 'connection refused' });
    expect(calls).toEqual([[1, 2, 3]]);
    expect(outbox()).toEqual([1, 2, 3].map((documentId) => ({ documentId, attempts: 1, setAside: 0 })));
  });
});
