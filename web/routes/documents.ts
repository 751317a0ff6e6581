/**
 * A document's metadata and page hits, and its searchable PDF. A document is named by its catalog
 * id only; its file is the catalog's output path, resolved inside the library's documents folder
 * and checked there again after symbolic links are followed, so nothing else can ever be served.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { CatalogDocument } from '../../core/catalog/catalog.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { publicHit } from './public-hit.js';
import { searchOrRefusal } from './search.js';

const ID = /^[1-9]\d{0,15}$/;
const TAX_NUMBER_KINDS = new Set(['cpf', 'cnpj', 'cuit']);

export function registerDocuments(app: FastifyInstance, deps: WebDeps, clerk: preHandlerHookHandler): void {
  const documentOf = (id: string): CatalogDocument => {
    if (!ID.test(id)) throw new HttpError(404, 'NOT_FOUND', 'No such document.');
    const document = deps.catalog.getDocument(Number(id));
    if (!document || document.status !== 'done' || !document.outputPath) throw new HttpError(404, 'NOT_FOUND', 'No such document.');
    return document;
  };

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/api/documents/:id', { preHandler: clerk }, async (request) => {
    const document = documentOf(request.params.id);
    const pages = deps.catalog.pages(document.id).filter((page) => page.pdfPage !== null);
    const q = typeof request.query.q === 'string' ? request.query.q.slice(0, 500) : '';
    const mask = !request.principal!.personalData;
    // A query with nothing to search for (a lone quote) still opens the document, with no page marked.
    const found = q.trim() ? await searchOrRefusal(deps, { text: q, limit: 100, offset: 0, filters: { documentIds: [document.id] } }) : null;
    const hits = found !== null && 'hits' in found ? found.hits.map((hit) => publicHit(hit, mask)).sort((a, b) => a.page - b.page) : [];
    const facts = deps.catalog.facts(document.id);
    const taxNumbers = facts.filter((fact) => TAX_NUMBER_KINDS.has(fact.kind));
    return {
      documentId: document.id,
      title: document.title,
      documentType: document.documentType,
      collection: document.collection,
      year: document.year,
      date: document.date,
      language: document.language,
      personalData: document.personalData === 1,
      box: document.box,
      series: document.series,
      notes: document.notes,
      dates: facts.filter((fact) => fact.kind === 'date').map((fact) => ({ date: fact.value, text: fact.text, page: fact.pageNo, main: fact.main })),
      identifiers: facts.filter((fact) => fact.kind !== 'date' && !TAX_NUMBER_KINDS.has(fact.kind)).map((fact) => ({ kind: fact.kind, value: fact.value, text: fact.text, page: fact.pageNo })),
      // People's numbers only for those who may see them; the others learn only that they are there.
      taxNumbers: mask ? taxNumbers.length : taxNumbers.map((fact) => ({ kind: fact.kind, value: fact.value, page: fact.pageNo })),
      file: document.relativePath,
      // A part of a batch scan: which one, and where it lies in the batch file.
      batch:
        document.partCount > 1 || document.sourceFirstPage !== null
          ? { part: document.partNo, parts: document.partCount, firstPage: document.sourceFirstPage, lastPage: document.sourceLastPage }
          : null,
      pages: pages.length,
      pdfUrl: `/api/documents/${document.id}/pdf`,
      downloadUrl: `/api/documents/${document.id}/pdf?download=1`,
      hits,
    };
  });

  app.get<{ Params: { id: string }; Querystring: { download?: string } }>('/api/documents/:id/pdf', { preHandler: clerk }, async (request, reply) => {
    const document = documentOf(request.params.id);
    const file = await servedFile(deps.library.documentsDir, path.resolve(deps.library.root, document.outputPath!));
    const name = path.basename(document.outputPath!).replace(/[^\p{L}\p{N} ._()-]/gu, '_');
    const disposition = request.query.download === '1' ? 'attachment' : 'inline';
    reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Length', String((await stat(file)).size))
      .header('Content-Disposition', `${disposition}; filename="${name.replace(/"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('Cache-Control', 'private, no-store');
    return reply.send(createReadStream(file));
  });
}

/** The file, if it really lies inside the documents folder once links are followed; else "not found". */
async function servedFile(documentsDir: string, file: string): Promise<string> {
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([realpath(file), realpath(documentsDir)]);
  } catch {
    throw new HttpError(404, 'NOT_FOUND', 'The PDF of this document is missing from the library.');
  }
  const relative = path.relative(root, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new HttpError(404, 'NOT_FOUND', 'No such document.');
  return real;
}
