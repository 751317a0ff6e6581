/**
 * Meilisearch as the search backend, for archives of millions of pages and many clerks: instant,
 * typo-tolerant search with filters and facets, through the official client.
 *
 * One Meilisearch document per page (meilisearch-documents.ts): a hit opens the right page, and a
 * long document never reaches Meilisearch's 65,535 indexed word positions per attribute. The index
 * settings (meilisearch-settings.ts) are checked on first use and updated when they differ; a
 * search never waits for that update, a write does. Every write waits for its task and fails if
 * the task failed, so the catalog's outbox keeps what did not make it.
 *
 * Two keys: writes and settings use the admin key; searches use a search-only key (configured, or
 * one on the server, looked up with the admin key: meilisearch-keys.ts), never the master key.
 */
import { createHash } from 'node:crypto';
import { Meilisearch, type Index, type IndexSwap, type Key, type SearchParams, type SearchResponse, type Settings, type Task } from 'meilisearch';
import { AppError } from '../errors.js';
import { apiErrorCode, meilisearchError } from './meilisearch-errors.js';
import { RETRIEVED, toDocument, type PageDocument } from './meilisearch-documents.js';
import { filterExpression } from './meilisearch-filters.js';
import { searchOnlyKey } from './meilisearch-keys.js';
import { meilisearchQueries } from './meilisearch-query.js';
import { administratorsSettings, INDEX_SETTINGS, settingsHold } from './meilisearch-settings.js';
import { settingsForVersion, supportedVersion } from './meilisearch-versions.js';
import { indexableChange } from '../privacy/index-privacy.js';
import { parseQuery } from './query-parser.js';
import { checkPaging, MARK_CLOSE, MARK_OPEN, snippetHtml } from './search-results.js';
import {
  FACET_FIELDS,
  type BackendHealth,
  type Facets,
  type IndexChange,
  type IndexStats,
  type SearchBackend,
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


const CROP_WORDS = 24;
const MAX_REMEMBERED_TASKS = 1000;
const SORTS: Record<SearchSort, string[] | undefined> = { relevance: undefined, 'date-desc': ['date:desc'], 'date-asc': ['date:asc'], title: ['title:asc'] };

export function openMeilisearchBackend(options: MeilisearchOptions): SearchBackend {
  return new MeilisearchBackend(options);
}

class MeilisearchBackend implements SearchBackend {
  readonly name = 'meilisearch';
  private readonly admin: Meilisearch;
  private searchClient: Promise<Meilisearch> | null = null;
  private ready: Promise<void> | null = null;
  /** The index was seen with the settings Acervo needs. */
  private settingsHeld = false;
  /** A settings update sent (by this process or another) and not yet seen done. */
  private settingsTask: number | null = null;
  /** Tasks of pages sent whose wait ran out, by a fingerprint of the pages: waited on, not sent again. */
  private readonly sentPages = new Map<string, number>();
  /** INDEX_SETTINGS as the server's version accepts them (set once connected). */
  private settings: Settings = INDEX_SETTINGS;

  constructor(private readonly options: MeilisearchOptions) {
    this.admin = this.client(options.apiKey);
  }

  async apply(changes: IndexChange[]): Promise<void> {
    await this.settingsApplied(true);
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
      // The page's text comes back only as the cropped snippet (`_formatted.text`: cropped attributes
      // are formatted whether retrieved or not, search/mod.rs compute_formatted_options), not whole.
      attributesToRetrieve: RETRIEVED,
      attributesToCrop: ['text'],
      cropLength: CROP_WORDS,
      cropMarker: '…',
      attributesToHighlight: ['text'],
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
      showRankingScore: true,
    };
    await this.settingsApplied(false);
    let response: SearchResponse<PageDocument>;
    try {
      response = await this.searchWith(await this.searcher(), queries, params, query);
    } catch (error) {
      // A key looked up on the server may have been deleted or may have expired since: look again, once.
      if (this.options.searchKey || !/invalid_api_key|api_key_not_found/.test(apiErrorCode(error) ?? '')) throw this.unavailable(error, 'search');
      this.searchClient = null;
      try {
        response = await this.searchWith(await this.searcher(), queries, params, query);
      } catch (again) {
        throw this.unavailable(again, 'search');
      }
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

  /** One search (or, for OR, one federated multi-search) with `client`. */
  private async searchWith(client: Meilisearch, queries: string[], params: SearchParams, query: SearchQuery): Promise<SearchResponse<PageDocument>> {
    if (queries.length === 1) return client.index<PageDocument>(this.options.index).search(queries[0], params);
    // OR: one query per choice, merged by Meilisearch (meilisearch-query.ts); paging and facets move to the federation.
    const { facets, hitsPerPage, page, limit, offset, ...each } = params as SearchParams & { hitsPerPage?: number; page?: number };
    const federation = {
      limit: limit ?? hitsPerPage ?? query.limit,
      offset: offset ?? ((page ?? 1) - 1) * (hitsPerPage ?? query.limit),
      ...(facets ? { facetsByIndex: { [this.options.index]: facets } } : {}),
    };
    const merged = (await client.multiSearch({ federation, queries: queries.map((q) => ({ indexUid: this.options.index, q, ...each })) })) as unknown as SearchResponse<PageDocument>;
    return { ...merged, facetDistribution: merged.facetsByIndex?.[this.options.index]?.distribution ?? {} };
  }

  async clear(): Promise<void> {
    await this.settingsApplied(true);
    await this.wait(this.index().deleteAllDocuments(), 'clear the index');
  }

  /** Into a fresh index beside the live one, then swapped in: searches see the old index until then. */
  async rebuild(batches: AsyncIterable<IndexChange[]>): Promise<void> {
    await this.settingsApplied(true);
    // The key needs the rights on both indexes: the live one and this one (docs/meilisearch.md, "How Acervo uses it").
    const next = `${this.options.index}__rebuild`;
    await this.wait(this.admin.deleteIndex(next), 'remove an unfinished rebuild').catch(() => {});
    await this.wait(this.admin.createIndex(next, { primaryKey: 'id' }), 'create the rebuild index');
    // The synonyms and stop words IT gave the live index come along.
    const live = await this.index().getSettings().catch((error: unknown) => {
      throw this.unavailable(error, 'read the index settings');
    });
    await this.wait(this.admin.index(next).updateSettings({ ...this.settings, ...administratorsSettings(live) }), 'set up the rebuild index');
    for await (const changes of batches) {
      await this.addPages(next, changes.flatMap((change) => (change.op === 'upsert' ? indexableChange(change).pages.map(toDocument) : [])));
    }
    // No `rename` field: servers before Meilisearch 1.18 refuse fields they do not know.
    await this.wait(this.admin.swapIndexes([{ indexes: [this.options.index, next] } as IndexSwap]), 'swap in the rebuilt index');
    await this.wait(this.admin.deleteIndex(next), 'remove the old index');
  }

  async stats(): Promise<IndexStats> {
    await this.settingsApplied(false);
    try {
      const { numberOfDocuments } = await this.index().getStats();
      // Every indexed document has a page 1 (PDF pages are numbered without gaps). Counted by the
      // documents route, whose total is every match (routes/indexes/documents.rs: candidates.len()),
      // not by a search, whose total stops at maxTotalHits.
      const firstPages = await this.index().getDocuments({ filter: 'pageNo = 1', limit: 1, fields: ['id'] });
      return { documents: firstPages.total, pages: numberOfDocuments };
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

  /** A supported server and the index: checked once per process (again after a failure). */
  private connected(): Promise<void> {
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
    })().catch((error: unknown) => {
      this.ready = null; // try again next time: the server may be back
      throw error;
    });
    return this.ready;
  }

  /**
   * The index's settings as Acervo needs them. A search never waits for a settings update (after an
   * upgrade Meilisearch may rebuild the whole index for it, minutes): it sends the update, remembers
   * its task, and searches the index as it is. A write waits for that task (or for one another
   * process sent, found among the server's pending tasks) instead of sending another.
   */
  private async settingsApplied(wait: boolean): Promise<void> {
    await this.connected();
    for (let round = 0; round < 3 && !this.settingsHeld; round++) {
      if (this.settingsTask === null) {
        const current = await this.index().getSettings().catch((error: unknown) => {
          throw this.unavailable(error, 'read the index settings');
        });
        if (settingsHold(current, this.settings)) {
          this.settingsHeld = true;
          return;
        }
        this.settingsTask = (await this.pendingSettingsTask()) ?? (await this.send(() => this.index().updateSettings(this.settings), 'update the index settings'));
      }
      if (!wait) return;
      const task = this.settingsTask;
      await this.wait({ waitTask: (options) => this.admin.tasks.waitForTask(task, options) }, 'update the index settings');
      // Done (ours, or another process's, which may have set other values): read them again.
      this.settingsTask = null;
    }
  }

  /** A settings update of this index still enqueued or processing on the server, if any. */
  private async pendingSettingsTask(): Promise<number | null> {
    try {
      const { results } = await this.admin.tasks.getTasks({ indexUids: [this.options.index], types: ['settingsUpdate'], statuses: ['enqueued', 'processing'] });
      return results[0]?.uid ?? null;
    } catch (error) {
      throw this.unavailable(error, 'list its pending tasks');
    }
  }

  /** Sends a write; its task's uid. */
  private async send(request: () => Promise<{ taskUid: number }>, what: string): Promise<number> {
    try {
      return (await request()).taskUid;
    } catch (error) {
      throw this.unavailable(error, what);
    }
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

  /**
   * One request of pages. A request over the server's payload limit (`--http-payload-size-limit`,
   * 100 MB by default) is sent again in halves. A task that outlived its wait is not sent again
   * when the same pages come back (the outbox retrying them): its task is waited on instead, so a
   * slow server is not buried under copies of the same work.
   */
  private async addChunk(indexUid: string, pages: PageDocument[]): Promise<void> {
    const fingerprint = createHash('sha256').update(indexUid).update('\0').update(JSON.stringify(pages)).digest('hex');
    try {
      const task = this.sentPages.get(fingerprint) ?? (await this.send(() => this.admin.index<PageDocument>(indexUid).addDocuments(pages, { primaryKey: 'id' }), 'add pages'));
      this.sentPages.set(fingerprint, task);
      if (this.sentPages.size > MAX_REMEMBERED_TASKS) this.sentPages.delete(this.sentPages.keys().next().value!);
      await this.wait({ waitTask: (options) => this.admin.tasks.waitForTask(task, options) }, 'add pages');
      this.sentPages.delete(fingerprint);
    } catch (error) {
      // Refused, or failed: sending it again is a new attempt. Only a task still running is remembered.
      if ((error as AppError).details?.refused || (error as AppError).details?.task !== undefined) this.sentPages.delete(fingerprint);
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
    return meilisearchError(error, this.options.host, what);
  }

}


/** The exact total of a page-based request, else Meilisearch's estimate. */
function totalOf(response: object): number {
  const found = response as { totalHits?: number; estimatedTotalHits?: number };
  return found.totalHits ?? found.estimatedTotalHits ?? 0;
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

