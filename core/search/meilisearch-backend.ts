/**
 * Meilisearch as the search backend, for archives of millions of pages and many clerks: instant,
 * typo-tolerant search with filters and facets, through the official client.
 *
 * One Meilisearch document per page (id `<documentId>-<page>`), carrying its document's metadata:
 * a hit opens the right page, and a long document never reaches Meilisearch's 65,535 indexed word
 * positions per attribute. The index settings are checked on first use and updated (each change
 * awaited) when they differ. Every write waits for its task and fails if the task failed, so the
 * catalog's outbox keeps what did not make it.
 *
 * Two keys: writes and settings use the admin key; searches use a search-only key (configured, or
 * the server's own search key, looked up with the admin key), never the master key.
 */
import { Meilisearch, type Index, type IndexSwap, type Key, type SearchParams, type SearchResponse, type Settings, type Task } from 'meilisearch';
import { AppError } from '../errors.js';
import { meilisearchQueries } from './meilisearch-query.js';
import { settingsForVersion, supportedVersion } from './meilisearch-versions.js';
import { indexableChange } from '../privacy/index-privacy.js';
import { parseQuery } from './query-parser.js';
import { checkPaging, MARK_CLOSE, MARK_OPEN, snippetHtml, storedText } from './search-results.js';
import {
  FACET_FIELDS,
  type BackendHealth,
  type Facets,
  type IndexChange,
  type IndexedPage,
  type IndexStats,
  type SearchBackend,
  type SearchFilters,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type SearchSort,
} from './search-backend.js';

export interface MeilisearchOptions {
  host: string;
  /** The index's uid. */
  index: string;
  /** A key that may write and change settings (admin, or the master key); null when the server has none. */
  apiKey: string | null;
  /** A search-only key; null: the server's own search key is looked up with apiKey. */
  searchKey: string | null;
  /** Pages per write. */
  batchSize: number;
  /** How long a write may wait for its task. */
  taskTimeoutMs: number;
  /** How long one HTTP request may take. */
  requestTimeoutMs: number;
}

/** One page, as Meilisearch stores it. Unknown values are left out (so they sort last). */
interface PageDocument {
  id: string;
  documentId: number;
  pageNo: number;
  title: string;
  source: string;
  pdf: string;
  collection?: string;
  year?: number;
  documentType?: string;
  date?: string;
  language?: string;
  personalData: boolean;
  text: string;
  identifiers: string;
}

/**
 * The settings the index must have. `sort` comes first among the ranking rules so that asking for
 * an order by date or title gets that order (it does nothing when no sort is asked); numbers are
 * matched exactly (a typo in "1234/1987" is another process).
 */
