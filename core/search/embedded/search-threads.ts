/**
 * Searches of the embedded index off the server's thread: `acervo serve` hands each search to one
 * of a few worker threads (each with its own read-only view of the index), so a search never
 * holds up the HTTP thread, and one clerk's long search holds one thread while the others answer.
 *
 * Each search carries a time budget (the engine then returns what it ranked, with estimated
 * counts); a thread that still runs past a hard limit is ended and replaced, and that one search
 * fails with SEARCH_UNAVAILABLE. Answers are kept for repeated searches (paging back, the same
 * words typed again) until the index changes: the cache is keyed by the index's generation.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { AppError, ERROR_CODES, type ErrorCode } from '../../errors.js';
import { threadScript } from '../../thread-script.js';
import { isDocumentSet, withRule } from '../document-set.js';
import type { SearchBackend, SearchQuery, SearchResult } from '../search-backend.js';
import { openIndexFile } from './index-file.js';
import type { SearchReady, SearchReply, SearchThreadData } from './search-thread.js';

export interface SearchThreadsOptions {
  indexFile: string;
  catalogFile: string | null;
  threads: number;
  /** A search's own budget (ms): past it the engine answers with what it has. */
  budgetMs: number;
  /** Past this (ms), the thread is ended and replaced and the search fails. */
  hardLimitMs: number;
  /** Answers kept for repeated searches. */
  cacheEntries?: number;
  /** The thread's script (default search-thread.ts; tests give one whose searches they control). */
  script?: URL;
  /** The commonest words each thread searches while idle after it starts (default 30). */
  warmWords?: number;
}

const CACHE_MS = 60_000;

interface Pending {
  id: number;
  query: SearchQuery;
  resolve: (result: SearchResult) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** It has warmed up and takes searches. */
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

/** A backend whose searches run on threads; `ready` resolves once the threads have warmed up (at most `waitMs`). */
export type ThreadedBackend = SearchBackend & { ready(waitMs: number): Promise<number> };

export function searchOnThreads(writer: SearchBackend, options: SearchThreadsOptions): ThreadedBackend {
  const pool = new SearchThreads(options);
  return {
    ready: (waitMs) => pool.ready(waitMs),
    name: writer.name,
    apply: (changes) => writer.apply(changes),
    search: (query) => pool.search(query),
    clear: () => writer.clear(),
    rebuild: (batches) => writer.rebuild(batches),
    stats: () => writer.stats(),
    health: () => writer.health(),
    close: async () => {
      await pool.close();
      await writer.close();
    },
  };
}

class SearchThreads {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly cache = new Map<string, { result: SearchResult; at: number }>();
  private readonly generation: Database.Statement;
  private readonly db: Database.Database;
  private cachedGeneration = -1;
  private nextId = 1;
  private closed = false;
  /** Words each thread warmed up with, as they report ready. */
  private readonly warmed: number[] = [];

  constructor(private readonly options: SearchThreadsOptions) {
    this.db = openIndexFile(options.indexFile, { readonly: true });
    this.generation = this.db.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck();
    for (let i = 0; i < Math.max(1, options.threads); i += 1) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const data: SearchThreadData = { indexFile: this.options.indexFile, catalogFile: this.options.catalogFile, warmWords: this.options.warmWords ?? 30 };
    const script = this.options.script ?? threadScript(import.meta.url, 'search-thread');
    const slot: Slot = { worker: new Worker(script, { workerData: data }), ready: false, busy: null, timer: null };
    slot.worker.on('message', (reply: SearchReply | SearchReady) => {
      if ('warmed' in reply) {
        slot.ready = true;
        this.warmed.push(reply.warmed);
        this.dispatch();
      } else this.answered(slot, reply);
    });
    slot.worker.on('error', (error) => this.failed(slot, error));
    slot.worker.on('exit', () => {
      if (!this.closed && this.slots.includes(slot)) this.failed(slot, new Error('the search thread stopped'));
    });
    return slot;
  }

