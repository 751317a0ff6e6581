/**
 * A document's metadata and page hits, and its searchable PDF. A document is named by its catalog
 * id only; its file is the catalog's output path, resolved inside the library's documents folder
 * and checked there again after symbolic links are followed, so nothing else can ever be served.
 *
 * What the user may see decides the answer (core/access/policy.ts): a document of a restricted
 * collection is "not found" exactly as a document that does not exist; for a user without the
 * personal-data permission every text is masked and the PDF is a copy with every personal number
 * burned out of its page images and gone from its text (core/redaction/, web/masked-copies.ts),
 * never the file itself. A PDF whose corrections wait for it (core/pipeline/apply-corrections.ts)
 * is sent, and masked, as corrected.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { AccessView } from '../../core/access/policy.js';
import type { CatalogDocument } from '../../core/catalog/catalog.js';
import { currentPdf } from '../../core/pipeline/apply-corrections.js';
import type { Redact } from '../../core/redaction/redaction-threads.js';
import { findPersonalNumbers, typedPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { mayAct } from '../auth.js';
import { HttpError } from '../http-error.js';
import { MaskedCopies } from '../masked-copies.js';
import type { WebDeps } from '../app.js';
import { publicHit } from './public-hit.js';
import { searchOrRefusal, viewOf } from './search.js';

const ID = /^[1-9]\d{0,15}$/;
/** Numbers of people and companies: listed only for users who may see personal data. */
const TAX_NUMBER_KINDS = new Set(['cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo']);

/** The document named by `id`, if it exists, is done and the user may see it; one answer for "does not exist" and "may not be seen": the id tells nothing. */
export function documentOf(deps: Pick<WebDeps, 'catalog'>, id: string, view: AccessView): CatalogDocument {
  if (!ID.test(id)) throw new HttpError(404, 'NOT_FOUND', 'No such document.');
  const document = deps.catalog.getDocument(Number(id));
  if (!document || document.status !== 'done' || !document.outputPath || !view.maySeeCollection(document.collection)) throw new HttpError(404, 'NOT_FOUND', 'No such document.');
  return document;
}

