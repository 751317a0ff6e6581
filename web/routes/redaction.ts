/**
 * Redacted copies for citizens ("cópia tarjada", issue 21), for archivists and admins: the review
 * of a document's PDF (boxes proposed over people's numbers, e-mails and phones, as the archivist
 * left them), the archivist's marks (a box drawn, a proposed box removed), and the copy made from
 * them (core/redaction/).
 *
 *     GET    /api/documents/:id/redaction                   {documentId, pages: PageReview[]}
 *     POST   /api/documents/:id/redaction/marks             {page, action, x0, y0, x1, y1, label?} → 201 the mark
 *     DELETE /api/documents/:id/redaction/marks/:markId     204
 *     GET    /api/documents/:id/redacted.pdf[?download=1]   the copy
 *
 * A document of a restricted collection is "not found" as in documents.ts. The access log gets
 * every review, mark and copy: where and what kind of change, never coordinates or values.
 */
import path from 'node:path';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AccessView } from '../../core/access/policy.js';
import type { CatalogDocument } from '../../core/catalog/catalog.js';
import { normalisedBox } from '../../core/redaction/page-box.js';
import { maskedForCopy } from '../../core/redaction/copy-metadata.js';
import { currentPdf } from '../../core/pipeline/apply-corrections.js';
import type { Redact, Review } from '../../core/redaction/redaction-threads.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { documentOf, servedFile } from './documents.js';
import { viewOf } from './search.js';

const MARK_ID = /^[1-9]\d{0,15}$/;
const MAX_LABEL = 200;

const coordinate = z.number();
const MarkBody = z
  .object({
    page: z.number().int().min(1),
    action: z.enum(['add', 'dismiss']),
    x0: coordinate,
    y0: coordinate,
    x1: coordinate,
    y1: coordinate,
    label: z.string().max(MAX_LABEL).nullable().optional(),
  })
  .strict();

type Params = { Params: { id: string } };

/** `redact` and `review`: make the copies and their reviews, off the HTTP thread (core/redaction/redaction-threads.ts). */
export function registerRedaction(app: FastifyInstance, deps: WebDeps, archivist: preHandlerHookHandler, { redact, review }: { redact: Redact; review: Review }): void {
  const marks = () => deps.catalog.redactionMarks();

  /**
   * The searchable PDF in the library (only from inside documents/, as the PDF route serves it), as
   * corrected: while staff's corrections wait for the file, a copy made now still says them.
   */
  const pdfOf = async (document: CatalogDocument) => {
    await servedFile(deps.library.documentsDir, path.resolve(deps.library.root, document.outputPath!));
    return currentPdf(deps.library, deps.catalog, document.id, `Acervo ${deps.version}`);
  };

  const record = (request: FastifyRequest, view: AccessView, document: CatalogDocument, action: 'redaction.review' | 'redaction.mark' | 'redaction.copy', detail: Record<string, unknown>) =>
    deps.audit({ action, user: view.principal.name, role: view.principal.role, ip: request.ip, documentId: document.id, detail });

  app.get<Params>('/api/documents/:id/redaction', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    // The PDF is read when the review's turn comes (redaction-threads.ts).
    const pages = await review(() => pdfOf(document), marks().of(document.id));
    const boxes = pages.flatMap((page) => page.boxes);
    record(request, view, document, 'redaction.review', { pages: pages.length, proposed: boxes.filter((box) => box.source === 'proposed').length, covered: boxes.filter((box) => box.covered).length });
    return { documentId: document.id, pages };
  });

  app.post<Params>('/api/documents/:id/redaction/marks', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const parsed = MarkBody.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpError(400, 'INVALID_MARK', `Bad mark: ${issue.path.join('.') || 'body'} ${issue.message}`.replace(/\s+/g, ' ').slice(0, 300));
    }
    const body = parsed.data;
    const pages = deps.catalog.pages(document.id).filter((page) => page.pdfPage !== null).length;
    if (body.page > pages) throw new HttpError(400, 'INVALID_MARK', `Bad mark: page ${body.page} is past the document's last page (${pages}).`);
    const box = normalisedBox(body);
    if (box === null) throw new HttpError(400, 'INVALID_MARK', 'Bad mark: the box covers nothing of the page.');
    // What the box covers, in the archivist's words: never a value, so any number typed is masked.
    const label = body.action === 'add' ? maskedForCopy((body.label ?? '').replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim()) || null : null;
    const mark = marks().add(document.id, { page: body.page, action: body.action, box, label, madeBy: view.principal.name });
    record(request, view, document, 'redaction.mark', { page: mark.page, action: mark.action, markId: mark.id });
    return reply.code(201).send(mark);
  });

  app.delete<{ Params: { id: string; markId: string } }>('/api/documents/:id/redaction/marks/:markId', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const markId = request.params.markId;
    const existing = MARK_ID.test(markId) ? marks().of(document.id).find((mark) => mark.id === Number(markId)) : undefined;
    if (!existing || !marks().remove(document.id, existing.id)) throw new HttpError(404, 'NOT_FOUND', 'No such mark on this document.');
    record(request, view, document, 'redaction.mark', { page: existing.page, action: 'remove', removed: existing.action, markId: existing.id });
    return reply.code(204).send();
  });

  app.get<Params & { Querystring: { download?: string } }>('/api/documents/:id/redacted.pdf', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    // The copy goes to a citizen: its title and name are masked whoever makes it.
    const title = maskedForCopy(document.title ?? path.basename(document.relativePath));
    // Only someone who may read personal numbers may leave one uncovered (the requester's own): for
    // the others, boxes removed in review stay.
    const reviewed = marks().of(document.id).filter((mark) => view.showPersonalData || mark.action === 'add');
    // The PDF is read when the copy's turn comes (redaction-threads.ts).
    const copy = await redact(() => pdfOf(document), reviewed, { title, documentId: document.id, madeBy: view.principal.name, madeAt: new Date(), producer: `Acervo ${deps.version}` });
    const bytes = copy.pdf;
    const name = `${maskedForCopy(path.basename(document.outputPath!, path.extname(document.outputPath!)))} (tarjada).pdf`.replace(/[^\p{L}\p{N} ._()-]/gu, '_');
    const download = request.query.download === '1';
    record(request, view, document, 'redaction.copy', { boxes: copy.boxes, pages: copy.pages, burnedPages: copy.burnedPages, download, personalData: view.showPersonalData ? 'shown' : 'masked' });
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename="${name.replace(/"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('Cache-Control', 'private, no-store')
      .header('Content-Length', String(bytes.byteLength))
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
