/**
 * The embedded index's own parts, beyond the port's contract: its byte formats, and its answers
 * checked against a plain reading of the same pages while writes, deletions and merges reshape
 * its segments; time budgets, read-only opening and the limits it reports.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedIndex } from '../../core/search/embedded/embedded-backend.js';
import { ByteWriter, decodePages, encodePages, PositionsCursor, writePositions } from '../../core/search/embedded/postings.js';
import { nextMerge } from '../../core/search/embedded/segment-merge.js';
import { makeSnippet } from '../../core/search/embedded/snippet.js';
import type { IndexChange, IndexedPage, SearchBackend } from '../../core/search/search-backend.js';
import { tokenize } from '../../core/search/text-folding.js';

const root = mkdtempSync(join(tmpdir(), 'acervo-embedded-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let opened: SearchBackend[] = [];
afterEach(async () => {
  for (const backend of opened) await backend.close();
  opened = [];
});
let files = 0;
const freshIndex = (options: Parameters<typeof openEmbeddedIndex>[1] = {}) => {
  const file = join(root, `index-${++files}.sqlite`);
  const backend = openEmbeddedIndex(file, options);
  opened.push(backend);
  return { backend, file };
};

function page(documentId: number, pageNo: number, text: string, title = `Documento ${documentId}`): IndexedPage {
  return { documentId, pageNo, title, source: `/s/${documentId}.tif`, pdf: `pdf/${documentId}.pdf`, collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text, identifiers: '' };
}

describe('posting list bytes', () => {
  it('reads back pages and weights as written, weights of 1 costing no byte', () => {
    const pages = [0, 1, 2, 130, 20_000, 1_000_000];
    const weights = [1, 3, 1, 255, 1, 2];
    const blob = encodePages(pages, weights);
    const read = decodePages(blob);
    expect([...read.pages]).toEqual(pages);
    expect([...read.weights]).toEqual(weights);
    expect(encodePages([0, 1, 2], [1, 1, 1]).length).toBe(4); // count + one byte a page
  });

  it('steps over a page\'s positions or reads them, and copies them as stored', () => {
    const out = new ByteWriter();
    writePositions(out, [3, 200, 20_000]);
    writePositions(out, [0]);
    writePositions(out, [7, 8]);
    const cursor = new PositionsCursor(out.toBuffer());
    expect(cursor.read()).toEqual([3, 200, 20_000]);
    cursor.skip();
    expect(cursor.read()).toEqual([7, 8]);
    const copy = new ByteWriter();
    const again = new PositionsCursor(out.toBuffer());
    again.skip();
    copy.append(again.rawNext());
    expect(new PositionsCursor(copy.toBuffer()).read()).toEqual([0]);
  });
});

describe('merging segments', () => {
  it('merges eight of a size, rewrites a mostly deleted one, drops an empty one', () => {
    const of = (live: number, pages = live) => ({ pages, live });
    expect(nextMerge([1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, ...of(10) })))).toBeNull();
    expect(nextMerge([1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, ...of(10) })))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(nextMerge([{ id: 1, ...of(100_000) }, ...[2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, ...of(10) }))])).toBeNull();
    expect(nextMerge([{ id: 1, ...of(30_000, 100_000) }])).toEqual([1]);
    expect(nextMerge([{ id: 1, ...of(5) }, { id: 2, ...of(0, 40) }])).toEqual([2]);
  });
});

/** A reading of the pages by hand, for checking answers: words of each field, in order. */
class Reference {
  readonly pages = new Map<string, { documentId: number; pageNo: number; fields: string[][] }>();

  apply(changes: IndexChange[]): void {
    for (const change of changes) {
      for (const key of [...this.pages.keys()]) if (key.startsWith(`${change.documentId}/`)) this.pages.delete(key);
      if (change.op === 'upsert') {
        for (const p of change.pages) this.pages.set(`${p.documentId}/${p.pageNo}`, { documentId: p.documentId, pageNo: p.pageNo, fields: [tokenize(p.title), tokenize(p.identifiers), tokenize(p.text)] });
      }
    }
  }

  /** Keys of pages holding the phrase (words adjacent, in order, within one field). */
  holding(phrase: string[]): Set<string> {
    const found = new Set<string>();
    for (const [key, page] of this.pages) {
      if (page.fields.some((words) => words.some((_, i) => phrase.every((word, j) => words[i + j] === word)))) found.add(key);
    }
    return found;
  }
}

