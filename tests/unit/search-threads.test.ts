/**
 * acervo serve's search threads: searches off the server's thread, one clerk's long search never
 * holding up the others, a stuck search stopped and its thread replaced, answers kept until the
 * index changes. The pool is driven here with a scripted thread (tests/helpers) whose searches the
 * test decides, over a real index file; and once with the real search thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeDocumentSet, withRule } from '../../core/search/document-set.js';
import { openEmbeddedIndex } from '../../core/search/embedded/embedded-backend.js';
import { searchOnThreads, type ThreadedBackend } from '../../core/search/embedded/search-threads.js';
import type { IndexedPage, SearchBackend } from '../../core/search/search-backend.js';

const root = mkdtempSync(join(tmpdir(), 'acervo-threads-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SCRIPTED = new URL('../helpers/scripted-search-thread.mjs', import.meta.url);
let opened: SearchBackend[] = [];
afterEach(async () => {
  for (const backend of opened.splice(0)) await backend.close();
});

function page(documentId: number, text: string): IndexedPage {
  return { documentId, pageNo: 1, title: `Documento ${documentId}`, source: `/s/${documentId}.tif`, pdf: `pdf/${documentId}.pdf`, collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text, identifiers: '' };
}

let files = 0;
async function pool(options: { scripted: boolean; hardLimitMs?: number; budgetMs?: number }) {
  const indexFile = join(root, `index-${++files}.sqlite`);
  const writer = openEmbeddedIndex(indexFile);
  await writer.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 'Alvará de funcionamento')] }]);
  const backend = searchOnThreads(writer, {
    indexFile,
    catalogFile: null,
    threads: 2,
    budgetMs: options.budgetMs ?? 1000,
    hardLimitMs: options.hardLimitMs ?? 10_000,
    ...(options.scripted ? { script: SCRIPTED } : {}),
  });
  opened.push(backend);
  return backend;
}

const ask = (backend: SearchBackend, text: string) => backend.search({ text, limit: 10, offset: 0 });

describe('search threads', () => {
  it('search the real index off the server thread, and keep each error\'s code', async () => {
    const backend = await pool({ scripted: false });
    // Each thread searched the commonest words before taking searches (here: alvara, documento, funcionamento).
    expect(await (backend as ThreadedBackend).ready(10_000)).toBe(6);
    expect((await ask(backend, 'funcionamento')).hits.map((hit) => hit.documentId)).toEqual([1]);
    await expect(ask(backend, '"')).rejects.toMatchObject({ code: 'QUERY_INVALID', details: { reason: 'no-words' } });
    // Writes go to the server's own index; the threads see them.
    await backend.apply([{ op: 'upsert', documentId: 2, pages: [page(2, 'Alvará de construção')] }]);
    expect((await ask(backend, 'alvará')).total).toBe(2);
  });

  it('answer other clerks while one search runs long, and stop a stuck search at the hard limit', async () => {
    const backend = await pool({ scripted: true, hardLimitMs: 1500 });
    const stuck = ask(backend, 'stuck');
    const slow = ask(backend, 'slow');
    // Both threads are busy now; the quick ones wait for the slow one's thread, never for the stuck one.
    const quick = await Promise.all([ask(backend, 'a'), ask(backend, 'b'), ask(backend, 'c')]);
    expect(quick.map((r) => r.query)).toEqual(['a', 'b', 'c']);
    await expect(stuck).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE' });
    await expect(slow).resolves.toMatchObject({ query: 'slow' });
    // The stuck thread was replaced: two threads answer again.
    const after = await Promise.all([ask(backend, 'slow'), ask(backend, 'slow'), ask(backend, 'd')]);
    expect(after.map((r) => r.query)).toEqual(['slow', 'slow', 'd']);
    await expect(ask(backend, 'refused')).rejects.toMatchObject({ code: 'QUERY_INVALID', details: { reason: 'no-words' } });
  });

  it('give each search the time budget, at most the server\'s', async () => {
    const backend = await pool({ scripted: true, budgetMs: 400 });
    expect(await ask(backend, 'x')).toMatchObject({ budgetMs: 400 });
    expect(await backend.search({ text: 'y', limit: 1, offset: 0, budgetMs: 50 })).toMatchObject({ budgetMs: 50 });
    expect(await backend.search({ text: 'z', limit: 1, offset: 0, budgetMs: 5000 })).toMatchObject({ budgetMs: 400 });
  });

  it('search a prepared document set on the real threads, its bits shared, not copied', async () => {
    const backend = await pool({ scripted: false });
    await backend.apply([{ op: 'upsert', documentId: 2, pages: [page(2, 'Alvará de construção')] }]);
    expect((await backend.search({ text: 'alvará', limit: 10, offset: 0, filters: { documentSet: makeDocumentSet([2, 7]) } })).hits.map((hit) => hit.documentId)).toEqual([2]);
    expect((await backend.search({ text: 'alvará', limit: 10, offset: 0, filters: { documentSet: makeDocumentSet([]) } })).total).toBe(0);
  });

  it("key a cached answer by a document set's name, never its members", async () => {
    const backend = await pool({ scripted: true });
    const one = makeDocumentSet([1, 2, 3]);
    const first = await backend.search({ text: 'e', limit: 1, offset: 0, filters: { documentSet: one } });
    // The same set with a rule for other backends: the same members, the same answer.
    expect((await backend.search({ text: 'e', limit: 1, offset: 0, filters: { documentSet: withRule(one, null) } })).total).toBe(first.total);
    // Another set of the same members is another key (a set is named when made): asked afresh.
    expect((await backend.search({ text: 'e', limit: 1, offset: 0, filters: { documentSet: makeDocumentSet([1, 2, 3]) } })).total).not.toBe(first.total);
  });

  it('answer a repeated search from the cache until the index changes', async () => {
    const backend = await pool({ scripted: true });
    const first = await ask(backend, 'e');
    expect((await ask(backend, 'e')).total).toBe(first.total);
    await backend.apply([{ op: 'upsert', documentId: 3, pages: [page(3, 'Ofício')] }]);
    const fresh = await ask(backend, 'e');
    expect(fresh.total).not.toBe(first.total);
    // A cached answer is a copy: what a caller does with it never reaches the next caller.
    fresh.hits.push({} as never);
    expect((await ask(backend, 'e')).hits).toEqual([]);
  });
});
