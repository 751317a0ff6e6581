/**
 * The Meilisearch backend against a server that answers as Meilisearch does (recorded shapes,
 * tests/helpers/recorded-meilisearch.ts, each cited there from Meilisearch's source): what the
 * adapter sends and waits for, pinned without a real server. The same behaviour on a real server
 * is the contract suite's (`MEILISEARCH_URL=… npm run test:meilisearch`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_SETTINGS } from '../../core/search/meilisearch-settings.js';
import { filterExpression, quoted } from '../../core/search/meilisearch-filters.js';
import { openMeilisearchBackend } from '../../core/search/meilisearch-backend.js';
import type { IndexChange, SearchBackend } from '../../core/search/search-backend.js';
import { RecordedMeilisearch } from '../helpers/recorded-meilisearch.js';

let server: RecordedMeilisearch;
beforeEach(async () => {
  server = await new RecordedMeilisearch().start();
});
afterEach(async () => {
  await server.close();
});

const open = (over: { apiKey?: string | null; searchKey?: string | null; taskTimeoutMs?: number; index?: string } = {}): SearchBackend =>
  openMeilisearchBackend({ host: server.url, index: over.index ?? 'acervo', apiKey: over.apiKey ?? null, searchKey: over.searchKey ?? null, batchSize: 1000, taskTimeoutMs: over.taskTimeoutMs ?? 5000, requestTimeoutMs: 5000 });

function page(documentId: number, pageNo: number, text = 'alvará de construção'): IndexChange {
  return { op: 'upsert', documentId, pages: [{ documentId, pageNo, title: `Documento ${documentId}`, source: `/s/${documentId}.tif`, pdf: `${documentId}.pdf`, collection: 'Obras', year: 1987, documentType: null, date: null, language: 'pt', personalData: false, text }] };
}

describe('Meilisearch, against recorded answers', () => {
  it('answers a search while a settings update runs, without waiting for it; a write waits for that very task', async () => {
    server.held.add('settingsUpdate');
    const backend = open();
    const found = await backend.search({ text: 'alvara', limit: 10, offset: 0 });
    expect(found.total).toBe(0);
    const updates = server.requestsTo('PATCH', /^\/indexes\/acervo\/settings$/);
    expect(updates).toHaveLength(1);
    // A second search sends no second update, and never asks after the task.
    await backend.search({ text: 'decreto', limit: 10, offset: 0 });
    expect(server.requestsTo('PATCH', /\/settings$/)).toHaveLength(1);
    const [settingsTask] = server.tasksOf('settingsUpdate');
    expect(server.requestsTo('GET', new RegExp(`^/tasks/${settingsTask}$`))).toHaveLength(0);
    // A write waits for the update it found pending, then writes.
    const writing = backend.apply([page(1, 1)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requestsTo('POST', /\/documents$/)).toHaveLength(0);
    server.release('settingsUpdate');
    await writing;
    expect(server.requestsTo('PATCH', /\/settings$/)).toHaveLength(1);
    expect(server.requestsTo('POST', /\/documents$/)).toHaveLength(1);
  });

  it('waits on a settings update another process sent, found among the pending tasks, instead of sending its own', async () => {
    server.held.add('settingsUpdate');
    await open().search({ text: 'x', limit: 1, offset: 0 });
    const other = open();
    await other.search({ text: 'y', limit: 1, offset: 0 });
    expect(server.requestsTo('PATCH', /\/settings$/)).toHaveLength(1);
    expect(server.requestsTo('GET', /^\/tasks$/).length).toBeGreaterThanOrEqual(2);
    server.release('settingsUpdate');
    await other.apply([page(1, 1)]);
    expect(server.requestsTo('PATCH', /\/settings$/)).toHaveLength(1);
  });

  it('does not send pages again whose task outlived its wait: it waits on that task when the outbox retries', async () => {
    const backend = open({ taskTimeoutMs: 300 });
    await backend.apply([page(1, 1)]); // settings applied, index ready
    server.held.add('documentAdditionOrUpdate');
    await expect(backend.apply([page(2, 1)])).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE' });
    await expect(backend.apply([page(2, 1)])).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE' });
    expect(server.requestsTo('POST', /\/documents$/)).toHaveLength(2); // page 1, then page 2 once
    server.release('documentAdditionOrUpdate');
    await backend.apply([page(2, 1)]);
    expect(server.requestsTo('POST', /\/documents$/)).toHaveLength(2);
    expect(server.indexes.get('acervo')!.documents.has('2-1')).toBe(true);
  });

  it('sends a request over the payload limit again in halves, until each fits', async () => {
    const backend = open();
    await backend.apply([page(1, 1)]);
    server.maxDocumentsPerRequest = 3;
    await backend.apply(Array.from({ length: 10 }, (_, i) => page(i + 2, 1)));
    const sizes = server.requestsTo('POST', /\/documents$/).slice(1).map((request) => (request.body as unknown[]).length);
    expect(sizes).toEqual([10, 5, 3, 2, 5, 3, 2]);
    expect(server.indexes.get('acervo')!.documents.size).toBe(11);
  });

  it('counts documents with a call that is not capped at maxTotalHits', async () => {
    const backend = open();
    await backend.apply(Array.from({ length: 30 }, (_, i) => page(i + 1, 1)));
    // A search's total stops at maxTotalHits (10,000): a library of 25,000 matching pages says "more than".
    server.searchAnswer = (_body, index) => ({ hits: [...index.documents.values()], candidates: 25_000 });
    const found = await backend.search({ text: 'alvara', limit: 5, offset: 0 });
    expect(found).toMatchObject({ total: 10_000, totalEstimate: 'at-least' });
    server.maxTotalHits = 10;
    expect(await backend.stats()).toEqual({ documents: 30, pages: 30 });
  });

  it('asks for the snippet only, never the whole page text', async () => {
    const backend = open();
    await backend.apply([page(1, 1, 'alvará de construção '.repeat(200))]);
    const found = await backend.search({ text: 'alvara', limit: 5, offset: 0 });
    const body = server.requestsTo('POST', /\/search$/).at(-1)!.body;
    expect(body.attributesToRetrieve).not.toContain('text');
    expect(body.attributesToCrop).toEqual(['text']);
    expect(found.hits[0]!.snippet.length).toBeLessThan(200);
  });

  it('searches with a search-only key for this index before one for every index, and looks again when the key was deleted', async () => {
    server.adminKey = 'admin-key';
    server.keys = [
      { key: 'every-index', uid: 'u1', actions: ['search'], indexes: ['*'], expiresAt: null },
      { key: 'this-index', uid: 'u2', actions: ['search'], indexes: ['acervo'], expiresAt: null },
    ];
    const backend = open({ apiKey: 'admin-key' });
    await backend.search({ text: 'a', limit: 1, offset: 0 });
    expect(server.requestsTo('POST', /\/search$/).at(-1)!.authorization).toBe('Bearer this-index');
    // IT deletes that key and makes another; serve keeps running.
    server.keys = [{ key: 'new-key', uid: 'u3', actions: ['search'], indexes: ['acervo'], expiresAt: null }];
    await backend.search({ text: 'b', limit: 1, offset: 0 });
    expect(server.requestsTo('POST', /\/search$/).map((r) => r.authorization).slice(-2)).toEqual(['Bearer this-index', 'Bearer new-key']);
  });

  it('gives a rebuilt index the synonyms and stop words IT set on the live one', async () => {
    const backend = open();
    await backend.apply([page(1, 1)]);
    Object.assign(server.indexes.get('acervo')!.settings, { synonyms: { alvara: ['licença'] }, stopWords: ['de', 'da'] });
    await backend.rebuild((async function* () {
      yield [page(1, 1)];
    })());
    const setUp = server.requestsTo('PATCH', /^\/indexes\/acervo__rebuild\/settings$/)[0]!.body;
    expect(setUp).toMatchObject({ synonyms: { alvara: ['licença'] }, stopWords: ['de', 'da'], searchableAttributes: INDEX_SETTINGS.searchableAttributes });
    expect(server.indexes.get('acervo')!.settings).toMatchObject({ synonyms: { alvara: ['licença'] } });
  });
});

describe('Meilisearch filter strings', () => {
  it('escape quotes only: the parser removes no other backslash (filter-parser src/value.rs)', () => {
    expect(quoted('Obras')).toBe('"Obras"');
    expect(quoted('Obras "antigas"')).toBe('"Obras \\"antigas\\""');
    // A backslash stays as written: "a\b" is read back as a\b.
    expect(quoted('Caixa 3\\B')).toBe('"Caixa 3\\B"');
    expect(filterExpression({ collections: ['Obras" OR collection = "x'] })).toEqual(['collection IN ["Obras\\" OR collection = \\"x"]']);
  });

  it('refuses a name that cannot be written in a filter, rather than match another', () => {
    for (const name of ['Fundo\\', 'a\\"b']) expect(() => quoted(name), name).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => filterExpression({ excludeCollections: ['Pessoal\\'] })).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });
});
