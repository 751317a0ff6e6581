/**
 * The review queue (issue 25): what the machine was unsure of, for archivists and admins to accept
 * or fix (core/catalog/review-queue.ts; the reasons: review-rules.ts). Clerks get none of it.
 *
 *     GET  /api/review?collection=&box=&reason=&after=|before=&limit=   a page of the queue, with counts
 *     GET  /api/documents/:id/review                                    the document's items and decisions
 *     POST /api/review/accept   {documentId, page, reason}              the machine read it right: out of the queue
 *     POST /api/review/decisions/:id/revert                             back to the state before that decision
 *
 * Fixing is a correction (web/routes/corrections.ts): a date, a type or a page's text set by a
 * person takes the item out of the queue by itself.
 *
 * What a user may see decides the answer: items and counts of restricted collections they may not
 * see are left out, as in search; personal-data items are only for those who may see the numbers
 * (the others could not check them), and titles and names are masked as any text. No item says a
 * number's digits: a personal-data item says only that the document holds one. The access log
 * records each listing (which items were shown), accept and revert.
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AccessView } from '../../core/access/policy.js';
import { REVIEW_REASONS, type CatalogDocument, type ReviewDecision, type ReviewDetails, type ReviewReason, type ReviewScope } from '../../core/catalog/catalog.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { documentOf } from './documents.js';
import { viewOf } from './search.js';

const ID = /^[1-9]\d{0,15}$/;
const PAGE_REASONS = new Set<ReviewReason>(['low-confidence']);
const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,2000}$/, 'is not a cursor this server gave');
const name = z.string().min(1).max(200);

const ListParams = z
  .object({
    collection: name.optional(),
    box: name.optional(),
    reason: z.enum(REVIEW_REASONS).optional(),
    after: cursor.optional(),
    before: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((params) => params.box === undefined || params.collection !== undefined, 'box names a box of a collection: give collection too')
  .refine((params) => params.after === undefined || params.before === undefined, 'give after or before, not both');

const AcceptBody = z
  .object({
    documentId: z.number().int().positive(),
    page: z.number().int().positive().nullable(),
    reason: z.enum(REVIEW_REASONS),
  })
  .strict()
  .refine((body) => PAGE_REASONS.has(body.reason) === (body.page !== null), "page: a page's reason names its page; a document's reason names none (null)");

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(400, 'INVALID_REVIEW', `Bad request: ${issue.path.join('.') || 'body'} ${issue.message}`.replace(/\s+/g, ' ').slice(0, 300));
}

export function registerReview(app: FastifyInstance, deps: WebDeps, archivist: preHandlerHookHandler): void {
  const queue = () => deps.catalog.review();
  const decisions = () => deps.catalog.reviewDecisions();

  const scopeOf = (view: AccessView): ReviewScope => ({
    maySeeCollection: view.maySeeCollection,
    personalData: view.showPersonalData,
    personalDataCollections: deps.personalDataCollections(),
  });

  const publicItem = (view: AccessView, entry: ReviewDetails) => ({
    documentId: entry.item.documentId,
    page: entry.pdfPage,
    reason: entry.item.reason,
    collection: view.optionalText(entry.item.collection),
    box: view.optionalText(entry.item.box),
    title: view.text(entry.title ?? entry.file),
    documentType: entry.documentType,
    date: entry.date,
    confidence: entry.confidence === null ? null : Math.round(entry.confidence * 10) / 10,
    dates: entry.dates,
    acceptedBefore: entry.acceptedBefore,
    viewUrl: `/view/${entry.item.documentId}${entry.pdfPage !== null ? `?page=${entry.pdfPage}` : ''}`,
    cursor: entry.item.cursor,
  });

  const pdfPageOf = (documentId: number, pageNo: number | null) => (pageNo === null ? null : (deps.catalog.pages(documentId).find((page) => page.pageNo === pageNo)?.pdfPage ?? null));

  const publicDecision = (decision: ReviewDecision) => ({
    id: decision.id,
    page: pdfPageOf(decision.documentId, decision.pageNo),
    reason: decision.reason,
    action: decision.action,
    by: decision.author,
    at: decision.at,
    supersedes: decision.supersedes,
    supersededBy: decision.supersededBy,
    reverts: decision.reverts,
    revertUrl: decision.supersededBy === null ? `/api/review/decisions/${decision.id}/revert` : null,
  });

  /** The document's items this user may act on, and every decision on them. */
  const documentReview = (view: AccessView, document: CatalogDocument) => ({
    documentId: document.id,
    items: queue()
      .details(queue().itemsOf(document.id, scopeOf(view)))
      .map((entry) => publicItem(view, entry)),
    decisions: decisions()
      .history(document.id)
      .filter((decision) => view.showPersonalData || decision.reason !== 'personal-data-unexpected')
      .map(publicDecision),
  });

  const audit = (request: FastifyRequest, view: AccessView, action: 'review.list' | 'review.accept' | 'review.revert', documentId: number | null, detail: Record<string, unknown>) =>
    deps.audit({ action, user: view.principal.name, role: view.principal.role, ip: request.ip, documentId, detail });

  app.get('/api/review', { preHandler: archivist }, async (request) => {
    const params = parsed(ListParams, request.query);
    const view = viewOf(deps, request);
    const scope = scopeOf(view);
    const filter = {
      ...(params.collection !== undefined ? { collection: params.collection } : {}),
      ...(params.box !== undefined ? { box: params.box } : {}),
      ...(params.reason !== undefined ? { reason: params.reason } : {}),
    };
    const page = queue().list(filter, scope, { limit: params.limit, ...(params.after ? { after: params.after } : {}), ...(params.before ? { before: params.before } : {}) });
    const overview = queue().overview(filter, scope);
    const items = queue().details(page.items).map((entry) => publicItem(view, entry));
    audit(request, view, 'review.list', null, {
      filters: { collection: params.collection ?? null, box: params.box ?? null, reason: params.reason ?? null },
      items: items.map((item) => [item.documentId, item.page, item.reason]),
      personalData: view.showPersonalData ? 'shown' : 'masked',
    });
    return {
      counts: { total: overview.total, reasons: overview.reasons },
      collections: overview.collections.map((entry) => ({ collection: view.optionalText(entry.collection), items: entry.items })),
      boxes: overview.boxes.map((entry) => ({ box: view.optionalText(entry.box), items: entry.items })),
      items,
      next: page.next,
      previous: page.previous,
    };
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id/review', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    return documentReview(view, document);
  });

  app.post('/api/review/accept', { preHandler: archivist }, async (request, reply) => {
    const body = parsed(AcceptBody, request.body);
    const view = viewOf(deps, request);
    const document = documentOf(deps, String(body.documentId), view);
    // Someone who may not see the numbers cannot check them: they may not say they are right.
    if (body.reason === 'personal-data-unexpected' && !view.showPersonalData) {
      throw new HttpError(403, 'PERSONAL_DATA_REQUIRED', "This item is about a person's number, which you may not see: someone with the personal-data permission must review it.");
    }
    let pageNo: number | null = null;
    if (body.page !== null) {
      const page = deps.catalog.pages(document.id).find((candidate) => candidate.pdfPage === body.page);
      if (!page) throw new HttpError(404, 'NOT_FOUND', 'No such page in this document.');
      pageNo = page.pageNo;
    }
    const result = decisions().accept(document.id, pageNo, body.reason, view.principal.name);
    if ('gone' in result) {
      audit(request, view, 'review.accept', document.id, { reason: body.reason, page: body.page, outcome: 'gone' });
      return reply.code(409).send({ error: { code: 'REVIEW_GONE', message: 'This item is no longer in the review queue: someone accepted or corrected it since you opened it.' } });
    }
    audit(request, view, 'review.accept', document.id, { reason: body.reason, page: body.page, decision: result.saved.id });
    return { saved: publicDecision(result.saved), review: documentReview(view, document) };
  });

  app.post<{ Params: { id: string } }>('/api/review/decisions/:id/revert', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const decision = ID.test(request.params.id) ? decisions().get(Number(request.params.id)) : undefined;
    if (!decision) throw new HttpError(404, 'NOT_FOUND', 'No such decision.');
    // The document must be one this user may see ("not found" otherwise), and a personal-data decision theirs to make.
    const document = documentOf(deps, String(decision.documentId), view);
    if (decision.reason === 'personal-data-unexpected' && !view.showPersonalData) throw new HttpError(404, 'NOT_FOUND', 'No such decision.');
    const result = decisions().revert(decision.id, view.principal.name);
    if (!result) throw new HttpError(404, 'NOT_FOUND', 'No such decision.');
    if ('conflict' in result) {
      audit(request, view, 'review.revert', document.id, { reverts: decision.id, reason: decision.reason, outcome: 'conflict' });
      return reply.code(409).send({ error: { code: 'EDIT_CONFLICT', message: 'Someone decided on this item since: see its decisions now.', conflicts: [{ field: decision.reason, page: pdfPageOf(document.id, decision.pageNo), value: result.conflict.action, version: result.conflict.id, by: result.conflict.author, at: result.conflict.at }] } });
    }
    audit(request, view, 'review.revert', document.id, { reverts: decision.id, reason: decision.reason, page: pdfPageOf(document.id, decision.pageNo), decision: result.saved.id });
    return { saved: publicDecision(result.saved), review: documentReview(view, document) };
  });
}