/** `redact`: makes the masked copies, off the HTTP thread (core/redaction/redaction-threads.ts). */
export function registerDocuments(app: FastifyInstance, deps: WebDeps, clerk: preHandlerHookHandler, redact: Redact): void {
  const maskedCopies = new MaskedCopies();
  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/api/documents/:id', { preHandler: clerk }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const pages = deps.catalog.pages(document.id).filter((page) => page.pdfPage !== null);
    const q = typeof request.query.q === 'string' ? request.query.q.slice(0, 500) : '';
    const typed = typedPersonalNumbers(q);
    const text = (value: string | null) => view.optionalText(value, typed);
    // A query with nothing to search for (a lone quote) still opens the document, with no page marked.
    const found = q.trim() ? await searchOrRefusal(deps, { text: q, limit: 100, offset: 0, showPersonalData: view.showPersonalData, filters: { documentIds: [document.id] } }) : null;
    const title = document.title ?? document.relativePath;
    const hits = found !== null && 'hits' in found ? found.hits.map((hit) => publicHit(hit, view, typed, title)).sort((a, b) => a.page - b.page) : [];
    const facts = deps.catalog.facts(document.id);
    const taxNumbers = facts.filter((fact) => TAX_NUMBER_KINDS.has(fact.kind));
    deps.audit({ action: 'document.view', user: view.principal.name, role: view.principal.role, ip: request.ip, documentId: document.id, query: q || null, detail: { personalData: view.showPersonalData ? 'shown' : 'masked' } });
    return {
      documentId: document.id,
      title: text(document.title),
      documentType: text(document.documentType),
      collection: text(document.collection),
      year: document.year,
      date: document.date,
      language: document.language,
      personalData: document.personalData === 1,
      box: text(document.box),
      series: text(document.series),
      notes: text(document.notes),
      dates: facts.filter((fact) => fact.kind === 'date').map((fact) => ({ date: fact.value, text: text(fact.text), page: fact.pageNo, main: fact.main })),
      identifiers: facts.filter((fact) => fact.kind !== 'date' && !TAX_NUMBER_KINDS.has(fact.kind)).map((fact) => ({ kind: fact.kind, value: text(fact.value), text: text(fact.text), page: fact.pageNo })),
      // People's numbers only for those who may see them; the others learn only that they are there.
      taxNumbers: view.showPersonalData ? taxNumbers.map((fact) => ({ kind: fact.kind, value: fact.value, page: fact.pageNo })) : taxNumbers.length,
      file: text(document.relativePath),
      // A part of a batch scan: which one, and where it lies in the batch file.
      batch:
        document.partCount > 1 || document.sourceFirstPage !== null
          ? { part: document.partNo, parts: document.partCount, firstPage: document.sourceFirstPage, lastPage: document.sourceLastPage }
          : null,
      pages: pages.length,
      pdfUrl: `/api/documents/${document.id}/pdf`,
      downloadUrl: `/api/documents/${document.id}/pdf?download=1`,
      // Redacted copies are made by archivists (web/routes/redaction.ts): the others are not told of them.
      redaction: mayAct(request.principal!, 'archivist')
        ? { reviewUrl: `/api/documents/${document.id}/redaction`, marksUrl: `/api/documents/${document.id}/redaction/marks`, copyUrl: `/api/documents/${document.id}/redacted.pdf`, downloadUrl: `/api/documents/${document.id}/redacted.pdf?download=1` }
        : undefined,
      // Withholding from the public portal (web/routes/portal-withhold.ts): for the roles its API allows, when there is a portal.
      portal: deps.portal && mayAct(request.principal!, 'archivist') ? { stateUrl: `/api/documents/${document.id}/portal`, withheldUrl: `/api/documents/${document.id}/portal/withheld` } : undefined,
      hits,
    };
  });

  app.get<{ Params: { id: string }; Querystring: { download?: string } }>('/api/documents/:id/pdf', { preHandler: clerk }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const file = await servedFile(deps.library.documentsDir, path.resolve(deps.library.root, document.outputPath!));
    const name = view.text(path.basename(document.outputPath!)).replace(/[^\p{L}\p{N} ._()-]/gu, '_');
    const download = request.query.download === '1';
    deps.audit({ action: download ? 'pdf.download' : 'pdf.view', user: view.principal.name, role: view.principal.role, ip: request.ip, documentId: document.id, detail: { personalData: view.showPersonalData ? 'shown' : 'masked' } });
    reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename="${name.replace(/"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('Cache-Control', 'private, no-store');
    // While staff's corrections wait for the file (another run holds the library), the PDF is sent as corrected.
    const corrected = () => currentPdf(deps.library, deps.catalog, document.id, `Acervo ${deps.version}`);
    if (!view.showPersonalData && holdsPersonalNumbers(deps, document)) {
      // The same copy for every user who may not see personal data: no archivist's review (a number
      // left uncovered for a citizen's copy is still masked here), e-mails and telephones as written.
      // Kept per state of the file and of the corrections: a copy made before a correction is not served after it.
      const title = view.text(document.title ?? path.basename(document.relativePath));
      const masked = await maskedCopies.get(document.id, file, async () => {
        const copy = await redact(corrected, [], { title, documentId: document.id, madeBy: 'Acervo', madeAt: new Date(), producer: `Acervo ${deps.version}` }, { contacts: false });
        return copy.pdf;
      }, deps.catalog.pdfRewrites().correctionsSeq(document.id));
      return reply.header('Content-Length', String(masked.byteLength)).send(Buffer.from(masked.buffer, masked.byteOffset, masked.byteLength));
    }
    if (deps.catalog.pdfRewrites().isPending(document.id)) {
      const bytes = await corrected();
      return reply.header('Content-Length', String(bytes.byteLength)).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    return reply.header('Content-Length', String((await stat(file)).size)).send(createReadStream(file));
  });
}

/**
 * Whether anything the PDF was made from holds a personal number: its pages' text (OCR'd or the
 * source's own), and the metadata written into it (title, paths, notes…). A PDF made from none
 * holds none, and is served as it is; any other is masked for a user who may not see them.
 */
function holdsPersonalNumbers(deps: Pick<WebDeps, 'catalog'>, document: CatalogDocument): boolean {
  const fields = [document.title, document.relativePath, document.sourcePath, document.collection, document.series, document.box, document.notes, document.documentType];
  if (fields.some((field) => field !== null && field !== undefined && findPersonalNumbers(String(field)).some((number) => number.personal))) return true;
  return deps.catalog.pages(document.id).some((page) => findPersonalNumbers(page.text).some((number) => number.personal));
}

/** The file, if it really lies inside the documents folder once links are followed; else "not found". */
export async function servedFile(documentsDir: string, file: string): Promise<string> {
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
