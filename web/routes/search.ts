/** GET /api/search: what the page shows as the clerk types. */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import type { QueryRefusal } from '../../core/search/query-parser.js';
import type { SearchQuery, SearchResult, SearchSort } from '../../core/search/search-backend.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { publicHit } from './public-hit.js';

const list = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().min(1).max(200)).max(50));
const year = z.coerce.number().int().min(1000).max(9999).optional();

const SearchParams = z
  .object({
    // Long enough for a pasted line or a word thousands of letters long (left out and named, not refused).
    q: z.string().max(10_000).default(''),
    collection: list,
    type: list,
    yearFrom: year,
    yearTo: year,
    page: z.coerce.number().int().min(1).max(500).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    sort: z.enum(['relevance', 'date-desc', 'date-asc', 'title']).default('relevance'),
  })
  .strict();

export function registerSearch(app: FastifyInstance, deps: WebDeps, clerk: preHandlerHookHandler): void {
  app.get('/api/search', { preHandler: clerk }, async (request) => {
    const parsed = SearchParams.safeParse(request.query);
    if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', `Bad search parameters: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
    const params = parsed.data;
    if (params.q.trim() === '') return { query: '', total: 0, page: 1, pageSize: params.pageSize, hits: [], facets: null };
    const result = await searchOrRefusal(deps, {
      text: params.q,
      limit: params.pageSize,
      offset: (params.page - 1) * params.pageSize,
      sort: params.sort as SearchSort,
      facets: true,
      filters: {
        collections: params.collection,
        documentTypes: params.type,
        ...(params.yearFrom !== undefined ? { yearFrom: params.yearFrom } : {}),
        ...(params.yearTo !== undefined ? { yearTo: params.yearTo } : {}),
      },
    });
    if ('refused' in result) return { query: params.q, total: 0, page: 1, pageSize: params.pageSize, hits: [], facets: null, refused: result.refused };
    return {
      query: result.query,
      total: result.total,
      ...(result.totalEstimate ? { totalEstimate: result.totalEstimate } : {}),
      page: params.page,
      pageSize: params.pageSize,
      hits: result.hits.map((hit) => publicHit(hit, !request.principal!.personalData)),
      facets: result.facets ?? null,
      ...(result.ignored ? { ignored: result.ignored } : {}),
    };
  });
}

/**
 * A search, or why there was nothing to search for: a query with no words, only exclusions or too
 * many words is the clerk's to fix, said on the page in their language (`refused` names the reason),
 * never an error to report to IT.
 */
export async function searchOrRefusal(deps: Pick<WebDeps, 'backend'>, query: SearchQuery): Promise<SearchResult | { refused: QueryRefusal }> {
  try {
    return await deps.backend.search(query);
  } catch (error) {
    const reason = isAppError(error) && error.code === 'QUERY_INVALID' ? (error.details.reason as QueryRefusal | undefined) : undefined;
    if (reason === undefined) throw error;
    return { refused: reason };
  }
}