describe('answers, against a plain reading of the pages', () => {
  const VOCABULARY = ['alvara', 'obra', 'lote', 'rua', 'praca', 'decreto', 'ata', 'sessao', 'camara', 'imposto', 'divida', 'cadastro'];

  function randomPage(random: () => number): string {
    const words: string[] = [];
    const length = 1 + Math.floor(random() * 30);
    for (let i = 0; i < length; i += 1) words.push(VOCABULARY[Math.floor(random() * random() * VOCABULARY.length)] as string);
    return words.join(' ');
  }

  it('finds the same pages for words, phrases, exclusions and OR through writes, deletions and merges', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const { backend, file } = freshIndex();
    const reference = new Reference();
    // Many small writes: segments are merged (eight of a size), documents replaced and deleted.
    for (let round = 0; round < 40; round += 1) {
      const changes: IndexChange[] = [];
      for (let i = 0; i < 6; i += 1) {
        const documentId = 1 + Math.floor(random() * 60);
        if (random() < 0.15) changes.push({ op: 'delete', documentId });
        else {
          const count = 1 + Math.floor(random() * 3);
          changes.push({ op: 'upsert', documentId, pages: Array.from({ length: count }, (_, p) => page(documentId, p + 1, randomPage(random))) });
        }
      }
      await backend.apply(changes);
      reference.apply(changes);
    }
    const segments = new Database(file, { readonly: true });
    const segmentCount = segments.prepare('SELECT count(*) FROM segments').pluck().get() as number;
    segments.close();
    expect(segmentCount).toBeLessThanOrEqual(8);

    const keysOf = async (text: string) => {
      const result = await backend.search({ text, limit: 1000, offset: 0 });
      expect(result.hits.length, text).toBe(result.total);
      return new Set(result.hits.map((hit) => `${hit.documentId}/${hit.page}`));
    };
    const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((k) => !b.has(k)));
    const both = (a: Set<string>, b: Set<string>) => new Set([...a].filter((k) => b.has(k)));
    const either = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);
    // Quoted words: taken as typed (no typo expansion, no prefix), so a plain reading can check them.
    for (let q = 0; q < 60; q += 1) {
      const a = VOCABULARY[Math.floor(random() * VOCABULARY.length)] as string;
      const b = VOCABULARY[Math.floor(random() * VOCABULARY.length)] as string;
      const c = VOCABULARY[Math.floor(random() * VOCABULARY.length)] as string;
      expect(await keysOf(`"${a}"`), a).toEqual(reference.holding([a]));
      expect(await keysOf(`"${a} ${b}"`), `${a} ${b}`).toEqual(reference.holding([a, b]));
      expect(await keysOf(`"${a} ${b} ${c}"`), `${a} ${b} ${c}`).toEqual(reference.holding([a, b, c]));
      expect(await keysOf(`"${a}" "${b}"`), `${a} and ${b}`).toEqual(both(reference.holding([a]), reference.holding([b])));
      expect(await keysOf(`"${a}" -"${b}"`), `${a} not ${b}`).toEqual(minus(reference.holding([a]), reference.holding([b])));
      expect(await keysOf(`"${a}" OR "${b}" "${c}"`), `(${a} or ${b}) and ${c}`).toEqual(both(either(reference.holding([a]), reference.holding([b])), reference.holding([c])));
    }
  });

  it('replaces hundreds of documents of one segment in one write (a bulk change’s batch): each found once, with its new words', async () => {
    const { backend, file } = freshIndex();
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    await backend.apply(ids.map((id) => ({ op: 'upsert', documentId: id, pages: [page(id, 1, 'caixa doze obra'), page(id, 2, 'folha dois')] })));
    await backend.apply(ids.slice(0, 200).map((id) => ({ op: 'upsert', documentId: id, pages: [page(id, 1, 'caixa treze obra'), page(id, 2, 'folha dois')] })));
    const found = async (text: string) => {
      const result = await backend.search({ text, limit: 1000, offset: 0 });
      return { total: result.total, documents: new Set(result.hits.map((hit) => hit.documentId)).size };
    };
    expect(await found('"doze"')).toEqual({ total: 100, documents: 100 });
    expect(await found('"treze"')).toEqual({ total: 200, documents: 200 });
    expect(await found('"folha"')).toEqual({ total: 300, documents: 300 });
    expect(await backend.stats()).toEqual({ documents: 300, pages: 600 });
    const db = new Database(file, { readonly: true });
    // The first segment keeps the pages of the 100 documents not replaced: 400 of its 600 are deleted.
    expect(db.prepare('SELECT pages, live FROM segments ORDER BY id LIMIT 1').get()).toEqual({ pages: 600, live: 200 });
    db.close();
  });

  it('ranks a page holding the word more often, or in its title, above one holding it once', async () => {
    const { backend } = freshIndex();
    const filler = 'texto comum da pagina sem nada de especial ';
    await backend.apply([
      { op: 'upsert', documentId: 1, pages: [page(1, 1, `${filler} vistoria`)] },
      { op: 'upsert', documentId: 2, pages: [page(2, 1, `${filler} vistoria vistoria vistoria`)] },
      { op: 'upsert', documentId: 3, pages: [page(3, 1, `${filler} vistoria`, 'Vistoria do imóvel')] },
    ]);
    const ranked = (await backend.search({ text: '"vistoria"', limit: 10, offset: 0 })).hits.map((hit) => hit.documentId);
    expect(ranked[2]).toBe(1);
  });
});

