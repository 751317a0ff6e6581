/**
 * The behaviour every SearchBackend must show, whatever engine is behind it. A backend's test
 * file calls `searchBackendContract(name, open)`; `open` gives a ready backend (it is cleared
 * before each test) and each test closes it. A backend's apply() must resolve only once its
 * changes are searchable.
 *
 * Only the port is tested here: what goes in through apply() and comes out of search() and
 * stats(). Engine details (files, SQL, HTTP) belong in the backend's own tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDocumentSet } from '../../core/search/document-set.js';
import type { IndexChange, IndexedPage, SearchBackend, SearchFilters, SearchHit, SearchSort } from '../../core/search/search-backend.js';

interface PageSpec {
  text: string;
  title?: string;
  collection?: string | null;
  year?: number | null;
  documentType?: string | null;
  date?: string | null;
  language?: string | null;
  personalData?: boolean;
  identifiers?: string;
}

/** A document's pages, numbered from 1, with predictable metadata. */
function doc(documentId: number, pages: (string | PageSpec)[], shared: Omit<PageSpec, 'text'> = {}): IndexedPage[] {
  return pages.map((page, index) => {
    const spec = typeof page === 'string' ? { text: page } : page;
    return {
      documentId,
      pageNo: index + 1,
      title: spec.title ?? shared.title ?? `Documento ${documentId}`,
      source: `/arquivo/caixa-${documentId}/scan-${documentId}.tif`,
      pdf: `pdf/${documentId}.pdf`,
      collection: spec.collection !== undefined ? spec.collection : shared.collection ?? null,
      year: spec.year !== undefined ? spec.year : shared.year ?? null,
      documentType: spec.documentType !== undefined ? spec.documentType : shared.documentType ?? null,
      date: spec.date !== undefined ? spec.date : shared.date ?? null,
      language: spec.language !== undefined ? spec.language : shared.language ?? null,
      personalData: spec.personalData ?? shared.personalData ?? false,
      text: spec.text,
      identifiers: spec.identifiers ?? '',
    };
  });
}

/** "documentId/page" of each hit, in order: short, readable assertions. */
const keys = (hits: SearchHit[]) => hits.map((hit) => `${hit.documentId}/${hit.page}`);
const sortedKeys = (hits: SearchHit[]) => keys(hits).sort();

