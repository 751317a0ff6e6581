/**
 * Gathers the matched pages of every segment into one result: drops deleted pages and those the
 * filters leave out, counts the rest (in all, and per facet value when asked), and keeps only the
 * best `offset + limit` in the order asked for — a search of a word on most of a million pages
 * ranks them in one pass, never sorting them all.
 */
import type { SearchFilters, SearchSort } from '../search-backend.js';
import type { FieldKind, FieldNames } from './field-names.js';
import type { SegmentView } from './index-snapshot.js';
import { NO_CODE, NO_LANGUAGE, NO_NUMBER } from './page-columns.js';
import type { ScoredPages } from './segment-match.js';

export interface RankedPage {
  documentId: number;
  pageNo: number;
  tier: 0 | 1;
  score: number;
  /** The sort key (date or title place); unused for relevance. */
  key: number;
}

/** Matched pages per value code (collection, type and language codes; years as such). */
export interface FacetCounts {
  collection: Int32Array;
  documentType: Int32Array;
  year: Map<number, number>;
  language: Int32Array;
  personalData: [number, number];
}

/** Which pages the filters keep, from their columns (every page of a document answers the same). */
function pageFilter(filters: SearchFilters, names: FieldNames): (segment: SegmentView, page: number) => boolean {
  const codes = (values: readonly string[] | undefined, kind: FieldKind) =>
    values !== undefined && values.length > 0 ? new Set(values.map((name) => names.code(kind, name) ?? -2)) : null;
  const collections = codes(filters.collections, 'collection');
  const excluded = codes(filters.excludeCollections, 'collection');
  const types = codes(filters.documentTypes, 'type');
  const languages = codes(filters.languages, 'language');
  const ids = filters.documentIds !== undefined && filters.documentIds.length > 0 ? new Set(filters.documentIds) : null;
  // A prepared set (the portal's public one): its bits tested as they are, nothing built per search.
  const bits = filters.documentSet?.bits ?? null;
  const { yearFrom, yearTo, personalData } = filters;
  if (collections === null && excluded === null && types === null && languages === null && ids === null && bits === null && yearFrom === undefined && yearTo === undefined && personalData === undefined) {
    return () => true;
  }
  return (segment, page) => {
    if (ids !== null && !ids.has(segment.documentIds[page] as number)) return false;
    if (bits !== null) {
      const id = segment.documentIds[page] as number;
      const word = id >>> 5;
      if (word >= bits.length || ((bits[word] as number) & (1 << (id & 31))) === 0) return false;
    }
    if (collections !== null && !collections.has(segment.collections[page] as number)) return false;
    if (excluded !== null && excluded.has(segment.collections[page] as number)) return false;
    if (types !== null && !types.has(segment.types[page] as number)) return false;
    if (languages !== null && !languages.has(segment.languages[page] as number)) return false;
    const year = segment.years[page] as number;
    if (yearFrom !== undefined && (year === NO_NUMBER || year < yearFrom)) return false;
    if (yearTo !== undefined && (year === NO_NUMBER || year > yearTo)) return false;
    if (personalData !== undefined && (segment.personal[page] === 1) !== personalData) return false;
    return true;
  };
}

export class ResultCollector {
  total = 0;
  /** The time budget ran out: counts are what was seen until then, scaled up. */
  cut = false;
  readonly facets: FacetCounts | null;
  private readonly keep: (segment: SegmentView, page: number) => boolean;
  private readonly heap: RankedPage[] = [];
  private readonly better: Better;

  constructor(
    names: FieldNames,
    filters: SearchFilters,
    private readonly sort: SearchSort,
    private readonly size: number,
    withFacets: boolean,
    private readonly titleRank: (documentId: number) => number,
    private readonly deadline: number,
  ) {
    this.keep = pageFilter(filters, names);
    this.facets = withFacets
      ? { collection: new Int32Array(names.count('collection')), documentType: new Int32Array(names.count('type')), year: new Map(), language: new Int32Array(names.count('language')), personalData: [0, 0] }
      : null;
    this.better = comparator(sort);
  }

