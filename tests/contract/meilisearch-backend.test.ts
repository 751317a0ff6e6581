/**
 * The SearchBackend contract against a real Meilisearch, whenever one is given:
 *
 *     MEILISEARCH_URL=http://127.0.0.1:7700 MEILISEARCH_API_KEY=<master or admin key> npm test
 *
 * Each test works in its own index (acervo_test_<pid>_<n>), removed afterwards. Without
 * MEILISEARCH_URL the suite is skipped with a message: no Meilisearch can be installed on the
 * machines this project is developed on.
 */
import { Meilisearch } from 'meilisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { openMeilisearchBackend } from '../../core/search/meilisearch-backend.js';
import { INDEX_SETTINGS, settingsHold } from '../../core/search/meilisearch-settings.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { searchBackendContract } from './search-backend.contract.js';

const host = process.env.MEILISEARCH_URL;
const apiKey = process.env.MEILISEARCH_API_KEY ?? null;
if (!host) console.warn('MEILISEARCH_URL is not set: the SearchBackend contract is not run against Meilisearch (see docs/meilisearch.md, "Testing against your server").');

const created: string[] = [];
let opened = 0;
const open = (overrides: { searchKey?: string | null; index?: string } = {}): SearchBackend => {
  const index = overrides.index ?? `acervo_test_${process.pid}_${++opened}`;
  created.push(index);
  return openMeilisearchBackend({ host: host!, index, apiKey, searchKey: overrides.searchKey ?? null, batchSize: 1000, taskTimeoutMs: 60_000, requestTimeoutMs: 10_000 });
};

afterAll(async () => {
  if (!host) return;
  const admin = new Meilisearch({ host, ...(apiKey ? { apiKey } : {}) });
  for (const index of created) {
    await admin.deleteIndexIfExists(index);
    await admin.deleteIndexIfExists(`${index}__rebuild`);
  }
});

describe.skipIf(!host)('Meilisearch', () => {
  searchBackendContract('Meilisearch', async () => open());

  it('creates its index with the settings Acervo needs, and leaves them alone when they hold', async () => {
    const backend = open();
    await backend.stats();
    const admin = new Meilisearch({ host: host!, ...(apiKey ? { apiKey } : {}) });
    const index = created.at(-1)!;
    expect(settingsHold(await admin.index(index).getSettings(), INDEX_SETTINGS)).toBe(true);
    const tasksBefore = (await admin.tasks.getTasks({ indexUids: [index], types: ['settingsUpdate'] })).results.length;
    await open({ index }).stats(); // another process opening the same index
    expect((await admin.tasks.getTasks({ indexUids: [index], types: ['settingsUpdate'] })).results.length).toBe(tasksBefore);
  });

  it('matches name filters without case (the embedded index matches them exactly: search-backend.ts)', async () => {
    const backend = open();
    await backend.apply([{ op: 'upsert', documentId: 1, pages: [{ documentId: 1, pageNo: 1, title: 'Alvará', source: '/s.tif', pdf: 'a.pdf', collection: 'Obras', year: null, documentType: null, date: null, language: null, personalData: false, text: 'alvará de construção' }] }]);
    expect((await backend.search({ text: 'alvara', limit: 10, offset: 0, filters: { collections: ['obras'] } })).total).toBe(1);
  });

  it('counts every document for status, past maxTotalHits, and says "at least" for a search past it', async () => {
    const backend = open();
    const pages = Array.from({ length: 10_050 }, (_, i) => ({ documentId: i + 1, pageNo: 1, title: `Doc ${i + 1}`, source: '/s.tif', pdf: `${i + 1}.pdf`, collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text: 'protocolo geral' }));
    await backend.apply(pages.map((page) => ({ op: 'upsert' as const, documentId: page.documentId, pages: [page] })));
    expect(await backend.stats()).toEqual({ documents: 10_050, pages: 10_050 });
    expect(await backend.search({ text: 'protocolo', limit: 10, offset: 0 })).toMatchObject({ total: 10_000, totalEstimate: 'at-least' });
  }, 300_000);

  it.skipIf(!apiKey)('searches with a search-only key: one that cannot write', async () => {
    const admin = new Meilisearch({ host: host!, apiKey: apiKey! });
    const writer = open();
    const index = created.at(-1)!;
    await writer.apply([{ op: 'upsert', documentId: 1, pages: [{ documentId: 1, pageNo: 1, title: 'Alvará', source: '/s.tif', pdf: 'a.pdf', collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text: 'alvará de construção' }] }]);
    const key = await admin.createKey({ actions: ['search'], indexes: [index], expiresAt: null, description: 'Acervo contract test' });
    try {
      const clerk = open({ index, searchKey: key.key });
      expect((await clerk.search({ text: 'alvara', limit: 10, offset: 0 })).total).toBe(1);
      const readOnly = new Meilisearch({ host: host!, apiKey: key.key });
      await expect(readOnly.index(index).addDocuments([{ id: 'x', documentId: 9 }])).rejects.toThrow();
    } finally {
      await admin.deleteKey(key.uid);
    }
  });
});