  /** Resolves once every first thread is ready, or after `waitMs` (searches wait for a ready thread either way): the words warmed. */
  async ready(waitMs: number): Promise<number> {
    const until = Date.now() + waitMs;
    while (!this.closed && this.slots.some((slot) => !slot.ready) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.warmed.reduce((a, b) => a + b, 0);
  }

  search(query: SearchQuery): Promise<SearchResult> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The search threads are closed.'));
    // A prepared document set is keyed by its name, never by its members (a million ids).
    const key = JSON.stringify(query, (field, value: unknown) => (field === 'documentSet' && isDocumentSet(value) ? { set: value.key } : value));
    const generation = this.generation.get() as number;
    if (generation !== this.cachedGeneration) {
      this.cache.clear();
      this.cachedGeneration = generation;
    }
    const cached = this.cache.get(key);
    this.cache.delete(key);
    // A short life besides the generation: a replaced index file (restored from a backup) is not seen by that check.
    if (cached !== undefined && Date.now() - cached.at < CACHE_MS) {
      // Most recently used last: the oldest entries go first.
      this.cache.set(key, cached);
      return Promise.resolve(structuredClone(cached.result));
    }
    return new Promise<SearchResult>((resolve, reject) => {
      const budgeted = { ...query, budgetMs: Math.min(query.budgetMs ?? this.options.budgetMs, this.options.budgetMs) };
      // The set's bits are on a SharedArrayBuffer: posted, they are shared, not copied; its rule (for other backends) stays here.
      if (query.filters?.documentSet !== undefined && isDocumentSet(query.filters.documentSet)) budgeted.filters = { ...query.filters, documentSet: withRule(query.filters.documentSet, null) };
      this.queue.push({
        id: this.nextId++,
        query: budgeted,
        resolve: (result) => {
          if (result.totalEstimate !== 'about' && generation === this.cachedGeneration) this.remember(key, result);
          resolve(result);
        },
        reject,
      });
      this.dispatch();
    });
  }

  private remember(key: string, result: SearchResult): void {
    this.cache.set(key, { result: structuredClone(result), at: Date.now() });
    const limit = this.options.cacheEntries ?? 200;
    while (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value as string);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy !== null || !slot.ready) continue;
      const next = this.queue.shift();
      if (next === undefined) return;
      slot.busy = next;
      slot.timer = setTimeout(() => this.overdue(slot), this.options.hardLimitMs);
      slot.worker.postMessage({ id: next.id, query: next.query });
    }
  }

  private answered(slot: Slot, reply: SearchReply): void {
    const pending = slot.busy;
    if (pending === null || pending.id !== reply.id) return;
    this.settle(slot);
    if ('result' in reply) pending.resolve(reply.result as SearchResult);
    else {
      const code = (reply.error.code in ERROR_CODES ? reply.error.code : 'INTERNAL') as ErrorCode;
      pending.reject(new AppError(code, reply.error.message, { details: reply.error.details }));
    }
    this.dispatch();
  }

  /** A search ran past the hard limit: its thread is ended and replaced. */
  private overdue(slot: Slot): void {
    const pending = slot.busy;
    this.replace(slot);
    pending?.reject(
      new AppError('SEARCH_UNAVAILABLE', `The search took longer than ${this.options.hardLimitMs / 1000} s and was stopped; try fewer or more distinctive words.`, {
        details: { query: pending.query.text },
      }),
    );
    this.dispatch();
  }

  private failed(slot: Slot, error: Error): void {
    const pending = slot.busy;
    this.replace(slot);
    pending?.reject(new AppError('SEARCH_UNAVAILABLE', `The search thread failed: ${error.message}`, { cause: error }));
    this.dispatch();
  }

  private settle(slot: Slot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
  }

  private replace(slot: Slot): void {
    this.settle(slot);
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    void slot.worker.terminate();
    if (!this.closed) this.slots.push(this.spawn());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new AppError('INTERNAL', 'The server is stopping.'));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      this.settle(slot);
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    this.db.close();
  }
}