  add(segment: SegmentView, found: ScoredPages): void {
    const { facets } = this;
    const dead = segment.dead;
    const bySort = this.sort === 'date-desc' || this.sort === 'date-asc' ? 1 : this.sort === 'title' ? 2 : 0;
    // A document's pages lie together in a segment: its filter verdict and its facet values are
    // taken once for each run of its pages, not once a page.
    let runDocument = -1;
    let runKept = false;
    let runPages = 0;
    let runPage = 0;
    const flush = () => {
      if (runPages > 0 && facets !== null) this.countFacets(segment, runPage, runPages);
      runPages = 0;
    };
    let kept = 0;
    for (let i = 0; i < found.length; i += 1) {
      if ((i & 0xfff) === 0xfff && performance.now() > this.deadline) {
        // Out of time: what is left of this list is estimated from what was kept of it so far.
        flush();
        this.total += kept + Math.round(((found.length - i) * kept) / i);
        this.cut = true;
        return;
      }
      const page = found.pages[i] as number;
      if (dead !== null && dead[page] === 1) continue;
      const documentId = segment.documentIds[page] as number;
      if (documentId !== runDocument) {
        flush();
        runDocument = documentId;
        runPage = page;
        runKept = this.keep(segment, page);
      }
      if (!runKept) continue;
      kept += 1;
      runPages += 1;
      if (this.size === 0) continue;
      const tier = found.exact[i] === 1 ? 0 : 1;
      const score = found.scores[i] as number;
      // Most pages of a common word lose to the worst kept one: compared before anything is made of them
      // (by relevance, a lower tier or score settles it without a call).
      if (this.heap.length >= this.size) {
        const worst = this.heap[0] as RankedPage;
        if (bySort === 0 && (tier > worst.tier || (tier === worst.tier && score < worst.score))) continue;
      }
      const key = bySort === 1 ? (segment.dates[page] as number) : bySort === 2 ? this.titleRank(documentId) : 0;
      if (this.heap.length >= this.size && !this.better(tier, score, key, documentId, segment.pageNos[page] as number, this.heap[0] as RankedPage)) continue;
      this.offer({ documentId, pageNo: segment.pageNos[page] as number, tier, score, key });
    }
    flush();
    this.total += kept;
  }

  /** `pages` more matching pages of one document (`page` is one of them), under each of its facet values. */
  private countFacets(segment: SegmentView, page: number, pages: number): void {
    const facets = this.facets as FacetCounts;
    tally(facets.collection, segment.collections[page] as number, NO_CODE, pages);
    tally(facets.documentType, segment.types[page] as number, NO_CODE, pages);
    tally(facets.language, segment.languages[page] as number, NO_LANGUAGE, pages);
    const year = segment.years[page] as number;
    if (year !== NO_NUMBER) facets.year.set(year, (facets.year.get(year) ?? 0) + pages);
    if (segment.personal[page] === 1) facets.personalData[1] += pages;
    else facets.personalData[0] += pages;
  }

  /** Whether the deadline has passed (checked between segments). */
  expired(): boolean {
    if (performance.now() > this.deadline) this.cut = true;
    return this.cut;
  }

  /** The best pages, best first. */
  ranked(): RankedPage[] {
    return [...this.heap].sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
  }

  private before(a: RankedPage, b: RankedPage): boolean {
    return this.better(a.tier, a.score, a.key, a.documentId, a.pageNo, b);
  }

  /** A bounded heap with the worst kept page on top. */
  /** `candidate` is better than the worst kept page when the heap is full (add() checks). */
  private offer(candidate: RankedPage): void {
    const heap = this.heap;
    const worse = (a: RankedPage, b: RankedPage) => this.before(b, a);
    if (heap.length < this.size) {
      heap.push(candidate);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] as RankedPage, heap[parent] as RankedPage)) break;
        [heap[i], heap[parent]] = [heap[parent] as RankedPage, heap[i] as RankedPage];
        i = parent;
      }
      return;
    }
    heap[0] = candidate;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && worse(heap[left] as RankedPage, heap[worst] as RankedPage)) worst = left;
      if (right < heap.length && worse(heap[right] as RankedPage, heap[worst] as RankedPage)) worst = right;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst] as RankedPage, heap[i] as RankedPage];
      i = worst;
    }
  }
}

function tally(counts: Int32Array, code: number, none: number, pages: number): void {
  if (code !== none) counts[code] = (counts[code] as number) + pages;
}

/** `better(tier, score, key, documentId, pageNo, b)`: the page described comes before b in the asked order. */
type Better = (tier: number, score: number, key: number, documentId: number, pageNo: number, b: RankedPage) => boolean;

/** Relevance: pages matching as typed first, then by score; ties by document and page, so paging never repeats a page. */
function relevanceFirst(tier: number, score: number, documentId: number, pageNo: number, b: RankedPage): boolean {
  if (tier !== b.tier) return tier < b.tier;
  if (score !== b.score) return score > b.score;
  if (documentId !== b.documentId) return documentId < b.documentId;
  return pageNo < b.pageNo;
}

function comparator(sort: SearchSort): Better {
  switch (sort) {
    case 'date-desc':
    case 'date-asc': {
      const newest = sort === 'date-desc';
      // Undated pages last, whichever way.
      return (tier, score, key, documentId, pageNo, b) =>
        (key === NO_NUMBER) !== (b.key === NO_NUMBER) ? b.key === NO_NUMBER : key !== b.key ? (newest ? key > b.key : key < b.key) : relevanceFirst(tier, score, documentId, pageNo, b);
    }
    case 'title':
      return (tier, score, key, documentId, pageNo, b) => (key !== b.key ? key < b.key : relevanceFirst(tier, score, documentId, pageNo, b));
    default:
      return (tier, score, _key, documentId, pageNo, b) => relevanceFirst(tier, score, documentId, pageNo, b);
  }
}