export const INDEX_SETTINGS: Settings = {
  searchableAttributes: ['title', 'text', 'identifiers'],
  filterableAttributes: ['documentId', 'pageNo', 'collection', 'documentType', 'year', 'language', 'personalData'],
  sortableAttributes: ['date', 'title', 'year'],
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  typoTolerance: { enabled: true, disableOnNumbers: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  pagination: { maxTotalHits: 10_000 },
  // The 500 values kept per facet are the most frequent, as the embedded index counts them: by
  // default Meilisearch keeps the first 500 in alphabetical order. With `sortFacetValuesBy` count (1.3)
  // milli walks the values by count (search/facet/facet_distribution.rs, count_iterate_over_facet_distribution).
  faceting: { maxValuesPerFacet: 500, sortFacetValuesBy: { '*': 'count' } },
};

const CROP_WORDS = 24;
const RETRIEVED: Array<keyof PageDocument> = ['documentId', 'pageNo', 'title', 'source', 'pdf', 'collection', 'year', 'documentType', 'date', 'language', 'personalData'];
const SORTS: Record<SearchSort, string[] | undefined> = { relevance: undefined, 'date-desc': ['date:desc'], 'date-asc': ['date:asc'], title: ['title:asc'] };

export function openMeilisearchBackend(options: MeilisearchOptions): SearchBackend {
  return new MeilisearchBackend(options);
}

class MeilisearchBackend implements SearchBackend {
  readonly name = 'meilisearch';
  private readonly admin: Meilisearch;
  private searchClient: Promise<Meilisearch> | null = null;
  private ready: Promise<void> | null = null;
  /** INDEX_SETTINGS as the server's version accepts them (set by ensureIndex). */
  private settings: Settings = INDEX_SETTINGS;

  constructor(private readonly options: MeilisearchOptions) {
    this.admin = this.client(options.apiKey);
  }

  async apply(changes: IndexChange[]): Promise<void> {
    await this.ensureIndex();
    // An upsert replaces every page of its document, so only each document's last change counts.
    const last = new Map<number, IndexChange>();
    for (const change of changes) {
      if (change.op !== 'upsert' && change.op !== 'delete') throw new AppError('INTERNAL', `Unknown index change "${(change as { op: unknown }).op}".`);
      if (change.op === 'upsert') {
        const stray = change.pages.find((page) => page.documentId !== change.documentId);
        if (stray) throw new AppError('INTERNAL', `A page of document ${stray.documentId} was given in the update of document ${change.documentId}.`);
      }
      last.delete(change.documentId);
      last.set(change.documentId, change);
    }
    const pages = [...last.values()].flatMap((change) => (change.op === 'upsert' ? indexableChange(change).pages.map(toDocument) : []));
    await this.addPages(this.options.index, pages);
    // Then what no longer exists: deleted documents, and pages past a replaced document's end. Adding
    // first means a document being replaced is never missing from the results.
    const gone = [...last.values()].map((change) =>
      change.op === 'delete' ? `documentId = ${change.documentId}` : `(documentId = ${change.documentId} AND pageNo > ${change.pages.length === 0 ? 0 : Math.max(...change.pages.map((p) => p.pageNo))})`,
    );
    for (let i = 0; i < gone.length; i += 100) {
      await this.wait(this.index().deleteDocuments({ filter: gone.slice(i, i + 100).join(' OR ') }), 'delete pages');
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    checkPaging(query);
    const parsed = parseQuery(query.text);
    const sort = query.sort ?? 'relevance';
    if (!(sort in SORTS)) throw new AppError('QUERY_INVALID', `Results can be sorted by ${Object.keys(SORTS).join(', ')}; not by "${String(sort)}".`);
    const queries = meilisearchQueries(parsed);
    // Page-based requests give an exact total; an offset inside a page is asked for as offset/limit.
    const paging =
      query.limit > 0 && query.offset % query.limit === 0
        ? { hitsPerPage: query.limit, page: query.offset / query.limit + 1 }
        : query.limit === 0
          ? { hitsPerPage: 0, page: 1 }
          : { limit: query.limit, offset: query.offset };
    const filter = filterExpression(query.filters ?? {});
    const params: SearchParams = {
      ...paging,
      ...(filter.length > 0 ? { filter } : {}),
      ...(SORTS[sort] ? { sort: SORTS[sort] } : {}),
      ...(query.facets ? { facets: [...FACET_FIELDS] } : {}),
      matchingStrategy: 'all',
      attributesToRetrieve: [...RETRIEVED, 'text'],
      attributesToCrop: ['text'],
      cropLength: CROP_WORDS,
      cropMarker: '…',
      attributesToHighlight: ['text'],
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
      showRankingScore: true,
    };
    await this.ensureIndex();
    const client = await this.searcher();
    let response: SearchResponse<PageDocument>;
    try {
      if (queries.length === 1) response = await client.index<PageDocument>(this.options.index).search(queries[0], params);
      else {
        // OR: one query per choice, merged by Meilisearch (meilisearch-query.ts); paging and facets move to the federation.
        const { facets, hitsPerPage, page, limit, offset, ...each } = params as SearchParams & { hitsPerPage?: number; page?: number };
        const federation = {
          limit: limit ?? hitsPerPage ?? query.limit,
          offset: offset ?? ((page ?? 1) - 1) * (hitsPerPage ?? query.limit),
          ...(facets ? { facetsByIndex: { [this.options.index]: facets } } : {}),
        };
        const merged = (await client.multiSearch({ federation, queries: queries.map((q) => ({ indexUid: this.options.index, q, ...each })) })) as unknown as SearchResponse<PageDocument>;
        response = { ...merged, facetDistribution: merged.facetsByIndex?.[this.options.index]?.distribution ?? {} };
      }
    } catch (error) {
      throw this.unavailable(error, 'search');
    }
    const total = totalOf(response);
    const hits: SearchHit[] = response.hits.map((hit) => ({
      documentId: hit.documentId,
      title: hit.title,
      source: hit.source,
      pdf: hit.pdf,
      page: hit.pageNo,
      collection: hit.collection ?? null,
      year: hit.year ?? null,
      documentType: hit.documentType ?? null,
      date: hit.date ?? null,
      language: hit.language ?? null,
      personalData: hit.personalData === true,
      snippet: snippetHtml(String(hit._formatted?.text ?? '')),
      score: hit._rankingScore ?? 0,
    }));
    const result: SearchResult = { query: query.text, total, hits };
    // A search's total (either kind) is min(candidates, maxTotalHits): at the cap it is a lower bound
    // (meilisearch/src/search/mod.rs). A federated search (OR) counts its candidates uncapped
    // (search/federated/perform.rs: `estimated_total_hits = candidates.len()`).
    if (queries.length === 1 && total >= (INDEX_SETTINGS.pagination?.maxTotalHits ?? Infinity)) result.totalEstimate = 'at-least';
    if (query.facets) result.facets = facetsFrom(response.facetDistribution ?? {});
    if (parsed.ignored.length > 0) result.ignored = parsed.ignored;
    return result;
  }

  async clear(): Promise<void> {
    await this.ensureIndex();
    await this.wait(this.index().deleteAllDocuments(), 'clear the index');
  }

  /** Into a fresh index beside the live one, then swapped in: searches see the old index until then. */
  async rebuild(batches: AsyncIterable<IndexChange[]>): Promise<void> {
    await this.ensureIndex();
    const next = `${this.options.index}__rebuild`;
    await this.wait(this.admin.deleteIndex(next), 'remove an unfinished rebuild').catch(() => {});
    await this.wait(this.admin.createIndex(next, { primaryKey: 'id' }), 'create the rebuild index');
    await this.wait(this.admin.index(next).updateSettings(this.settings), 'set up the rebuild index');
    for await (const changes of batches) {
      await this.addPages(next, changes.flatMap((change) => (change.op === 'upsert' ? indexableChange(change).pages.map(toDocument) : [])));
    }
    // No `rename` field: servers before Meilisearch 1.18 refuse fields they do not know.
    await this.wait(this.admin.swapIndexes([{ indexes: [this.options.index, next] } as IndexSwap]), 'swap in the rebuilt index');
    await this.wait(this.admin.deleteIndex(next), 'remove the old index');
  }

  async stats(): Promise<IndexStats> {
    await this.ensureIndex();
    try {
      const { numberOfDocuments } = await this.index().getStats();
      // Every indexed document has a page 1 (PDF pages are numbered without gaps).
      const firstPages = await this.index().search('', { filter: 'pageNo = 1', hitsPerPage: 0, page: 1 });
      return { documents: totalOf(firstPages), pages: numberOfDocuments };
    } catch (error) {
      throw this.unavailable(error, 'read the index statistics');
    }
  }

  async health(): Promise<BackendHealth> {
    const location = `${this.options.host} (index ${this.options.index})`;
    try {
      await this.admin.health();
      const { pkgVersion } = await this.admin.getVersion();
      return { reachable: true, location, version: `Meilisearch ${pkgVersion}`, error: null };
    } catch (error) {
      return { reachable: false, location, version: null, error: this.unavailable(error, 'be reached').message };
    }
  }

  async close(): Promise<void> {
    // HTTP only: nothing held open.
  }

  private client(apiKey: string | null): Meilisearch {
    return new Meilisearch({ host: this.options.host, ...(apiKey ? { apiKey } : {}), timeout: this.options.requestTimeoutMs, clientAgents: ['Acervo'] });
  }

  private index(): Index<PageDocument> {
    return this.admin.index<PageDocument>(this.options.index);
  }

  /** A supported server, and the index with the settings it needs: checked once per process, changes awaited. */
  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      let pkgVersion: string;
      try {
        ({ pkgVersion } = await this.admin.getVersion());
      } catch (error) {
        throw this.unavailable(error, 'tell its version');
      }
      this.settings = settingsForVersion(INDEX_SETTINGS, supportedVersion(pkgVersion, this.options.host));
      try {
        await this.admin.getIndex(this.options.index);
      } catch (error) {
        if (apiErrorCode(error) !== 'index_not_found') throw this.unavailable(error, 'open the index');
        await this.wait(this.admin.createIndex(this.options.index, { primaryKey: 'id' }), 'create the index').catch((failure: unknown) => {
          // Another process created it meanwhile: just as good.
          if ((failure as AppError).details?.code !== 'index_already_exists') throw failure;
        });
      }
      let current: Settings;
      try {
        current = await this.index().getSettings();
      } catch (error) {
        throw this.unavailable(error, 'read the index settings');
      }
      if (!settingsHold(current, this.settings)) await this.wait(this.index().updateSettings(this.settings), 'update the index settings');
    })().catch((error: unknown) => {
      this.ready = null; // try again next time: the server may be back
      throw error;
    });
    return this.ready;
  }

  /** The client clerks' searches go through: a search-only key, never the admin or master key. */
  private searcher(): Promise<Meilisearch> {
    this.searchClient ??= (async () => {
      if (this.options.searchKey) return this.client(this.options.searchKey);
      if (!this.options.apiKey) return this.admin; // a server without keys: nothing to protect
      let keys: Key[];
      try {
        keys = (await this.admin.getKeys({ limit: 1000 })).results;
      } catch (error) {
        throw this.unavailable(error, 'look up a search key');
      }
      const usable = searchOnlyKey(keys, this.options.index);
      if (!usable) {
        throw new AppError('SEARCH_UNAVAILABLE', `Meilisearch at ${this.options.host} has no search-only key for index ${this.options.index}: create one (actions: ["search"]) and set it in search.meilisearch.searchKeyEnv's variable.`);
      }
      return this.client(usable.key);
    })().catch((error: unknown) => {
      this.searchClient = null;
      throw error;
    });
    return this.searchClient;
  }

  private async addPages(indexUid: string, pages: PageDocument[]): Promise<void> {
    for (let i = 0; i < pages.length; i += this.options.batchSize) await this.addChunk(indexUid, pages.slice(i, i + this.options.batchSize));
  }

  /** A request over the server's payload limit (`--http-payload-size-limit`, 100 MB by default) is sent again in halves. */
  private async addChunk(indexUid: string, pages: PageDocument[]): Promise<void> {
    try {
      await this.wait(this.admin.index<PageDocument>(indexUid).addDocuments(pages, { primaryKey: 'id' }), 'add pages');
    } catch (error) {
      if (pages.length < 2 || (error as AppError).details?.code !== 'payload_too_large') throw error;
      const half = Math.ceil(pages.length / 2);
      await this.addChunk(indexUid, pages.slice(0, half));
      await this.addChunk(indexUid, pages.slice(half));
    }
  }

  /** Waits for an enqueued task; a task that did not succeed is an error, with Meilisearch's reason. */
  private async wait(enqueued: { waitTask: (options?: { timeout?: number; interval?: number }) => Promise<Task> }, what: string): Promise<Task> {
    let task: Task;
    try {
      task = await enqueued.waitTask({ timeout: this.options.taskTimeoutMs, interval: 50 });
    } catch (error) {
      throw this.unavailable(error, what);
    }
    if (task.status !== 'succeeded') {
      // `refused`: the server answered and said no to this change (index-sync.ts sets it apart from the others).
      throw new AppError('SEARCH_UNAVAILABLE', `Meilisearch refused to ${what} (task ${task.uid} ${task.status}: ${task.error?.message ?? 'no reason given'}).`, {
        details: { task: task.uid, code: task.error?.code, refused: true },
      });
    }
    return task;
  }

  private unavailable(error: unknown, what: string): AppError {
    if (error instanceof AppError) return error;
    const code = apiErrorCode(error);
    const hint = /api_key|authorization/.test(code ?? '')
      ? 'check the key (in the variable search.meilisearch.apiKeyEnv names, MEILISEARCH_API_KEY by default)'
      : code
        ? 'see Meilisearch\'s own log'
        : 'is it running, at that address?';
    // An answer with an error code about the request itself (too large, invalid) refuses this change, not every change.
    const refused = code !== undefined && !/api_key|authorization|index_not_found|internal|io_error|no_space/.test(code);
    return new AppError('SEARCH_UNAVAILABLE', `Meilisearch at ${this.options.host} could not ${what} (${rootCause(error)}); ${hint}`, {
      cause: error,
      details: { host: this.options.host, code, ...(refused ? { refused: true } : {}) },
    });
  }
}

