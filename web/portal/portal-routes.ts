/**
 * The public Transparência portal (issue 26): no sign-in, documents of the public set only
 * (public-set.ts), each at a permanent address made of its random public id, its PDF always a
 * redacted copy (personal numbers, e-mails and telephones burned out, plus the boxes staff drew),
 * never the original.
 *
 *     GET /transparencia                      home: search form, newest acts by type, what each is
 *     GET /transparencia/busca?q&numero&ano&tipo&pagina
 *     GET /transparencia/d/:id                a document: metadata, citation, its PDF on request
 *     GET /transparencia/d/:id/documento.pdf[?baixar=1]
 *     GET /transparencia/dados[.json|.csv], /transparencia/sitemap.xml   open data (open-data.ts)
 *
 * Every page is plain HTML (no script), cached a few seconds here and `cacheSeconds` by browsers
 * and proxies, with ETags; each client address may make `portal.requestsPerMinute` requests a
 * minute over all of them (address-limit.ts).
 * A document not public and one that never existed answer the same page, made the same way.
 */
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import type { Library } from '../../core/library.js';
import { currentPdf } from '../../core/pipeline/apply-corrections.js';
import type { Redact } from '../../core/redaction/redaction-threads.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { MaskedCopies } from '../masked-copies.js';
import { servedFile } from '../routes/documents.js';
import { registerOpenData } from './open-data.js';
import { WORDS, pickLang, typeWords, type Lang } from './portal-i18n.js';
import { PORTAL, citation, displayDate, esc, href, layout, recordItem, searchForm } from './portal-pages.js';
import { PAGE_SIZE, PortalQuery, portalSearch } from './portal-search.js';
import type { PublicSet } from './public-set.js';
import { shownTitle } from './record-words.js';
import { AddressLimit } from './address-limit.js';
import { ResponseCache, etagOf, type CachedBody } from './response-cache.js';
import { PORTAL_CSS } from './portal-style.js';

export interface PortalDeps {
  library: Library;
  catalog: Catalog;
  backend: SearchBackend;
  portal: Config['portal'];
  /** serve.publicOrigin: the address citizens open, for absolute links (citations, sitemap). */
  publicOrigin: string | null;
  publicSet: PublicSet;
  version: string;
  /** Makes the redacted copies, off the HTTP thread (core/redaction/redaction-threads.ts). */
  redact: Redact;
}

/** Public ids as public-set.ts makes them; anything else is looked up all the same (it misses). */
const NEWEST_PER_TYPE = 5;

