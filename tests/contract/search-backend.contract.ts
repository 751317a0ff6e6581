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
import type { IndexedPage, SearchBackend, SearchFilters, SearchHit } from '../../core/search/search-backend.js';

interface PageSpec {
  text: string;
  title?: string;
  collection?: string | null;
  year?: number | null;
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
      text: spec.text,
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
    const search = (text: string, filters?: SearchFilters, limit = 20, offset = 0) =>
      backend.search({ text, limit, offset, ...(filters === undefined ? {} : { filters }) });

    it('finds the pages holding a word and returns every field of each hit', async () => {
      await upsert(
        7,
        doc(7, ['Requerimento de licença.', 'Concedido o alvará de funcionamento ao requerente.', 'Arquive-se.'], {
          title: 'Alvará 12/1987',
          collection: 'obras',
          year: 1987,
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
          { op: 'upsert', documentId: 1, pages: doc(1, ['Decreto sobre obras'], { collection: 'obras', year: 1987 }) },
          { op: 'upsert', documentId: 2, pages: doc(2, ['Decreto sobre tributos'], { collection: 'fazenda', year: 1992 }) },
          { op: 'upsert', documentId: 3, pages: doc(3, ['Decreto sobre pavimentação', 'Anexo do decreto'], { collection: 'obras', year: 2003 }) },
          { op: 'upsert', documentId: 4, pages: doc(4, ['Decreto sem data'], { collection: 'gabinete', year: null }) },
          { op: 'upsert', documentId: 5, pages: doc(5, ['Portaria de obras'], { collection: 'obras', year: 2003 }) },
        ]);
      });

      it('keeps pages of any of the given collections', async () => {
        expect(sortedKeys((await search('decreto', { collections: ['obras'] })).hits)).toEqual(['1/1', '3/1', '3/2']);
        expect(sortedKeys((await search('decreto', { collections: ['obras', 'fazenda'] })).hits)).toEqual(['1/1', '2/1', '3/1', '3/2']);
        expect((await search('decreto', { collections: ['arquivo morto'] })).total).toBe(0);
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
        'title:alvará', 'text:licença', '-alvará', 'alvará -licença', 'alvará AND', 'AND alvará', 'alvará OR licença',
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

    it('rejects a query with nothing to search for with QUERY_INVALID', async () => {
      await upsert(1, doc(1, ['Alvará']));
      for (const text of ['', '   ', '\t\n', '"', '""', '*', '()', ':', '-', '" "']) {
        await expect(search(text), JSON.stringify(text)).rejects.toMatchObject({ code: 'QUERY_INVALID' });
      }
    });
  });
}