describe('phrases beside a common word', () => {
  it('read only the stretches of its positions around a rare word, before and after merges', async () => {
    const { backend } = freshIndex();
    // "de" on every page, at different places; "raro de prazo" on three of them, far apart.
    const pageOf = (id: number) => page(id, 1, id % 331 === 7 ? `início ${'de '.repeat(id % 5)}raro de prazo fim` : `${'palavra '.repeat(id % 7)}de texto ${id} de fim`);
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
    // Eight writes of one size class: the last merges them, and the merge writes new skip tables.
    for (let round = 0; round < 8; round += 1) {
      await backend.apply(ids.filter((id) => id % 8 === round).map((id) => ({ op: 'upsert' as const, documentId: id, pages: [pageOf(id)] })));
      const found = await backend.search({ text: '"raro de prazo"', limit: 10, offset: 0 });
      const expected = ids.filter((id) => id % 331 === 7 && id % 8 <= round);
      expect(found.hits.map((hit) => hit.documentId).sort((a, b) => a - b), `round ${round}`).toEqual(expected);
    }
    expect((await backend.search({ text: '"de texto"', limit: 0, offset: 0 })).total).toBe(ids.filter((id) => id % 331 !== 7).length);
    expect((await backend.search({ text: '"texto 500 de"', limit: 10, offset: 0 })).hits.map((hit) => hit.documentId)).toEqual([500]);
  });
});

describe('time budget', () => {
  it('answers with the pages ranked so far and an estimated count when the budget runs out', async () => {
    const { backend } = freshIndex();
    const changes: IndexChange[] = [];
    for (let id = 1; id <= 9000; id += 1) changes.push({ op: 'upsert', documentId: id, pages: [page(id, 1, `processo municipal número ${id}`)] });
    await backend.apply(changes);
    const exact = await backend.search({ text: '"municipal"', limit: 5, offset: 0, facets: true });
    expect(exact.total).toBe(9000);
    expect(exact.totalEstimate).toBeUndefined();
    const rushed = await backend.search({ text: '"municipal"', limit: 5, offset: 0, facets: true, budgetMs: 0 });
    expect(rushed.totalEstimate).toBe('about');
    expect(rushed.hits).toHaveLength(5);
    expect(rushed.total).toBeGreaterThan(4000);
    expect(rushed.total).toBeLessThan(14_000);
  });

  it('says a count is a lower bound when a short prefix begins more words than it follows', async () => {
    const { backend } = freshIndex();
    const words = Array.from({ length: 400 }, (_, i) => `pa${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}zz`);
    await backend.apply(words.map((word, i) => ({ op: 'upsert' as const, documentId: i + 1, pages: [page(i + 1, 1, `registro ${word}`)] })));
    const result = await backend.search({ text: 'pa', limit: 5, offset: 0 });
    expect(result.totalEstimate).toBe('at-least');
    expect(result.total).toBeGreaterThanOrEqual(20);
    expect((await backend.search({ text: 'paaazz', limit: 5, offset: 0 })).totalEstimate).toBeUndefined();
  });
});

describe('read-only opening', () => {
  it('searches what a writer wrote, refuses to write, and follows the writer\'s later changes', async () => {
    const { backend: writer, file } = freshIndex();
    await writer.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Decreto de nomeação')] }]);
    const reader = openEmbeddedIndex(file, { readonly: true });
    opened.push(reader);
    expect((await reader.search({ text: 'nomeação', limit: 5, offset: 0 })).total).toBe(1);
    await expect(reader.apply([{ op: 'delete', documentId: 1 }])).rejects.toMatchObject({ code: 'INTERNAL' });
    await writer.apply([{ op: 'upsert', documentId: 2, pages: [page(2, 1, 'Outra nomeação')] }, { op: 'delete', documentId: 1 }]);
    expect((await reader.search({ text: 'nomeação', limit: 5, offset: 0 })).hits.map((hit) => hit.documentId)).toEqual([2]);
  });

  it('refuses to open a file that is not there rather than create it', () => {
    expect(() => openEmbeddedIndex(join(root, 'absent', 'index.sqlite'), { readonly: true })).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });
});