/** A key that may only search, on this index (or all), and has not expired: what clerks' searches may use. */
export function searchOnlyKey(keys: readonly Pick<Key, 'key' | 'actions' | 'indexes' | 'expiresAt'>[], index: string, now = new Date()): Pick<Key, 'key'> | undefined {
  return keys.find(
    (key) =>
      key.actions.length === 1 &&
      key.actions[0] === 'search' &&
      (key.indexes.includes('*') || key.indexes.includes(index)) &&
      (key.expiresAt === null || new Date(key.expiresAt).getTime() > now.getTime()),
  );
}

/** The exact total of a page-based request, else Meilisearch's estimate. */
function totalOf(response: object): number {
  const found = response as { totalHits?: number; estimatedTotalHits?: number };
  return found.totalHits ?? found.estimatedTotalHits ?? 0;
}

/** `page` as indexableChange left it: personal numbers masked, their keys in `identifiers`. */
function toDocument(page: IndexedPage): PageDocument {
  return {
    id: `${page.documentId}-${page.pageNo}`,
    documentId: page.documentId,
    pageNo: page.pageNo,
    source: page.source,
    pdf: page.pdf,
    ...(page.collection !== null ? { collection: page.collection } : {}),
    ...(page.year !== null ? { year: page.year } : {}),
    ...(page.documentType !== null ? { documentType: page.documentType } : {}),
    ...(page.date !== null ? { date: page.date } : {}),
    ...(page.language !== null ? { language: page.language } : {}),
    personalData: page.personalData,
    title: storedText(page.title),
    text: storedText(page.text),
    identifiers: storedText(page.identifiers ?? ''),
  };
}

