/**
 * A stand-in for a Meilisearch server, answering the routes Acervo's backend calls with the shapes
 * the real server sends, so the adapter's behaviour against the server can be pinned without one
 * (none can be installed on these machines). Every request is recorded for the test to inspect;
 * tasks of chosen types can be held `processing` until released, to play a slow settings update.
 *
 * Shapes, from Meilisearch's source (github.com/meilisearch/meilisearch, main as of 2026-12):
 * - GET /version: `VersionResponse {commitSha, commitDate, pkgVersion}` (crates/meilisearch/src/routes/mod.rs)
 * - 202 for every write: `SummarizedTaskView {taskUid, indexUid, status, type, enqueuedAt}` (same file)
 * - GET /tasks/{uid}: `TaskView {uid, batchUid, indexUid, status, type, canceledBy, details, error,
 *   duration, enqueuedAt, startedAt, finishedAt}` (crates/meilisearch-types/src/task_view.rs)
 * - errors: `ResponseError {message, code, type, link}` (crates/meilisearch-types/src/error.rs), e.g.
 *   404 `index_not_found`, 403 `invalid_api_key`
 * - GET /indexes/{uid}: `IndexView {uid, createdAt, updatedAt, primaryKey}` (routes/indexes/mod.rs)
 * - GET /indexes/{uid}/stats: `{numberOfDocuments, isIndexing, fieldDistribution}` (same file)
 * - POST /indexes/{uid}/documents/fetch: `PaginationView {results, offset, limit, total}`, `total`
 *   being every document the filter matches, uncapped (routes/indexes/documents.rs, retrieve_documents:
 *   `candidates.len()`)
 * - POST /indexes/{uid}/search with page/hitsPerPage: `{hits, query, processingTimeMs, hitsPerPage,
 *   page, totalPages, totalHits}`, totalHits at most `pagination.maxTotalHits` (search/mod.rs)
 * - GET /keys: `{results: [{name, description, key, uid, actions, indexes, expiresAt, createdAt,
 *   updatedAt}], offset, limit, total}` (routes/api_key.rs)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  authorization: string | null;
}

interface FakeTask {
  uid: number;
  indexUid: string | null;
  type: string;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed';
  effect: () => void;
  error: { message: string; code: string; type: string; link: string } | null;
}

interface FakeIndex {
  settings: Record<string, unknown>;
  documents: Map<string, Record<string, unknown>>;
}

const NOW = '2026-12-05T10:00:00.000000Z';

export class RecordedMeilisearch {
  url = '';
  version = '1.16.0';
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, FakeIndex>();
  /** Task types left `processing` until `release`. */
  readonly held = new Set<string>();
  /** Keys GET /keys lists; a request with any other bearer (when keys exist) is refused 403 invalid_api_key. */
  keys: Array<{ key: string; uid: string; actions: string[]; indexes: string[]; expiresAt: string | null; name?: string | null }> = [];
  adminKey: string | null = null;
  /** More documents than this in one request is answered 413 `payload_too_large`, as a body over `--http-payload-size-limit` is. */
  maxDocumentsPerRequest = Infinity;
  /** Documents whose pages an addition refuses (its task fails with `invalid_document_fields`). */
  readonly refuseDocuments = new Set<number>();
  /** `maxTotalHits`, as the index's pagination setting caps totals. */
  maxTotalHits = 10_000;
  /** What a search answers (hits and the total before the cap); by default, every stored page. */
  searchAnswer: (body: any, index: FakeIndex) => { hits: Array<Record<string, unknown>>; candidates: number } = (_body, index) => ({ hits: [...index.documents.values()], candidates: index.documents.size });
  private readonly tasks = new Map<number, FakeTask>();
  private nextTask = 1;
  private server: Server | null = null;

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Runs the held tasks of `type`. */
  release(type: string): void {
    this.held.delete(type);
    for (const task of this.tasks.values()) if (task.type === type && task.status === 'processing') this.run(task);
  }

  /** The uids of the tasks of `type`, in order. */
  tasksOf(type: string): number[] {
    return [...this.tasks.values()].filter((task) => task.type === type).map((task) => task.uid);
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private run(task: FakeTask): void {
    try {
      task.effect();
      task.status = 'succeeded';
    } catch (error) {
      task.status = 'failed';
      task.error = { message: (error as Error).message, code: (error as { code?: string }).code ?? 'internal', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors' };
    }
  }

  private enqueue(response: ServerResponse, indexUid: string | null, type: string, effect: () => void): void {
    const task: FakeTask = { uid: this.nextTask++, indexUid, type, status: 'processing', effect, error: null };
    this.tasks.set(task.uid, task);
    if (!this.held.has(type)) this.run(task);
    this.send(response, 202, { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: NOW });
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private error(response: ServerResponse, status: number, code: string, message: string): void {
    this.send(response, status, { message, code, type: status === 403 || status === 401 ? 'auth' : 'invalid_request', link: `https://docs.meilisearch.com/errors#${code}` });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const url = new URL(request.url!, 'http://x');
    const path = url.pathname;
    const method = request.method!;
    const body = raw ? JSON.parse(raw) : null;
    const authorization = request.headers.authorization ?? null;
    this.requests.push({ method, path, body, authorization });
    const bearer = authorization?.replace(/^Bearer /, '') ?? null;
    if (this.adminKey !== null && bearer !== this.adminKey && !this.keys.some((key) => key.key === bearer)) return this.error(response, 403, 'invalid_api_key', 'The provided API key is invalid.');

    if (method === 'GET' && path === '/version') return this.send(response, 200, { commitSha: 'recorded', commitDate: NOW, pkgVersion: this.version });
    if (method === 'GET' && path === '/health') return this.send(response, 200, { status: 'available' });
    if (method === 'GET' && path === '/keys') return this.send(response, 200, { results: this.keys.map((key) => ({ name: null, description: null, createdAt: NOW, updatedAt: NOW, ...key })), offset: 0, limit: 1000, total: this.keys.length });
    let match = /^\/tasks\/(\d+)$/.exec(path);
    if (method === 'GET' && match) {
      const task = this.tasks.get(Number(match[1]));
      if (!task) return this.error(response, 404, 'task_not_found', `Task \`${match[1]}\` not found.`);
      return this.send(response, 200, { uid: task.uid, batchUid: task.uid, indexUid: task.indexUid, status: task.status, type: task.type, canceledBy: null, details: {}, error: task.error, duration: task.status === 'succeeded' ? 'PT0.001S' : null, enqueuedAt: NOW, startedAt: NOW, finishedAt: task.status === 'succeeded' || task.status === 'failed' ? NOW : null });
    }
    if (method === 'GET' && path === '/tasks') {
      const types = url.searchParams.get('types')?.split(',');
      const statuses = url.searchParams.get('statuses')?.split(',');
      const uids = url.searchParams.get('indexUids')?.split(',');
      const results = [...this.tasks.values()].filter((t) => (!types || types.includes(t.type)) && (!statuses || statuses.includes(t.status)) && (!uids || uids.includes(t.indexUid ?? '')));
      return this.send(response, 200, { results: results.map((t) => ({ uid: t.uid, indexUid: t.indexUid, status: t.status, type: t.type, enqueuedAt: NOW })), total: results.length, limit: 20, from: null, next: null });
    }
    if (method === 'POST' && path === '/indexes') {
      const uid = body.uid as string;
      return this.enqueue(response, uid, 'indexCreation', () => {
        if (this.indexes.has(uid)) throw Object.assign(new Error(`Index \`${uid}\` already exists.`), { code: 'index_already_exists' });
        this.indexes.set(uid, { settings: {}, documents: new Map() });
      });
    }
    if (method === 'POST' && path === '/swap-indexes') {
      const [a, b] = body[0].indexes as [string, string];
      return this.enqueue(response, null, 'indexSwap', () => {
        const first = this.indexes.get(a)!;
        this.indexes.set(a, this.indexes.get(b)!);
        this.indexes.set(b, first);
      });
    }
    match = /^\/indexes\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) return this.error(response, 404, 'not_found', 'Not found.');
    const uid = decodeURIComponent(match[1]!);
    const rest = match[2] ?? '';
    if (method === 'DELETE' && rest === '') return this.enqueue(response, uid, 'indexDeletion', () => void this.indexes.delete(uid));
    const index = this.indexes.get(uid);
    if (!index) return this.error(response, 404, 'index_not_found', `Index \`${uid}\` not found.`);
    if (method === 'GET' && rest === '') return this.send(response, 200, { uid, createdAt: NOW, updatedAt: NOW, primaryKey: 'id' });
    if (method === 'GET' && rest === '/settings') return this.send(response, 200, { displayedAttributes: ['*'], synonyms: {}, stopWords: [], ...index.settings });
    if (method === 'PATCH' && rest === '/settings') return this.enqueue(response, uid, 'settingsUpdate', () => Object.assign(index.settings, body));
    if (method === 'GET' && rest === '/stats') return this.send(response, 200, { numberOfDocuments: index.documents.size, isIndexing: false, fieldDistribution: {} });
    if (method === 'POST' && rest === '/documents') {
      if ((body as unknown[]).length > this.maxDocumentsPerRequest) return this.error(response, 413, 'payload_too_large', 'The provided payload reached the size limit.');
      return this.enqueue(response, uid, 'documentAdditionOrUpdate', () => {
        const documents = body as Array<Record<string, unknown>>;
        const refused = documents.find((document) => this.refuseDocuments.has(Number(document.documentId)));
        if (refused) throw Object.assign(new Error(`Document \`${String(refused.id)}\` has a value it cannot take.`), { code: 'invalid_document_fields' });
        for (const document of documents) index.documents.set(String(document.id), document);
      });
    }
    if (method === 'POST' && rest === '/documents/delete') return this.enqueue(response, uid, 'documentDeletion', () => {});
    if (method === 'POST' && rest === '/documents/fetch') {
      const firstPages = [...index.documents.values()].filter((d) => (body.filter === 'pageNo = 1' ? d.pageNo === 1 : true));
      return this.send(response, 200, { results: firstPages.slice(0, body.limit ?? 20), offset: 0, limit: body.limit ?? 20, total: firstPages.length });
    }
    if (method === 'POST' && rest === '/search') {
      const { hits, candidates } = this.searchAnswer(body, index);
      const hitsPerPage = body.hitsPerPage ?? 20;
      const totalHits = Math.min(candidates, this.maxTotalHits);
      return this.send(response, 200, { hits: hits.slice(0, hitsPerPage).map((hit) => ({ ...pick(hit, body.attributesToRetrieve), _formatted: { text: String(hit.text ?? '').slice(0, 40) }, _rankingScore: 1 })), query: body.q ?? '', processingTimeMs: 1, hitsPerPage, page: body.page ?? 1, totalPages: Math.ceil(totalHits / Math.max(1, hitsPerPage)), totalHits });
    }
    return this.error(response, 404, 'not_found', `No route ${method} ${path}.`);
  }
}

function pick(hit: Record<string, unknown>, attributes: string[] | undefined): Record<string, unknown> {
  if (!attributes) return hit;
  return Object.fromEntries(Object.entries(hit).filter(([key]) => attributes.includes(key)));
}