describe('snippets', () => {
  const highlight = (words: string[], phrases: string[][] = []) => ({ words: new Set(words), prefixes: [], phrases: phrases.map((p) => p.map((w) => new Set([w]))) });

  it('marks a phrase as one stretch and single words each', () => {
    const snippet = makeSnippet('A tomada de preços foi feita; a tomada de contas não.', highlight(['contas'], [['tomada', 'de', 'precos']]));
    expect(snippet).toContain('<mark>tomada de preços</mark>');
    expect(snippet).toContain('<mark>contas</mark>');
    expect(snippet.match(/<mark>/g)).toHaveLength(2);
  });

  it('shows the stretch with the most searched words, and shortens a run of letters too long to be a word', () => {
    const words = Array.from({ length: 60 }, (_, i) => `palavra${i}`).join(' ');
    const snippet = makeSnippet(`${words} ${'x'.repeat(5000)} alvará concedido ${words}`, highlight(['alvara', 'concedido']));
    expect(snippet).toContain('<mark>alvará</mark> <mark>concedido</mark>');
    expect(snippet.length).toBeLessThan(400);
    expect(snippet.startsWith('…')).toBe(true);
  });
});

describe('segment files', () => {
  const segmentFiles = (file: string) => readdirSync(`${file}.segments`).filter((name) => name.endsWith('.seg')).sort();

  it('deletes the files of merged segments once the merge committed, and files no segment owns at the next write', async () => {
    const { backend, file } = freshIndex();
    // Eight small writes make eight segments of one size: the eighth write merges them.
    for (let id = 1; id <= 7; id += 1) await backend.apply([{ op: 'upsert', documentId: id, pages: [page(id, 1, `ofício número ${id}`)] }]);
    expect(segmentFiles(file)).toHaveLength(7);
    await backend.apply([{ op: 'upsert', documentId: 8, pages: [page(8, 1, 'ofício número 8')] }]);
    expect(segmentFiles(file)).toHaveLength(1);
    expect((await backend.search({ text: 'ofício', limit: 20, offset: 0 })).total).toBe(8);
    // What a crash between writing a file and committing leaves behind.
    writeFileSync(join(`${file}.segments`, '9999.seg'), 'left by a crash');
    writeFileSync(join(`${file}.segments`, '9998.seg.tmp'), 'half written');
    await backend.apply([{ op: 'delete', documentId: 8 }]);
    expect(segmentFiles(file)).toHaveLength(1);
    expect(readdirSync(`${file}.segments`).some((name) => name.startsWith('999'))).toBe(false);
    expect((await backend.search({ text: 'ofício', limit: 20, offset: 0 })).total).toBe(7);
  });

  it('keeps answering a reader that began before a merge, and then shows it what the merge made', async () => {
    const { backend: writer, file } = freshIndex();
    for (let id = 1; id <= 7; id += 1) await writer.apply([{ op: 'upsert', documentId: id, pages: [page(id, 1, `portaria número ${id}`)] }]);
    const reader = openEmbeddedIndex(file, { readonly: true });
    opened.push(reader);
    expect((await reader.search({ text: 'portaria', limit: 20, offset: 0 })).total).toBe(7);
    await writer.apply([{ op: 'upsert', documentId: 8, pages: [page(8, 1, 'portaria número 8')] }]);
    expect((await reader.search({ text: 'portaria', limit: 20, offset: 0 })).total).toBe(8);
  });

  it('reports a segment file that is gone as LIBRARY_UNUSABLE', async () => {
    const { backend, file } = freshIndex();
    await backend.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Ata da sessão')] }]);
    for (const name of segmentFiles(file)) rmSync(join(`${file}.segments`, name));
    const reader = openEmbeddedIndex(file, { readonly: true });
    opened.push(reader);
    await expect(reader.search({ text: 'sessão', limit: 5, offset: 0 })).rejects.toMatchObject({ code: 'LIBRARY_UNUSABLE' });
  });

  it('builds a rebuild on worker threads to the same answers as on one thread', async () => {
    const changes = Array.from({ length: 300 }, (_, i) => ({ op: 'upsert' as const, documentId: i + 1, pages: [page(i + 1, 1, `requerimento ${i} de licença número ${i % 17}`), page(i + 1, 2, `despacho ${i % 5} deferido`)] }));
    async function* batches() {
      for (let i = 0; i < changes.length; i += 50) yield changes.slice(i, i + 50);
    }
    const threaded = freshIndex({ buildThreads: 2, threadFromPages: 1 }).backend;
    const here = freshIndex({ buildThreads: 0 }).backend;
    await threaded.rebuild(batches());
    await here.rebuild(batches());
    for (const text of ['requerimento', '"despacho 3"', 'licença -deferido', 'número 7']) {
      const [a, b] = [await threaded.search({ text, limit: 50, offset: 0, facets: true }), await here.search({ text, limit: 50, offset: 0, facets: true })];
      expect(a.total, text).toBe(b.total);
      expect(a.hits.map((hit) => `${hit.documentId}/${hit.page}`), text).toEqual(b.hits.map((hit) => `${hit.documentId}/${hit.page}`));
    }
    expect(await threaded.stats()).toEqual({ documents: 300, pages: 600 });
  });
});
