/** `acervo search` on the samples library: accents, case, prefixes, filters, paging, JSON shape. */
import { describe, expect, inject, it } from 'vitest';
import { parseJsonOutput, runCli } from '../helpers/cli.js';

const library = inject('samplesLibrary');
const search = async (...args: string[]) => {
  const run = await runCli(['search', ...args, '--library', library, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput(run);
};
const titles = (result: { hits: Array<{ title: string }> }) => result.hits.map((h) => h.title);

describe('acervo search', () => {
  it('prints {query, total, personalData, hits} with page-level hits carrying every promised field', async () => {
    const result = await search('alvará');
    expect(Object.keys(result).sort()).toEqual(['hits', 'personalData', 'query', 'total']);
    expect(result.personalData).toBe('masked');
    expect(result.query).toBe('alvará');
    expect(result.total).toBeGreaterThanOrEqual(1);
    const hit = result.hits[0];
    for (const key of ['documentId', 'title', 'source', 'pdf', 'page', 'snippet', 'score']) expect(hit).toHaveProperty(key);
    expect(hit.title).toMatch(/^ALVARÁ DE CONSTRUÇÃO/);
    expect(hit.page).toBe(1);
    expect(hit.pdf).toMatch(/documents\/Obras\/1987\/alvara-construcao-412\.pdf$/);
    expect(hit.snippet).toMatch(/<mark>ALVARÁ<\/mark>/i);
    expect(typeof hit.score).toBe('number');
  });

  it('ignores accents and case: certidao finds Certidão, alvara finds ALVARÁ', async () => {
    expect(titles(await search('certidao'))).toEqual(expect.arrayContaining([expect.stringMatching(/CERTIDÃO NEGATIVA/)]));
    expect(titles(await search('ALVARA'))).toEqual(expect.arrayContaining([expect.stringMatching(/^ALVARÁ/)]));
    expect(titles(await search('resolucion'))).toEqual(expect.arrayContaining([expect.stringMatching(/RESOLUCIÓN/)]));
  });

  it('matches a prefix: licit finds licitação', async () => {
    const result = await search('licit');
    expect(result.total).toBeGreaterThanOrEqual(1);
    expect(result.hits[0].snippet).toMatch(/<mark>licita/i);
  });

  it('finds a page of a multi-page document by its own words', async () => {
    const result = await search('"Parágrafo único"');
    expect(result.hits.some((h: { title: string; page: number }) => /DECRETO/.test(h.title))).toBe(true);
  });

  it('reads each sample\'s type, language and personal data, and filters and counts on them', async () => {
    const all = await search('municipal', '--facets', '--limit', '50');
    const counts = (field: string) => Object.fromEntries(all.facets[field].map((f: { value: string; count: number }) => [f.value, f.count]));
    expect(Object.keys(all.facets).sort()).toEqual(['collection', 'documentType', 'language', 'personalData', 'year']);
    expect(counts('language')).toMatchObject({ pt: expect.any(Number), es: 2 });
    expect(counts('documentType')).toMatchObject({ alvara: 1, decreto: expect.any(Number), certidao: 2, ordenanza: 1 });
    // The certidão de tempo de serviço holds a person's CPF; the certidão negativa only a company's CNPJ.
    const personal = await search('certidão', '--personal-data', 'yes');
    expect(titles(personal)).toEqual([expect.stringMatching(/^CERTIDÃO DE TEMPO DE SERVIÇO/)]);
    expect(titles(await search('certidão', '--personal-data', 'no'))).toContainEqual(expect.stringMatching(/^CERTIDÃO NEGATIVA/));
    const spanish = await search('municipal', '--language', 'es');
    expect(spanish.hits.map((h: { language: string }) => h.language)).toEqual(spanish.hits.map(() => 'es'));
    expect(titles(await search('municipal', '--type', 'ordenanza'))).toEqual([expect.stringMatching(/^ORDENANZA Nº 45\/1992/)]);
    const hit = (await search('ordenanza')).hits[0];
    expect(hit).toMatchObject({ documentType: 'ordenanza', language: 'es', personalData: false, date: '1992-10-09' });
  });

  it('finds a record by its process number however it is typed, on the page that holds it', async () => {
    for (const typed of ['1873/1987', '1.873/1987', '1873/87', 'processo 1873/1987']) {
      const result = await search(typed);
      expect(titles(result)[0], typed).toMatch(/^ALVARÁ DE CONSTRUÇÃO Nº 412\/1987/);
      expect(result.hits[0].page).toBe(1);
    }
    // The decree's page 3 holds "Decreto nº 198, de 14 de fevereiro de 1986".
    const cited = await search('decreto 198/1986');
    expect(cited.hits[0]).toMatchObject({ title: expect.stringMatching(/^DECRETO Nº 345/), page: 3 });
  });

  it('sorts by date, newest first', async () => {
    const dated = (await search('municipal', '--sort', 'date-desc', '--limit', '50')).hits.map((h: { date: string | null }) => h.date);
    const known = dated.filter((d: string | null) => d !== null);
    expect(known.length).toBeGreaterThan(5);
    expect(known).toEqual([...known].sort().reverse());
    // Undated pages come last.
    expect(dated.slice(0, known.length)).toEqual(known);
  });

  it('filters on collection and on a year range', async () => {
    const all = await search('municipal');
    expect(new Set(all.hits.map((h: { collection: string }) => h.collection)).size).toBeGreaterThan(2);
    const obras = await search('municipal', '--collection', 'Obras');
    expect(obras.total).toBeGreaterThan(0);
    expect(obras.hits.every((h: { collection: string }) => h.collection === 'Obras')).toBe(true);
    const eighties = await search('municipal', '--year', '1980-1989');
    expect(eighties.total).toBeGreaterThan(0);
    expect(eighties.hits.every((h: { year: number }) => h.year >= 1980 && h.year <= 1989)).toBe(true);
    expect((await search('municipal', '--year', '1900')).total).toBe(0);
  });

  it('pages through results with --limit and --offset', async () => {
    const page1 = await search('municipal', '--limit', '2');
    const page2 = await search('municipal', '--limit', '2', '--offset', '2');
    expect(page1.hits).toHaveLength(2);
    expect(page2.total).toBe(page1.total);
    const key = (h: { documentId: number; page: number }) => `${h.documentId}:${h.page}`;
    expect(page2.hits.map(key)).not.toContain(page1.hits[0] && key(page1.hits[0]));
  });

  it('says what to try when nothing matches (human output)', async () => {
    const run = await runCli(['search', 'zzzinexistente', '--library', library]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No pages match "zzzinexistente"/);
  });

  it('shows hits with highlighted words in human output', async () => {
    const run = await runCli(['search', 'alvara', '--library', library]);
    expect(run.stdout).toMatch(/ALVARÁ DE CONSTRUÇÃO Nº 412\/1987 — alvara, Obras, 1987 — page 1/);
    expect(run.stdout).toMatch(/«ALVARÁ»/);
  });
});