export function searchBackendContract(name: string, open: () => Promise<SearchBackend>): void {
  describe(`SearchBackend contract: ${name}`, () => {
    let backend: SearchBackend;

    beforeEach(async () => {
      backend = await open();
      await backend.clear();
    });

    afterEach(async () => {
      await backend.close();
    });

    const upsert = (documentId: number, pages: IndexedPage[]) => backend.apply([{ op: 'upsert', documentId, pages }]);
    const search = (text: string, filters?: SearchFilters, limit = 20, offset = 0, sort?: SearchSort) =>
      backend.search({ text, limit, offset, ...(filters === undefined ? {} : { filters }), ...(sort === undefined ? {} : { sort }) });

    it('finds the pages holding a word and returns every field of each hit', async () => {
      await upsert(
        7,
        doc(7, ['Requerimento de licença.', 'Concedido o alvará de funcionamento ao requerente.', 'Arquive-se.'], {
          title: 'Alvará 12/1987',
          collection: 'obras',
          year: 1987,
          documentType: 'alvara',
          date: '1987-03-12',
          language: 'pt',
          personalData: true,
        }),
      );
      await upsert(8, doc(8, ['Ofício sem relação com o pedido.']));

      const result = await search('funcionamento');

      expect(result.query).toBe('funcionamento');
      expect(result.total).toBe(1);
      expect(result.hits).toHaveLength(1);
      const hit = result.hits[0] as SearchHit;
      expect(hit).toMatchObject({
        documentId: 7,
        page: 2,
        title: 'Alvará 12/1987',
        source: '/arquivo/caixa-7/scan-7.tif',
        pdf: 'pdf/7.pdf',
        collection: 'obras',
        year: 1987,
        documentType: 'alvara',
        date: '1987-03-12',
        language: 'pt',
        personalData: true,
      });
      expect(hit.snippet).toContain('<mark>funcionamento</mark>');
      expect(Number.isFinite(hit.score)).toBe(true);
    });

    it('returns one hit per matching page, each with its own snippet', async () => {
      await upsert(3, doc(3, ['Capa do processo.', 'Primeira vistoria do imóvel.', 'Segunda vistoria do terreno.']));

      const result = await search('vistoria');

      expect(result.total).toBe(2);
      expect(sortedKeys(result.hits)).toEqual(['3/2', '3/3']);
      const byPage = new Map(result.hits.map((hit) => [hit.page, hit.snippet]));
      expect(byPage.get(2)).toContain('imóvel');
      expect(byPage.get(3)).toContain('terreno');
    });

    it('finds a page by its identifiers in the forms clerks type them, without showing them', async () => {
      await upsert(5, doc(5, [{ text: 'Capa do processo.' }, { text: 'Processo nº 1.873/87, deferido.', identifiers: 'processo 1873/1987 ; 1873/87 ; 1.873/1987 ; 1.873/87' }]));
      await upsert(6, doc(6, ['Processo nº 1.874/87, indeferido.']));
      expect(keys((await search('1873/1987')).hits)).toEqual(['5/2']);
      expect(keys((await search('processo 1873/1987')).hits)).toEqual(['5/2']);
      const hit = (await search('1873/87')).hits[0] as SearchHit;
      expect(keys([hit])).toEqual(['5/2']);
      expect(hit.snippet).not.toContain('1.873/1987');
      // As the clerk types it: the identifier's last part is still a prefix.
      expect(keys((await search('processo 1873/198')).hits)).toEqual(['5/2']);
    });

    it('searches the title too', async () => {
      await upsert(4, doc(4, ['Texto sem a palavra procurada.'], { title: 'Portaria de nomeação' }));

      const result = await search('nomeação');

      expect(keys(result.hits)).toEqual(['4/1']);
    });

    it('ignores case and accents, on both sides', async () => {
      await upsert(1, doc(1, ['Certidão negativa de débitos']));
      await upsert(2, doc(2, ['ALVARÁ DE CONSTRUÇÃO']));
      await upsert(3, doc(3, ['Edital de LICITAÇÃO pública']));
      await upsert(4, doc(4, ['Oficio sem acento e PROTOCOLO']));

      expect(keys((await search('certidao')).hits)).toEqual(['1/1']);
      expect(keys((await search('CERTIDÃO')).hits)).toEqual(['1/1']);
      expect(keys((await search('alvara')).hits)).toEqual(['2/1']);
      expect(keys((await search('construção')).hits)).toEqual(['2/1']);
      expect(keys((await search('licitacao')).hits)).toEqual(['3/1']);
      expect(keys((await search('Ofício protocolo')).hits)).toEqual(['4/1']);
    });

    it('matches the last word as a prefix (search as you type), and only the last', async () => {
      await upsert(1, doc(1, ['Edital de licitação para merenda escolar']));
      await upsert(2, doc(2, ['Ata da sessão ordinária']));

      expect(keys((await search('licit')).hits)).toEqual(['1/1']);
      expect(keys((await search('merenda licit')).hits)).toEqual(['1/1']);
      expect(keys((await search('edital mer')).hits)).toEqual(['1/1']);
      expect((await search('licit merenda')).total).toBe(0);
    });

    it('requires every word', async () => {
      await upsert(1, doc(1, ['Alvará de funcionamento do comércio']));
      await upsert(2, doc(2, ['Alvará de construção da obra']));
      await upsert(3, doc(3, ['Licença de funcionamento provisória']));

      expect(sortedKeys((await search('alvará')).hits)).toEqual(['1/1', '2/1']);
      expect(keys((await search('alvará funcionamento')).hits)).toEqual(['1/1']);
      expect(keys((await search('funcionamento provisória')).hits)).toEqual(['3/1']);
      expect((await search('alvará provisória')).total).toBe(0);
    });

    it('matches "quoted phrases" as adjacent words in order', async () => {
      await upsert(1, doc(1, ['Licitação na modalidade tomada de preços para obras.']));
      await upsert(2, doc(2, ['Os preços foram conferidos antes da tomada de contas.']));

      expect(sortedKeys((await search('tomada preços')).hits)).toEqual(['1/1', '2/1']);
      expect(keys((await search('"tomada de preços"')).hits)).toEqual(['1/1']);
      expect((await search('"preços de tomada"')).total).toBe(0);
      const phraseHit = (await search('"tomada de preços"')).hits[0] as SearchHit;
      expect(phraseHit.snippet).toMatch(/<mark>tomada/);
    });

    it('tolerates a one-letter typo, in the query or in the scanned text', async () => {
      await upsert(1, doc(1, ['Processo de licltação para aquisição de material.'])); // OCR read "i" as "l"
      await upsert(2, doc(2, ['Certidão de regularidade fiscal expedida.']));

      expect(keys((await search('licitação')).hits)).toEqual(['1/1']);
      expect(keys((await search('regularidode')).hits)).toEqual(['2/1']);
    });

    it('ranks pages matching the words as typed above pages matching only through a typo', async () => {
      // The typo page would win on term frequency alone: short, and the word three times.
      await upsert(1, doc(1, ['licltação licltação licltação']));
      await upsert(2, doc(2, [
        'A comissão municipal reuniu-se na sede da prefeitura para examinar os documentos apresentados ' +
          'pelos interessados e, depois de longa discussão sobre prazos e valores, decidiu abrir a licitação ' +
          'com as condições descritas no edital publicado no diário oficial do município na semana anterior.',
      ]));

      const result = await search('licitação');

      expect(keys(result.hits)).toEqual(['2/1', '1/1']);
      expect((result.hits[0] as SearchHit).score).toBeGreaterThan((result.hits[1] as SearchHit).score);
    });

    describe('filters', () => {
      beforeEach(async () => {
        await backend.apply([
          { op: 'upsert', documentId: 1, pages: doc(1, ['Decreto sobre obras'], { collection: 'obras', year: 1987, documentType: 'decreto', date: '1987-05-02', language: 'pt' }) },
          { op: 'upsert', documentId: 2, pages: doc(2, ['Decreto sobre tributos'], { collection: 'fazenda', year: 1992, documentType: 'decreto', date: '1992-11-30', language: 'pt', personalData: true }) },
          { op: 'upsert', documentId: 3, pages: doc(3, ['Decreto sobre pavimentação', 'Anexo do decreto'], { collection: 'obras', year: 2003, documentType: 'decreto', date: '2003-01-15', language: 'pt' }) },
          { op: 'upsert', documentId: 4, pages: doc(4, ['Decreto sem data'], { collection: 'gabinete', year: null, documentType: null, language: 'es' }) },
          { op: 'upsert', documentId: 5, pages: doc(5, ['Portaria de obras'], { collection: 'obras', year: 2003, documentType: 'portaria', date: '2003-07-01', language: 'pt' }) },
        ]);
      });

      it('keeps the pages of the given documents', async () => {
        expect(sortedKeys((await search('decreto', { documentIds: [3] })).hits)).toEqual(['3/1', '3/2']);
        expect(sortedKeys((await search('decreto', { documentIds: [1, 2] })).hits)).toEqual(['1/1', '2/1']);
        expect((await search('decreto', { documentIds: [] })).total).toBe(5);
      });

      it('keeps the pages of the documents of a prepared set (both filters must hold); an empty set keeps nothing', async () => {
        expect(sortedKeys((await search('decreto', { documentSet: makeDocumentSet([3]) })).hits)).toEqual(['3/1', '3/2']);
        expect(sortedKeys((await search('decreto', { documentSet: makeDocumentSet([1, 2, 5]), documentIds: [2, 3] })).hits)).toEqual(['2/1']);
        expect((await search('decreto', { documentSet: makeDocumentSet([]) })).total).toBe(0);
      });

      it('keeps pages of any of the given document types and languages, and by personal data', async () => {
        expect(sortedKeys((await search('decreto', { documentTypes: ['decreto'] })).hits)).toEqual(['1/1', '2/1', '3/1', '3/2']);
        expect(sortedKeys((await search('obras', { documentTypes: ['decreto', 'portaria'] })).hits)).toEqual(['1/1', '5/1']);
        expect(keys((await search('decreto', { languages: ['es'] })).hits)).toEqual(['4/1']);
        expect(keys((await search('decreto', { personalData: true })).hits)).toEqual(['2/1']);
        expect((await search('decreto', { personalData: false })).total).toBe(4);
        expect((await search('decreto', { documentTypes: [], languages: [] })).total).toBe(5);
      });

      it('counts the matching pages per collection, type, year, language and personal data, filters applied', async () => {
        const result = await backend.search({ text: 'decreto', limit: 1, offset: 0, facets: true });
        expect(result.total).toBe(5);
        const facets = result.facets!;
        const asMap = (field: keyof typeof facets) => Object.fromEntries(facets[field].map((f) => [f.value, f.count]));
        expect(asMap('collection')).toEqual({ obras: 3, fazenda: 1, gabinete: 1 });
        expect(asMap('documentType')).toEqual({ decreto: 4 });
        expect(asMap('year')).toEqual({ '1987': 1, '1992': 1, '2003': 2 });
        expect(asMap('language')).toEqual({ pt: 4, es: 1 });
        expect(asMap('personalData')).toEqual({ true: 1, false: 4 });
        // Most first.
        expect(facets.collection[0]).toEqual({ value: 'obras', count: 3 });
        const filtered = await backend.search({ text: 'decreto', limit: 0, offset: 0, facets: true, filters: { collections: ['obras'] } });
        expect(Object.fromEntries(filtered.facets!.year.map((f) => [f.value, f.count]))).toEqual({ '1987': 1, '2003': 2 });
        expect((await search('decreto')).facets).toBeUndefined();
      });

      it('sorts by date, newest or oldest first with undated pages last, and by title', async () => {
        const byDate = (await search('decreto', undefined, 20, 0, 'date-desc')).hits.map((h) => h.documentId);
        expect(byDate.slice(0, 3)).toEqual([3, 3, 2]);
        expect(byDate.at(-1)).toBe(4);
        const oldest = (await search('decreto', undefined, 20, 0, 'date-asc')).hits.map((h) => h.documentId);
        expect(oldest.slice(0, 2)).toEqual([1, 2]);
        expect(oldest.at(-1)).toBe(4);
        await backend.apply([
          { op: 'upsert', documentId: 6, pages: doc(6, ['Ofício do arquivo'], { title: 'Zeladoria: ofício' }) },
          { op: 'upsert', documentId: 7, pages: doc(7, ['Ofício do arquivo'], { title: 'Alvará: ofício' }) },
          { op: 'upsert', documentId: 8, pages: doc(8, ['Ofício do arquivo'], { title: 'Memorando: ofício' }) },
        ]);
        expect((await search('arquivo', undefined, 20, 0, 'title')).hits.map((h) => h.documentId)).toEqual([7, 8, 6]);
      });

      it('keeps pages of any of the given collections', async () => {
        expect(sortedKeys((await search('decreto', { collections: ['obras'] })).hits)).toEqual(['1/1', '3/1', '3/2']);
        expect(sortedKeys((await search('decreto', { collections: ['obras', 'fazenda'] })).hits)).toEqual(['1/1', '2/1', '3/1', '3/2']);
        expect((await search('decreto', { collections: ['arquivo morto'] })).total).toBe(0);
      });

      it('leaves excluded collections out of hits, totals and facets, as if they did not exist', async () => {
        const all = await backend.search({ text: 'decreto', limit: 20, offset: 0, facets: true });
        const without = await backend.search({ text: 'decreto', limit: 20, offset: 0, facets: true, filters: { excludeCollections: ['obras'] } });
        expect(all.total).toBe(5);
        expect(without.total).toBe(2);
        expect(sortedKeys(without.hits)).toEqual(['2/1', '4/1']);
        expect(without.facets!.collection.map((f) => f.value).sort()).toEqual(['fazenda', 'gabinete']);
        expect(Object.fromEntries(without.facets!.year.map((f) => [f.value, f.count]))).toEqual({ '1992': 1 });
        // Asked for by name, it is still not there; pages without a collection are never excluded.
        expect((await search('decreto', { collections: ['obras'], excludeCollections: ['obras'] })).total).toBe(0);
        await upsert(9, doc(9, ['Decreto sem coleção'], { collection: null }));
        expect(keys((await search('coleção', { excludeCollections: ['obras', 'fazenda', 'gabinete'] })).hits)).toEqual(['9/1']);
        expect((await search('decreto', { excludeCollections: [] })).total).toBe(6);
      });

      it('treats an empty collection list as no collection filter', async () => {
        expect((await search('decreto', { collections: [] })).total).toBe(5);
      });

      it('keeps pages within a year range, both ends included', async () => {
        expect(sortedKeys((await search('decreto', { yearFrom: 1992 })).hits)).toEqual(['2/1', '3/1', '3/2']);
        expect(sortedKeys((await search('decreto', { yearTo: 1992 })).hits)).toEqual(['1/1', '2/1']);
        expect(sortedKeys((await search('decreto', { yearFrom: 1992, yearTo: 1992 })).hits)).toEqual(['2/1']);
        expect((await search('decreto', { yearFrom: 1993, yearTo: 2002 })).total).toBe(0);
      });

      it('combines text, collections and years', async () => {
        const result = await search('decreto', { collections: ['obras'], yearFrom: 2000, yearTo: 2010 });
        expect(result.total).toBe(2);
        expect(sortedKeys(result.hits)).toEqual(['3/1', '3/2']);
        expect(keys((await search('obras', { collections: ['obras'], yearFrom: 2000 })).hits)).toEqual(['5/1']);
        expect(keys((await search('pavimentação', { collections: ['fazenda'] })).hits)).toEqual([]);
      });
    });

    it('pages through results with limit and offset, with a stable total and no repeats', async () => {
      await backend.apply(
        Array.from({ length: 25 }, (_, i) => ({
          op: 'upsert' as const,
          documentId: 100 + i,
          pages: doc(100 + i, [`Protocolo de entrada número ${i + 1} registrado no arquivo.`]),
        })),
      );

      const first = await search('protocolo', undefined, 10, 0);
      const second = await search('protocolo', undefined, 10, 10);
      const third = await search('protocolo', undefined, 10, 20);
      const past = await search('protocolo', undefined, 10, 40);

      expect([first.total, second.total, third.total, past.total]).toEqual([25, 25, 25, 25]);
      expect([first.hits.length, second.hits.length, third.hits.length, past.hits.length]).toEqual([10, 10, 5, 0]);
      const seen = [...first.hits, ...second.hits, ...third.hits].map((hit) => hit.documentId);
      expect(new Set(seen).size).toBe(25);
      expect((await search('protocolo', undefined, 10, 0)).hits.map((hit) => hit.documentId)).toEqual(first.hits.map((hit) => hit.documentId));
    });

    it('builds snippets as escaped HTML with the matched words marked', async () => {
      await upsert(1, doc(1, ['O valor da taxa <b>urgente</b> é < 100 & o alvará foi pago em dia.']));

      const hit = (await search('alvara')).hits[0] as SearchHit;

      expect(hit.snippet).toContain('<mark>alvará</mark>');
      expect(hit.snippet).toContain('&lt;');
      expect(hit.snippet).toContain('&amp;');
      const withoutMarks = hit.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '');
      expect(withoutMarks).not.toMatch(/[<>]/);
      expect(withoutMarks).not.toMatch(/&(?!(amp|lt|gt|quot|#39|#x27|apos);)/);
    });

    it('keeps snippets short on long pages', async () => {
      const filler = Array.from({ length: 400 }, (_, i) => `palavra${i % 50}`).join(' ');
      await upsert(1, doc(1, [`${filler} vistoria realizada no local ${filler}`]));

      const hit = (await search('vistoria')).hits[0] as SearchHit;

      expect(hit.snippet).toContain('<mark>vistoria</mark>');
      expect(hit.snippet.length).toBeLessThan(400);
      expect(hit.snippet).toContain('…');
    });

    it('replaces every page of a document on upsert', async () => {
      await upsert(1, doc(1, ['Versão antiga da primeira página', 'Versão antiga da segunda página']));
      await upsert(1, doc(1, ['Versão corrigida após nova leitura']));

      expect((await search('antiga')).total).toBe(0);
      expect(keys((await search('corrigida')).hits)).toEqual(['1/1']);
      expect(await backend.stats()).toEqual({ documents: 1, pages: 1 });
    });

    it('applies a batch of changes in order', async () => {
      await backend.apply([
        { op: 'upsert', documentId: 1, pages: doc(1, ['primeira versão do ofício']) },
        { op: 'upsert', documentId: 2, pages: doc(2, ['memorando interno']) },
        { op: 'upsert', documentId: 1, pages: doc(1, ['segunda versão do ofício']) },
        { op: 'delete', documentId: 2 },
      ]);

      expect((await search('primeira')).total).toBe(0);
      expect(keys((await search('segunda')).hits)).toEqual(['1/1']);
      expect((await search('memorando')).total).toBe(0);
      expect(await backend.stats()).toEqual({ documents: 1, pages: 1 });
    });

    it('deletes a document and nothing else', async () => {
      await upsert(1, doc(1, ['Ata da sessão extraordinária', 'Lista de presença da sessão']));
      await upsert(2, doc(2, ['Ata da sessão ordinária']));

      await backend.apply([{ op: 'delete', documentId: 1 }]);

      expect(keys((await search('sessão')).hits)).toEqual(['2/1']);
      expect((await search('extraordinária')).total).toBe(0);
      expect(await backend.stats()).toEqual({ documents: 1, pages: 1 });
    });

    it('ignores the deletion of a document it does not hold', async () => {
      await upsert(1, doc(1, ['Ata da sessão']));
      await backend.apply([{ op: 'delete', documentId: 999 }]);
      expect(await backend.stats()).toEqual({ documents: 1, pages: 1 });
    });

    it('clears everything', async () => {
      await upsert(1, doc(1, ['Ata da sessão', 'Segunda página']));
      await upsert(2, doc(2, ['Outra ata']));

      await backend.clear();

      expect(await backend.stats()).toEqual({ documents: 0, pages: 0 });
      expect((await search('ata')).total).toBe(0);
      await upsert(3, doc(3, ['Ata nova depois da limpeza']));
      expect(keys((await search('ata')).hits)).toEqual(['3/1']);
    });

    it('rebuilds the whole index from batches: what was there before is gone', async () => {
      await upsert(1, doc(1, ['Registro antigo que não está mais no catálogo']));
      async function* batches(): AsyncIterable<IndexChange[]> {
        yield [{ op: 'upsert', documentId: 2, pages: doc(2, ['Registro reconstruído um', 'segunda página']) }];
        yield [{ op: 'upsert', documentId: 3, pages: doc(3, ['Registro reconstruído dois']) }];
      }
      await backend.rebuild(batches());
      expect((await search('antigo')).total).toBe(0);
      expect(sortedKeys((await search('reconstruído')).hits)).toEqual(['2/1', '3/1']);
      expect(await backend.stats()).toEqual({ documents: 2, pages: 3 });
    });

    it('says it is reachable, where it is and its version', async () => {
      const health = await backend.health();
      expect(health).toMatchObject({ reachable: true, error: null });
      expect(health.location.length).toBeGreaterThan(0);
      expect(health.version).toMatch(/\d+\.\d+/);
    });

    it('counts documents and pages', async () => {
      expect(await backend.stats()).toEqual({ documents: 0, pages: 0 });
      await upsert(1, doc(1, ['um', 'dois', 'três']));
      await upsert(2, doc(2, ['quatro']));
      expect(await backend.stats()).toEqual({ documents: 2, pages: 4 });
    });

    it('never lets search syntax typed by the user cause an error', async () => {
      await upsert(1, doc(1, ['Alvará de licença para funcionamento, NEAR the AND gate.']));
      const typed = [
        'alvará"', '"alvará', 'alv"ará', 'alvará*', '*alvará', 'alvará (licença', '(alvará)', 'alvará)',
        'title:alvará', 'text:licença', 'alvará -licença', 'alvará AND', 'AND alvará', 'alvará OR licença', 'OR alvará', 'alvará OR',
        'NOT alvará', 'NEAR(alvará licença)', 'alvará NEAR licença', 'NEAR', 'AND', '^alvará', 'alvará + licença',
        '{title text}: alvará', "alvará'", '\\alvará', 'alvará;--', "' OR 1=1 --", 'alvará%_', 'alvará\u0000',
      ];
      for (const text of typed) {
        const result = await search(text);
        expect(result.total, text).toBeGreaterThanOrEqual(0);
      }
      expect(keys((await search('(alvará)')).hits)).toEqual(['1/1']);
      expect(keys((await search('alvará*')).hits)).toEqual(['1/1']);
      expect(keys((await search('alvará"')).hits)).toEqual(['1/1']);
    });

    describe('the query language clerks type', () => {
      beforeEach(async () => {
        await backend.apply([
          { op: 'upsert', documentId: 1, pages: doc(1, ['Alvará de funcionamento concedido ao comércio.']) },
          { op: 'upsert', documentId: 2, pages: doc(2, ['Alvará de construção cancelado por falta de pagamento.']) },
          { op: 'upsert', documentId: 3, pages: doc(3, ['Licença provisória de funcionamento.']) },
          { op: 'upsert', documentId: 4, pages: doc(4, ['Autorização especial de funcionamento.']) },
        ]);
      });

      it('leaves out the pages holding a -word or a -"phrase"', async () => {
        expect(keys((await search('alvará -cancelado')).hits)).toEqual(['1/1']);
        expect(sortedKeys((await search('funcionamento -alvará')).hits)).toEqual(['3/1', '4/1']);
        expect(sortedKeys((await search('funcionamento -"alvará de funcionamento"')).hits)).toEqual(['3/1', '4/1']);
        expect((await search('funcionamento -alvará')).total).toBe(2);
      });

      it('keeps pages with either side of an OR (or OU), which binds closer than the words around it', async () => {
        expect(sortedKeys((await search('licença OR autorização')).hits)).toEqual(['3/1', '4/1']);
        expect(sortedKeys((await search('licença OU autorização')).hits)).toEqual(['3/1', '4/1']);
        expect(sortedKeys((await search('alvará OR licença funcionamento')).hits)).toEqual(['1/1', '3/1']);
        expect((await search('alvará OR licença funcionamento')).total).toBe(2);
        expect(sortedKeys((await search('"alvará de construção" OR autorização')).hits)).toEqual(['2/1', '4/1']);
      });

      it('searches what is searchable and names what it left out', async () => {
        const result = await search('alvará ^ 😀 * (funcionamento)');
        expect(keys(result.hits)).toEqual(['1/1']);
        expect(result.ignored).toEqual(expect.arrayContaining(['^', '😀', '*', '(', ')']));
        expect((await search('alvará')).ignored).toBeUndefined();
      });

      it('leaves out a word too long to be one, and says so', async () => {
        const result = await search(`alvará ${'x'.repeat(5000)}`);
        expect(sortedKeys(result.hits)).toEqual(['1/1', '2/1']);
        expect(result.ignored?.join(' ')).toContain('5000');
      });

      it('never splits a word at an invisible character, in the text or in the query', async () => {
        await upsert(5, doc(5, ['Certi\u200Bdão de ca\u00ADsamento e di\u2060vórcio']));
        expect(keys((await search('certidão casamento divórcio')).hits)).toEqual(['5/1']);
        expect(keys((await search('casa\u200Bmento')).hits)).toEqual(['5/1']);
        expect(keys((await search('"certidão de casamento"')).hits)).toEqual(['5/1']);
      });

      it('answers repeated words as the word once', async () => {
        const once = await search('funcionamento');
        const many = await search(Array.from({ length: 30 }, () => 'funcionamento').join(' '));
        expect(many.total).toBe(once.total);
        expect(keys(many.hits)).toEqual(keys(once.hits));
        expect(keys((await search('alvará alv')).hits)).toEqual(keys((await search('alvará')).hits));
      });

      it('says nothing of estimates when every count is exact', async () => {
        const result = await backend.search({ text: 'funcionamento', limit: 2, offset: 0, facets: true });
        expect(result.total).toBe(3);
        expect(result.totalEstimate).toBeUndefined();
      });
    });

    describe('personal numbers (the index holds none of their digits)', () => {
      const CPF = '390.533.447-05';
      beforeEach(async () => {
        await upsert(1, doc(1, [`Requerimento de Maria, CPF ${CPF}, residente nesta cidade.`, 'Despacho: deferido.'], { title: `Requerimento ${CPF}`, personalData: true }));
        await upsert(2, doc(2, ['Protocolo 390/1987 da secretaria, folha 533, livro 447.'], { title: 'Protocolo' }));
        // The same number in other written forms: Arabic-Indic digits; a zero-width space and a line break inside.
        await upsert(3, doc(3, ['Declarante CPF ٣٩٠.٥٣٣.٤٤٧-٠٥ perante o cartório.']));
        await upsert(4, doc(4, ['Outorgante CPF 390\u200b.533.\n447-05 na escritura.']));
      });

      it('finds a whole personal number typed in any of its written forms', async () => {
        for (const typed of [CPF, '39053344705', '390 533 447 05', '390-533-447-05', '３９０.５３３.４４７-０５']) {
          // Document 1's title holds it too: each of its pages carries the title.
          expect(sortedKeys((await search(typed)).hits), typed).toEqual(['1/1', '1/2', '3/1', '4/1']);
        }
        expect(sortedKeys((await search(`cpf ${CPF}`)).hits)).toEqual(['1/1', '3/1', '4/1']);
      });

      it('finds nothing personal for a part of a number: no run of guesses reveals its digits', async () => {
        for (const typed of ['390 533 447', '533 447', '447-05', '390533447', '3905334470', '05', '39053344706']) {
          const found = await search(typed).catch(() => null);
          expect(found === null ? [] : keys(found.hits).filter((key) => !key.startsWith('2/')), typed).toEqual([]);
        }
        // Other numbers with the same digits are found as ever.
        expect(keys((await search('447')).hits)).toEqual(['2/1']);
      });

      it('never shows the digits in a snippet or title unless asked to, and shows the number typed whole', async () => {
        const masked = await search('residente');
        expect(masked.hits[0]!.snippet).not.toMatch(/390|533|447|05/);
        expect(masked.hits[0]!.snippet).toContain('***.***.***-**');
        for (const word of ['cartório', 'escritura']) expect((await search(word)).hits[0]!.snippet, word).not.toMatch(/[0-9\u0660-\u0669]{2}/);
        expect(masked.hits[0]!.title).not.toMatch(/\d/);
        const typed = await search(CPF);
        expect(typed.hits[0]!.title).not.toMatch(/\d/);
      });

      it('leaves out a typed word that only imitates a key of the index', async () => {
        const typed = await search('qxjaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa requerimento');
        expect(typed.ignored).toEqual(['qxjaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']);
        expect(sortedKeys(typed.hits)).toEqual(['1/1', '1/2']);
        expect((await search('qx')).total).toBe(0);
      });
    });

    it('rejects a query with nothing to search for with QUERY_INVALID', async () => {
      await upsert(1, doc(1, ['Alvará']));
      for (const text of ['', '   ', '\t\n', '"', '""', '*', '()', ':', '-', '" "', '-alvará', '-"alvará"', '😀', '^']) {
        await expect(search(text), JSON.stringify(text)).rejects.toMatchObject({ code: 'QUERY_INVALID' });
      }
    });
  });
}