/** What really went wrong, at the bottom of the chain ("connect ECONNREFUSED 127.0.0.1:7700", not "fetch failed"). */
function rootCause(error: unknown): string {
  let deepest: unknown = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  const top = error instanceof Error ? error.message : String(error);
  return deepest === error ? top : `${top.replace(/: fetch failed$/, '')}: ${message}`;
}

function apiErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** True when every setting Acervo needs already has the wanted value. */
export function settingsHold(current: Settings, wanted: Settings): boolean {
  const covers = (have: unknown, want: unknown): boolean => {
    if (Array.isArray(want)) {
      if (!Array.isArray(have)) return false;
      // Attribute lists are sets (Meilisearch may return them sorted); ranking rules are ordered.
      return want === wanted.rankingRules ? JSON.stringify(have) === JSON.stringify(want) : want.length === have.length && want.every((item) => have.some((h) => JSON.stringify(h) === JSON.stringify(item)));
    }
    if (want !== null && typeof want === 'object') {
      return have !== null && typeof have === 'object' && Object.entries(want).every(([key, value]) => covers((have as Record<string, unknown>)[key], value));
    }
    return have === want;
  };
  return covers(current, wanted);
}

/** Meilisearch filter expressions; strings quoted, so nothing a user picks can change the expression. */
export function filterExpression(filters: SearchFilters): string[] {
  const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const clauses: string[] = [];
  if (filters.documentIds !== undefined) {
    if (!Array.isArray(filters.documentIds) || !filters.documentIds.every((id) => Number.isSafeInteger(id))) throw new AppError('QUERY_INVALID', 'The documentIds filter must be a list of whole numbers.');
    if (filters.documentIds.length > 0) clauses.push(`documentId IN [${filters.documentIds.join(', ')}]`);
  }
  for (const [key, field] of [['collections', 'collection'], ['documentTypes', 'documentType'], ['languages', 'language']] as const) {
    const values = filters[key];
    if (values === undefined) continue;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new AppError('QUERY_INVALID', `The ${key} filter must be a list of names (strings).`);
    if (values.length > 0) clauses.push(`${field} IN [${values.map(quote).join(', ')}]`);
  }
  // NOT IN keeps documents without a collection: since v0.29 "NOT returns all documents that do
  // not satisfy a condition … and all documents missing a field" (docs: filter expression reference,
  // meilisearch/documentation#1869).
  if (filters.excludeCollections !== undefined) {
    const values = filters.excludeCollections;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new AppError('QUERY_INVALID', 'The excludeCollections filter must be a list of names (strings).');
    if (values.length > 0) clauses.push(`collection NOT IN [${values.map(quote).join(', ')}]`);
  }
  for (const [key, op] of [['yearFrom', '>='], ['yearTo', '<=']] as const) {
    const value = filters[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) throw new AppError('QUERY_INVALID', `The year filter ${key} must be a number, not ${String(value)}.`);
    clauses.push(`year ${op} ${value}`);
  }
  if (filters.personalData !== undefined) {
    if (typeof filters.personalData !== 'boolean') throw new AppError('QUERY_INVALID', 'The personalData filter must be true or false.');
    clauses.push(`personalData = ${filters.personalData}`);
  }
  return clauses;
}

function facetsFrom(distribution: Record<string, Record<string, number>>): Facets {
  const facets = {} as Facets;
  for (const field of FACET_FIELDS) {
    facets[field] = Object.entries(distribution[field] ?? {})
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
  return facets;
}