export function registerPortal(app: FastifyInstance, deps: PortalDeps): void {
  const { portal, publicSet } = deps;
  const cache = new ResponseCache(Math.min(10_000, portal.cacheSeconds * 1000));
  const copies = new MaskedCopies();
  // One count per address over every portal route (address-limit.ts); the server-wide limit stays too.
  const limit = new AddressLimit(portal.requestsPerMinute);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(PORTAL) && request.url !== '/robots.txt' && request.url !== '/sitemap.xml') return;
    const waitMs = limit.take(request.ip);
    if (waitMs > 0) {
      reply.header('Retry-After', String(Math.ceil(waitMs / 1000)));
      throw Object.assign(new Error('Too many requests from this address.'), { statusCode: 429 });
    }
  });
  const limited = {};
  const originOf = (request: FastifyRequest) => deps.publicOrigin ?? `${request.protocol}://${request.host}`;
  const drawnBoxes = (documentId: number) => deps.catalog.redactionMarks().of(documentId).filter((mark) => mark.action === 'add');

  /** Sends a cached or new body with Cache-Control and an ETag (304 when the browser has it). */
  function send(request: FastifyRequest, reply: FastifyReply, entry: CachedBody, varies: boolean) {
    reply.header('Cache-Control', entry.status === 200 ? `public, max-age=${portal.cacheSeconds}` : 'no-store').header('ETag', entry.etag).type(entry.type);
    if (varies) reply.header('Vary', 'Accept-Language');
    if (entry.status === 200 && request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(entry.status).send(entry.body);
  }
  /** The language, and whether it came from the browser's header (then the answer varies by it). */
  const langOf = (request: FastifyRequest): { lang: Lang; varies: boolean } => {
    const asked = (request.query as { lang?: unknown }).lang;
    return { lang: pickLang(asked, request.headers['accept-language']), varies: typeof asked !== 'string' };
  };
  const html = (status: number, body: string): Omit<CachedBody, 'etag'> => ({ status, body, type: 'text/html; charset=utf-8' });

  const notFoundPage = (lang: Lang) => html(404, layout({ lang, title: WORDS[lang].notFound, path: PORTAL, body: `<h1>${esc(WORDS[lang].notFound)}</h1><p>${esc(WORDS[lang].notFoundHelp)}</p><p><a href="${esc(href(PORTAL, lang))}">${esc(WORDS[lang].back)}</a></p>` }));
  const notFoundPages = { pt: cache.set('404:pt', notFoundPage('pt')), es: cache.set('404:es', notFoundPage('es')), en: cache.set('404:en', notFoundPage('en')) };
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const { lang, varies } = langOf(request);
    return send(request, reply, notFoundPages[lang], varies);
  };

  /** Types with public documents, most documents first (counted once per change of the set). */
  let types: { generation: number; list: string[] } | null = null;
  const typesOf = (): string[] => {
    const generation = publicSet.generation();
    if (types?.generation !== generation) types = { generation, list: countTypes() };
    return types.list;
  };
  const countTypes = (): string[] => {
    const counts = new Map<string, number>();
    for (const record of publicSet.all()) if (record.documentType) counts.set(record.documentType, (counts.get(record.documentType) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type]) => type);
  };

  app.get(PORTAL, limited, async (request, reply) => {
    const { lang, varies } = langOf(request);
    const key = `home:${publicSet.generation()}:${lang}`;
    const entry =
      cache.get(key) ??
      cache.set(key, (() => {
        const w = WORDS[lang];
        const types = typesOf();
        const sections = types
          .map((type) => {
            const words = typeWords(type, lang);
            const newest = publicSet.all().filter((record) => record.documentType === type).slice(0, NEWEST_PER_TYPE);
            const id = `tipo-${type}`;
            return `<section aria-labelledby="${id}"><h3 id="${id}">${esc(words.name)}</h3>
${words.explanation ? `<details><summary>${esc(w.whatIs(words.article))}</summary><p>${esc(words.explanation)}</p></details>` : ''}
<ul class="records">${newest.map((record) => recordItem(record, lang)).join('')}</ul>
<p><a href="${esc(href(`${PORTAL}/busca`, lang, { tipo: type }))}">${esc(w.seeAll(words.name))}</a></p></section>`;
          })
          .join('\n');
        return html(200, layout({ lang, title: w.siteTitle, path: PORTAL, body: `<h1>${esc(w.siteTitle)}</h1><p class="intro">${esc(w.intro)}</p>${searchForm(lang, types)}<h2>${esc(w.newestHeading)}</h2>${sections}` }));
      })());
    return send(request, reply, entry, varies);
  });

  app.get(`${PORTAL}/busca`, limited, async (request, reply) => {
    const { lang, varies } = langOf(request);
    const w = WORDS[lang];
    const parsed = PortalQuery.safeParse(request.query);
    if (!parsed.success) {
      const body = html(400, layout({ lang, title: w.searchHeading, path: `${PORTAL}/busca`, body: `<h1>${esc(w.searchHeading)}</h1><p role="alert">${esc(w.badSearch)}</p>${searchForm(lang, typesOf())}` }));
      return send(request, reply, { ...body, etag: etagOf(body.body) }, varies);
    }
    const query = parsed.data;
    const key = `search:${publicSet.generation()}:${lang}:${JSON.stringify([query.q, query.numero, query.ano, query.tipo, query.pagina])}`;
    let entry = cache.get(key);
    if (!entry) {
      const results = await portalSearch(query, publicSet, deps.backend, () => deps.catalog.redactionMarks().documentsWithDrawnBoxes());
      const params = { q: query.q, numero: query.numero, ano: query.ano, tipo: query.tipo };
      const pager = [
        query.pagina > 1 ? `<a rel="prev" href="${esc(href(`${PORTAL}/busca`, lang, { ...params, pagina: query.pagina - 1 }))}">${esc(w.previous)}</a>` : '',
        query.pagina < results.pages ? `<a rel="next" href="${esc(href(`${PORTAL}/busca`, lang, { ...params, pagina: query.pagina + 1 }))}">${esc(w.next)}</a>` : '',
      ].filter(Boolean);
      const body = `<h1>${esc(w.results_heading)}</h1>${searchForm(lang, typesOf(), query)}
<h2 id="resultados">${esc(w.results_heading)}</h2><p role="status">${esc(w.results(results.total, results.more))}${results.total === 0 ? ` ${esc(w.noResultsHelp)}` : ''}${results.pages > 1 ? ` ${esc(w.page)} ${query.pagina}/${results.pages}.` : ''}</p>
<ol class="records" start="${(query.pagina - 1) * PAGE_SIZE + 1}">${results.hits.map((hit) => recordItem(hit.record, lang, hit.snippet)).join('')}</ol>
${pager.length ? `<nav aria-label="${esc(w.page)}" class="pager">${pager.join(' ')}</nav>` : ''}`;
      entry = cache.set(key, html(200, layout({ lang, title: w.results_heading, path: `${PORTAL}/busca`, params: { ...params, pagina: query.pagina }, body })));
    }
    return send(request, reply, entry, varies);
  });

  app.get<{ Params: { id: string } }>(`${PORTAL}/d/:id`, limited, async (request, reply) => {
    const record = publicSet.get(request.params.id);
    if (!record) return notFound(request, reply);
    const { lang, varies } = langOf(request);
    const w = WORDS[lang];
    const address = `${originOf(request)}${PORTAL}/d/${record.publicId}`;
    const pdf = `${PORTAL}/d/${record.publicId}/documento.pdf`;
    const facts = [
      record.documentType ? [w.type, typeWords(record.documentType, lang).name] : null,
      displayDate(record, lang) ? [w.date, displayDate(record, lang)!] : null,
      record.collection ? [w.collection, record.collection] : null,
      [w.pages, String(record.pages)],
    ].filter((fact): fact is [string, string] => fact !== null);
    const title = shownTitle(record, lang);
    const body = `<h1>${esc(title)}</h1>
<dl class="facts">${facts.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>
<p class="actions"><a class="button" href="${esc(pdf)}">${esc(w.openPdf(record.pages))}</a> <a href="${esc(`${pdf}?baixar=1`)}">${esc(w.downloadPdf)}</a></p>
<p class="note">${esc(w.pdfNote)}</p>
<h2>${esc(w.address)}</h2><p><a href="${esc(address)}">${esc(address)}</a></p>
<h2>${esc(w.cite)}</h2><p class="citation">${esc(citation(record, { publisher: portal.publisher, url: address, lang, today: new Date() }))}</p>`;
    const page = html(200, layout({ lang, title, path: `${PORTAL}/d/${record.publicId}`, body }));
    return send(request, reply, { ...page, etag: etagOf(page.body) }, varies);
  });

  app.get<{ Params: { id: string }; Querystring: { baixar?: string } }>(`${PORTAL}/d/:id/documento.pdf`, limited, async (request, reply) => {
    const record = publicSet.get(request.params.id);
    const document = record ? deps.catalog.getDocument(record.documentId) : undefined;
    if (!record || !document?.outputPath) return notFound(request, reply);
    const file = await servedFile(deps.library.documentsDir, path.resolve(deps.library.root, document.outputPath));
    const marks = drawnBoxes(document.id);
    // Always the redacted copy: every proposed box kept (no one may leave a number uncovered for
    // the public), e-mails and telephones too, and every box staff drew.
    const bytes = await copies.get(
      document.id,
      file,
      // From the PDF as corrected (staff's corrections may still wait for the file: apply-corrections.ts).
      async () => (await deps.redact(() => currentPdf(deps.library, deps.catalog, document.id, `Acervo ${deps.version}`), marks, { title: record.title, documentId: document.id, madeBy: 'Acervo (Transparência)', madeAt: new Date(), producer: `Acervo ${deps.version}` })).pdf,
      `portal:${marks.map((mark) => mark.id).join(',')}:${deps.catalog.pdfRewrites().correctionsSeq(document.id)}`,
    );
    const etag = etagOf(bytes);
    const name = `${record.title.slice(0, 80).replace(/[^\p{L}\p{N} ._()-]/gu, '_')}.pdf`;
    reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `${request.query.baixar === '1' ? 'attachment' : 'inline'}; filename="${name.replace(/"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('Cache-Control', `public, max-age=${portal.cacheSeconds}`)
      .header('ETag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('Content-Length', String(bytes.byteLength)).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get(`${PORTAL}/portal.css`, limited, async (request, reply) => {
    reply.header('Cache-Control', 'public, max-age=86400').header('ETag', CSS_ETAG).type('text/css; charset=utf-8');
    if (request.headers['if-none-match'] === CSS_ETAG) return reply.code(304).send();
    return PORTAL_CSS;
  });

  registerOpenData(app, { publicSet, portal, originOf, limited });
  // Anything else under the portal: the same page as a document that is not public.
  app.get(`${PORTAL}/*`, limited, async (request, reply) => notFound(request, reply));
}

const CSS_ETAG = etagOf(PORTAL_CSS);
