/**
 * Open data (issue 26, point 3): the public records as JSON and CSV, with their metadata and the
 * address of each PDF, and a sitemap for search engines and the portals that aggregate municipal
 * acts. Built from the public set only; paged (JSON 1,000 records a page, sitemaps 10,000 URLs
 * each) so no single answer grows with the archive; kept a minute at most.
 *
 *     GET /transparencia/dados                 what is offered, for people
 *     GET /transparencia/dados.json?pagina=N   {total, page, pages, next, records: [...]}
 *     GET /transparencia/dados.csv             every public record, one a line (RFC 4180)
 *     GET /transparencia/sitemap.xml           a sitemap index → /transparencia/sitemap-N.xml
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/schema.js';
import { WORDS, pickLang } from './portal-i18n.js';
import { PORTAL, esc, layout } from './portal-pages.js';
import type { PublicRecord, PublicSet } from './public-set.js';
import { ResponseCache, type CachedBody } from './response-cache.js';

const JSON_PAGE = 1000;
const SITEMAP_PAGE = 10_000;

interface OpenDataDeps {
  publicSet: PublicSet;
  portal: Config['portal'];
  originOf: (request: FastifyRequest) => string;
  /** Route options every portal route shares. */
  limited: object;
}

function row(record: PublicRecord, origin: string) {
  return {
    id: record.publicId,
    title: record.title,
    type: record.documentType,
    date: record.date,
    year: record.year,
    collection: record.collection,
    language: record.language,
    pages: record.pages,
    url: `${origin}${PORTAL}/d/${record.publicId}`,
    pdf: `${origin}${PORTAL}/d/${record.publicId}/documento.pdf`,
  };
}

/** A CSV cell: quoted when needed, and a leading = + - @ made harmless for spreadsheets. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerOpenData(app: FastifyInstance, deps: OpenDataDeps): void {
  const cache = new ResponseCache(Math.max(10_000, Math.min(60_000, deps.portal.cacheSeconds * 1000)), 200);
  const send = (request: FastifyRequest, reply: FastifyReply, entry: CachedBody) => {
    reply.header('Cache-Control', entry.status === 200 ? `public, max-age=${deps.portal.cacheSeconds}` : 'no-store').header('ETag', entry.etag).type(entry.type);
    if (entry.status === 200 && request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(entry.status).send(entry.body);
  };
  const cached = (key: string, make: () => Omit<CachedBody, 'etag'>) => cache.get(key) ?? cache.set(key, make());
  const pageOf = (request: FastifyRequest): number | null => {
    const asked = (request.query as { pagina?: unknown }).pagina;
    if (asked === undefined) return 1;
    return typeof asked === 'string' && /^[1-9]\d{0,5}$/.test(asked) ? Number(asked) : null;
  };

  app.get(`${PORTAL}/dados`, deps.limited, async (request, reply) => {
    const lang = pickLang((request.query as { lang?: unknown }).lang, request.headers['accept-language']);
    const w = WORDS[lang];
    const entry = cached(`dados:${lang}`, () => ({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: layout({
        lang,
        title: w.openData,
        path: `${PORTAL}/dados`,
        body: `<h1>${esc(w.openData)}</h1><ul>
<li><a href="${PORTAL}/dados.json">dados.json</a> (JSON)</li>
<li><a href="${PORTAL}/dados.csv">dados.csv</a> (CSV, UTF-8)</li>
<li><a href="${PORTAL}/sitemap.xml">sitemap.xml</a></li></ul>`,
      }),
    }));
    reply.header('Vary', 'Accept-Language');
    return send(request, reply, entry);
  });

  app.get(`${PORTAL}/dados.json`, deps.limited, async (request, reply) => {
    const page = pageOf(request);
    const origin = deps.originOf(request);
    const all = deps.publicSet.all();
    const pages = Math.max(1, Math.ceil(all.length / JSON_PAGE));
    if (page === null || page > pages) return reply.code(404).header('Cache-Control', 'no-store').send({ error: { code: 'NOT_FOUND', message: 'No such page of the list.' } });
    const entry = cached(`json:${deps.publicSet.generation()}:${origin}:${page}`, () => ({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: JSON.stringify({
        total: all.length,
        page,
        pages,
        next: page < pages ? `${origin}${PORTAL}/dados.json?pagina=${page + 1}` : null,
        records: all.slice((page - 1) * JSON_PAGE, page * JSON_PAGE).map((record) => row(record, origin)),
      }),
    }));
    return send(request, reply, entry);
  });

  app.get(`${PORTAL}/dados.csv`, deps.limited, async (request, reply) => {
    const origin = deps.originOf(request);
    const entry = cached(`csv:${deps.publicSet.generation()}:${origin}`, () => {
      const header = ['id', 'title', 'type', 'date', 'year', 'collection', 'language', 'pages', 'url', 'pdf'];
      const lines = deps.publicSet.all().map((record) => Object.values(row(record, origin)).map(cell).join(','));
      return { status: 200, type: 'text/csv; charset=utf-8', body: `${[header.join(','), ...lines].join('\r\n')}\r\n` };
    });
    reply.header('Content-Disposition', 'inline; filename="dados.csv"');
    return send(request, reply, entry);
  });

  app.get(`${PORTAL}/sitemap.xml`, deps.limited, async (request, reply) => {
    const origin = deps.originOf(request);
    const entry = cached(`sitemap:${deps.publicSet.generation()}:${origin}`, () => {
      const count = Math.max(1, Math.ceil(deps.publicSet.all().length / SITEMAP_PAGE));
      const maps = Array.from({ length: count }, (_, i) => `<sitemap><loc>${esc(`${origin}${PORTAL}/sitemap-${i + 1}.xml`)}</loc></sitemap>`).join('');
      return { status: 200, type: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${maps}</sitemapindex>\n` };
    });
    return send(request, reply, entry);
  });

  app.get<{ Params: { n: string } }>(`${PORTAL}/sitemap-:n.xml`, deps.limited, async (request, reply) => {
    const origin = deps.originOf(request);
    const all = deps.publicSet.all();
    const n = /^[1-9]\d{0,5}$/.test(request.params.n) ? Number(request.params.n) : 0;
    if (n < 1 || (n - 1) * SITEMAP_PAGE >= Math.max(1, all.length)) return reply.code(404).header('Cache-Control', 'no-store').type('text/plain').send('Not found');
    const entry = cached(`sitemap:${deps.publicSet.generation()}:${origin}:${n}`, () => {
      const urls = [n === 1 ? `<url><loc>${esc(`${origin}${PORTAL}`)}</loc><changefreq>daily</changefreq></url>` : '']
        .concat(all.slice((n - 1) * SITEMAP_PAGE, n * SITEMAP_PAGE).map((record) => `<url><loc>${esc(`${origin}${PORTAL}/d/${record.publicId}`)}</loc>${record.addedAt ? `<lastmod>${esc(record.addedAt.slice(0, 10))}</lastmod>` : ''}</url>`))
        .join('');
      return { status: 200, type: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>\n` };
    });
    return send(request, reply, entry);
  });
}
