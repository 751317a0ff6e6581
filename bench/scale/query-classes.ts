/**
 * The searches clerks make, by class, drawn from the library itself so that each class means what
 * it says at any size: a "common word" is one found on more than half of the pages (measured),
 * a "rare word" one on at most 20, a phrase is words that stand together on a real page.
 */
import type { Catalog } from '../../core/catalog/catalog.js';
import type { SearchBackend, SearchQuery } from '../../core/search/search-backend.js';
import { ArchiveText, COLLECTIONS, FIRST_YEAR, LAST_YEAR, prng } from './archive-text.js';

export const QUERY_CLASSES = [
  'common word',
  'two common words',
  'prefix (3–5 letters)',
  'collection + years',
  'facets, common word',
  'facets + filter (the page)',
  'rare word / identifier',
  'accent-free',
  'typo',
  'quoted phrase',
  'sort by date',
] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

export interface ClassedQuery {
  kind: QueryClass;
  query: SearchQuery;
}

const LIMIT = 20;
const base = { limit: LIMIT, offset: 0 };

/** Words worth trying as "common"; those on more than half of the pages are kept. */
const COMMON_CANDIDATES = ['municipal', 'de', 'que', 'prefeitura', 'processo', 'expediente', 'la', 'el', 'em', 'do', 'da', 'en', 'los', 'para', 'com', 'con'];

export async function classedQueries(backend: SearchBackend, catalog: Catalog, pages: number, perClass: number, seed = 4242): Promise<ClassedQuery[]> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const count = async (text: string) => (await backend.search({ text, limit: 0, offset: 0 })).total;

  const common: string[] = [];
  for (const word of COMMON_CANDIDATES) if ((await count(word)) > pages / 2) common.push(word);
  if (common.length < 2) throw new Error(`fewer than two words are on half of the ${pages} pages: the library is not what the bench expects`);

  const text = new ArchiveText();
  const archive = [...text.archiveWords('pt'), ...text.archiveWords('es')];
  const midFrequency = archive.slice(10, 200);
  const accented = archive.filter((word) => word.normalize('NFD') !== word && word.length >= 5);
  const long = archive.filter((word) => word.length >= 6 && !word.includes('-'));

  // Rare words: the page texts' own words that few pages hold, and identifiers as clerks type them.
  const documentIds = catalog.convertedDocumentIds(0, 1_000_000);
  const sampleDocument = () => pick(documentIds);
  const rare: string[] = [];
  for (let tries = 0; rare.length < perClass && tries < perClass * 40; tries += 1) {
    const id = sampleDocument();
    if (tries % 2 === 0) {
      const identifier = catalog.facts(id).find((fact) => fact.kind === 'processo' || fact.kind === 'protocolo');
      if (identifier) rare.push(identifier.value);
      continue;
    }
    const pageText = pick(catalog.pages(id)).text;
    const word = pick(pageText.split(/\s+/).filter((w) => /^\p{Ll}{7,}$/u.test(w)));
    if (word === undefined) continue;
    const found = await count(word);
    if (found >= 1 && found <= 20) rare.push(word);
  }
  const phrases: string[] = [];
  while (phrases.length < perClass) {
    const words = pick(catalog.pages(sampleDocument())).text.split(/\s+/).filter(Boolean);
    const length = 2 + Math.floor(random() * 2);
    const at = Math.floor(random() * Math.max(1, words.length - length));
    const phrase = words.slice(at, at + length).join(' ').replace(/[^\p{L}\p{N}\s]/gu, '');
    if (phrase.split(' ').length === length) phrases.push(`"${phrase}"`);
  }

  const decade = () => {
    const from = FIRST_YEAR + Math.floor(random() * (LAST_YEAR - FIRST_YEAR - 9));
    return { yearFrom: from, yearTo: from + 9 };
  };
  const typo = (word: string) => {
    const at = 1 + Math.floor(random() * (word.length - 2));
    return random() < 0.5 ? word.slice(0, at) + 'x' + word.slice(at + 1) : word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2);
  };
  const prefix = () => {
    const word = pick(long).normalize('NFD').replace(/\p{M}/gu, '');
    return word.slice(0, 3 + Math.floor(random() * 3));
  };

  const out: ClassedQuery[] = [];
  for (let i = 0; i < perClass; i += 1) {
    const one = pick(common);
    const other = pick(common.filter((word) => word !== one));
    out.push({ kind: 'common word', query: { ...base, text: one } });
    out.push({ kind: 'two common words', query: { ...base, text: `${one} ${other}` } });
    out.push({ kind: 'prefix (3–5 letters)', query: { ...base, text: i % 2 === 0 ? prefix() : `${pick(midFrequency)} ${prefix()}` } });
    out.push({ kind: 'collection + years', query: { ...base, text: pick(i % 2 === 0 ? common : midFrequency), filters: { collections: [pick(COLLECTIONS)], ...decade() } } });
    out.push({ kind: 'facets, common word', query: { ...base, text: one, facets: true } });
    const filters = i % 3 === 0 ? { collections: [pick(COLLECTIONS)] } : i % 3 === 1 ? decade() : { collections: [pick(COLLECTIONS)], ...decade() };
    out.push({ kind: 'facets + filter (the page)', query: { ...base, text: pick(i % 2 === 0 ? common : midFrequency), facets: true, filters } });
    out.push({ kind: 'rare word / identifier', query: { ...base, text: rare[i % Math.max(1, rare.length)] ?? pick(long) } });
    out.push({ kind: 'accent-free', query: { ...base, text: pick(accented).normalize('NFD').replace(/\p{M}/gu, '') } });
    out.push({ kind: 'typo', query: { ...base, text: typo(pick(long)) } });
    out.push({ kind: 'quoted phrase', query: { ...base, text: phrases[i] as string } });
    out.push({ kind: 'sort by date', query: { ...base, text: pick(i % 2 === 0 ? common : midFrequency), sort: 'date-desc' } });
  }
  // Interleaved in a fixed shuffled order: no class runs on a cache the one before it warmed.
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as ClassedQuery, out[i] as ClassedQuery];
  }
  return out;
}

/** The query as the search page sends it to /api/search (it always asks for facets). */
export function pageParams(query: SearchQuery): URLSearchParams {
  const params = new URLSearchParams({ q: query.text, pageSize: String(query.limit) });
  for (const collection of query.filters?.collections ?? []) params.append('collection', collection);
  if (query.filters?.yearFrom !== undefined) params.set('yearFrom', String(query.filters.yearFrom));
  if (query.filters?.yearTo !== undefined) params.set('yearTo', String(query.filters.yearTo));
  if (query.sort !== undefined) params.set('sort', query.sort);
  return params;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
