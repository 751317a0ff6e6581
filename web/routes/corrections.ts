/**
 * Archive staff correct what the machine got wrong (issue 25): a document's fields and a page's
 * text, kept beside the machine's values with their history (core/catalog/corrections.ts).
 *
 *     GET   /api/documents/:id/record             clerk: each field as shown, the machine's value, who set it and when;
 *                                                 pdfWaiting: the PDF is not yet written with them
 *     GET   /api/documents/:id/pages/:n/text      clerk: page n (of the PDF) as shown and as the machine read it
 *     GET   /api/documents/:id/history            clerk: every change, newest first
 *     PATCH /api/documents/:id                    archivist: {fields: {title: {value, basedOn}, …}} → the changes saved
 *     PUT   /api/documents/:id/pages/:n/text      archivist: {text, basedOn} (or {machine: true, basedOn})
 *     POST  /api/corrections/:id/revert           archivist: back to what the field was before that change
 *
 * An edit says which version of the field its author saw (`basedOn`: the version the record gave,
 * null for the machine's value). If someone else changed it since, nothing is saved: 409
 * EDIT_CONFLICT with what the field holds now and who set it. A change is indexed before the
 * answer (unless an ingest holds the library: then it waits in the outbox for that run), and the
 * document's PDF is written again with it after the answer (web/pdf-rewrite-queue.ts).
 *
 * Every text goes through the user's view (core/access/policy.ts) as every other channel does: a
 * user who may not see personal numbers sees them masked in values, machine values and history,
 * and may not edit a field or page that holds one (they would save the mask over the number).
 * The access log records each edit and revert: which fields and pages, never their values.
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AccessView } from '../../core/access/policy.js';
import type { CatalogDocument, Conflict, Correction, Edit, FieldValue } from '../../core/catalog/catalog.js';
import { DOCUMENT_FIELDS } from '../../core/catalog/catalog.js';
import { findPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { documentOf } from './documents.js';
import { viewOf } from './search.js';

const ID = /^[1-9]\d{0,15}$/;
const TAX_NUMBER_KINDS = new Set(['cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo']);
/** A page of OCR text is a few KB; a long typed page stays well under this. */
const MAX_TEXT = 100_000;

/** Control and format characters out, one Unicode form; `lines` keeps line breaks and tabs. */
const clean = (lines: boolean) => (value: string) =>
  value
    .normalize('NFC')
    .replace(lines ? /[^\P{Cc}\n\t]|\p{Cf}/gu : /[\p{Cc}\p{Cf}]/gu, lines ? '' : ' ')
    .replace(lines ? /[ \t]+$/gm : /\s+/g, lines ? '' : ' ')
    .trim();

const basedOn = z.number().int().positive().nullable();
const shortText = (max: number) => z.string().max(max * 2).transform(clean(false)).pipe(z.string().min(1, 'is empty').max(max)).nullable();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date')
  .nullable();
const identifier = z
  .object({
    kind: z.string().regex(/^[a-z][a-z-]{1,30}$/, 'is not an identifier kind (processo, protocolo, decreto, lei, …)').refine((kind) => !TAX_NUMBER_KINDS.has(kind) && kind !== 'date', "is a person's or company's number, not an identifier"),
    value: z.string().max(200).transform(clean(false)).pipe(z.string().min(1, 'is empty').max(100)),
    // As the record gives them back; where an identifier is indexed is the server's to say.
    page: z.number().int().nullable().optional(),
  })
  .strict()
  .refine((entry) => !findPersonalNumbers(entry.value).some((number) => number.personal), "holds a person's number: identifiers are shown to everyone");

export const VALUE_OF: Record<(typeof DOCUMENT_FIELDS)[number], z.ZodType<FieldValue | Array<{ kind: string; value: string }>>> = {
  title: shortText(500),
  date: isoDate,
  year: z.number().int().min(1000).max(9999).nullable(),
  documentType: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'is not a document type key (alvara, decreto, …)').nullable(),
  collection: shortText(200),
  series: shortText(200),
  box: shortText(100),
  notes: z.string().max(4000).transform(clean(true)).pipe(z.string().max(2000)).nullable(),
  identifiers: z.array(identifier).max(50),
};

const fieldEdit = (value: z.ZodType<unknown>) => z.union([z.object({ value, basedOn }).strict(), z.object({ machine: z.literal(true), basedOn }).strict()]);
const PatchBody = z
  .object({ fields: z.object(Object.fromEntries(DOCUMENT_FIELDS.map((field) => [field, fieldEdit(VALUE_OF[field]).optional()]))).strict() })
  .strict()
  .refine((body) => Object.values(body.fields).some((edit) => edit !== undefined), 'names no field');
const TextBody = z.union([z.object({ text: z.string().max(MAX_TEXT).transform(clean(true)), basedOn }).strict(), z.object({ machine: z.literal(true), basedOn }).strict()]);

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(400, 'INVALID_CORRECTION', `Bad correction: ${issue.path.join('.') || 'body'} ${issue.message}`.replace(/\s+/g, ' ').slice(0, 300));
}

type Params = { Params: { id: string } };
type PageParams = { Params: { id: string; n: string } };

export function registerCorrections(app: FastifyInstance, deps: WebDeps, clerk: preHandlerHookHandler, archivist: preHandlerHookHandler): void {
  const corrections = () => deps.catalog.corrections();

  /** A value as this user may see it: every string masked as any text is. */
  const shown = (view: AccessView, value: FieldValue): FieldValue => {
    if (typeof value === 'string') return view.text(value);
    if (Array.isArray(value)) return value.map((entry) => ({ ...entry, value: view.text(entry.value) }));
    return value;
  };

  /** The page row behind page n of the PDF (what the viewer numbers), or 404. */
  const pageOf = (document: CatalogDocument, n: string): { pageNo: number; pdfPage: number } => {
    const page = ID.test(n) ? deps.catalog.pages(document.id).find((candidate) => candidate.pdfPage === Number(n)) : undefined;
    if (!page) throw new HttpError(404, 'NOT_FOUND', 'No such page in this document.');
    return { pageNo: page.pageNo, pdfPage: page.pdfPage! };
  };
  const pdfPageOf = (documentId: number, pageNo: number | null) => (pageNo === null ? null : (deps.catalog.pages(documentId).find((page) => page.pageNo === pageNo)?.pdfPage ?? null));

  /** Who set a field and when, and whether the machine reads it otherwise since (a rescan): for the record. */
  const provenance = (current: Correction | undefined, machine: FieldValue) =>
    current === undefined
      ? { version: null, corrected: false, by: null, at: null, machineChanged: false }
      : {
          version: current.id,
          // A change back to the machine's value is a version, but the value shown is the machine's.
          corrected: current.action === 'set',
          by: current.author,
          at: current.at,
          machineChanged: current.action === 'set' && JSON.stringify(current.machineValue) !== JSON.stringify(machine),
        };

  const publicChange = (view: AccessView, change: Correction) => ({
    id: change.id,
    field: change.field,
    page: pdfPageOf(change.documentId, change.pageNo),
    action: change.action,
    value: change.action === 'set' ? shown(view, change.value) : null,
    before: shown(view, change.before),
    machineValue: shown(view, change.machineValue),
    by: change.author,
    at: change.at,
    supersedes: change.supersedes,
    supersededBy: change.supersededBy,
    reverts: change.reverts,
    bulkChange: change.bulkChange,
    revertUrl: change.supersededBy === null ? `/api/corrections/${change.id}/revert` : null,
  });

  const publicConflicts = (view: AccessView, conflicts: readonly Conflict[], documentId: number) => ({
    error: {
      code: 'EDIT_CONFLICT',
      message: 'Someone changed this since you opened it: see what it holds now, and save again based on it.',
      conflicts: conflicts.map((conflict) => ({
        field: conflict.field,
        page: pdfPageOf(documentId, conflict.pageNo),
        value: shown(view, conflict.value),
        version: conflict.current?.id ?? null,
        by: conflict.current?.author ?? null,
        at: conflict.current?.at ?? null,
      })),
    },
  });

  const record = (view: AccessView, document: CatalogDocument) => {
    const current = corrections().current(document.id);
    const fields = Object.fromEntries(
      DOCUMENT_FIELDS.map((field) => {
        const machine = corrections().value(document.id, field, null, false);
        const change = current.find((candidate) => candidate.pageNo === null && candidate.field === field);
        return [field, { value: shown(view, corrections().value(document.id, field, null, true)), machineValue: shown(view, machine), ...provenance(change, machine) }];
      }),
    );
    const pages = current
      .filter((change) => change.field === 'text' && change.pageNo !== null)
      .flatMap((change) => {
        const page = pdfPageOf(document.id, change.pageNo);
        // A page the machine no longer has (a rescan with fewer pages) keeps its correction, shown in the history.
        return page === null ? [] : [{ page, ...provenance(change, corrections().value(document.id, 'text', change.pageNo, false)), textUrl: `/api/documents/${document.id}/pages/${page}/text` }];
      });
    // Whether the library's PDF still waits to be written with these corrections (it is served as corrected meanwhile).
    return { documentId: document.id, fields, pages, pdfWaiting: deps.catalog.pdfRewrites().isPending(document.id), historyUrl: `/api/documents/${document.id}/history` };
  };

  /** A user who may not see personal numbers would save the mask over them: refused before anything is written. */
  const guardPersonal = (view: AccessView, documentId: number, edits: readonly Edit[]) => {
    if (view.showPersonalData) return;
    for (const edit of edits) {
      const pageNo = edit.field === 'text' ? edit.pageNo! : null;
      const values = [corrections().value(documentId, edit.field, pageNo, true), corrections().value(documentId, edit.field, pageNo, false)];
      const text = values.map((value) => (Array.isArray(value) ? value.map((entry) => entry.value).join(' ') : String(value ?? ''))).join('\n');
      if (findPersonalNumbers(text).some((number) => number.personal)) {
        throw new HttpError(403, 'PERSONAL_DATA_REQUIRED', `This ${edit.field === 'text' ? 'page' : edit.field} holds a person's number, which you may not see: someone with the personal-data permission must correct it.`);
      }
    }
  };

  /** Indexed before the answer; false when it waits in the outbox (an ingest holds the library). */
  const indexNow = async (): Promise<boolean> => {
    try {
      return await deps.syncIndex();
    } catch (error) {
      deps.log.warn({ event: 'web.correction-index-deferred', message: (error as Error).message }, 'a correction waits in the outbox for the index');
      return false;
    }
  };

  const audit = (request: FastifyRequest, view: AccessView, documentId: number, action: 'document.view' | 'document.edit' | 'document.revert', detail: Record<string, unknown>) =>
    deps.audit({ action, user: view.principal.name, role: view.principal.role, ip: request.ip, documentId, detail });

  const saveEdits = async (request: FastifyRequest, view: AccessView, document: CatalogDocument, edits: Edit[], reply: { code(status: number): { send(body: unknown): unknown } }) => {
    guardPersonal(view, document.id, edits);
    const result = corrections().save(document.id, edits, view.principal.name);
    const pages = edits.filter((edit) => edit.field === 'text').map((edit) => pdfPageOf(document.id, edit.pageNo!));
    if ('conflicts' in result) {
      audit(request, view, document.id, 'document.edit', { fields: edits.map((edit) => edit.field), pages, outcome: 'conflict', conflicts: result.conflicts.map((c) => c.field) });
      return reply.code(409).send(publicConflicts(view, result.conflicts, document.id));
    }
    audit(request, view, document.id, 'document.edit', { fields: result.saved.map((change) => change.field), pages, corrections: result.saved.map((change) => change.id), unchanged: result.unchanged });
    const indexed = result.saved.length === 0 || (await indexNow());
    if (result.saved.length > 0) deps.rewritePdf?.(document.id);
    return { saved: result.saved.map((change) => publicChange(view, change)), unchanged: result.unchanged, indexed, record: record(view, deps.catalog.getDocument(document.id)!) };
  };

  app.get<Params>('/api/documents/:id/record', { preHandler: clerk }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    audit(request, view, document.id, 'document.view', { view: 'record', personalData: view.showPersonalData ? 'shown' : 'masked' });
    return record(view, document);
  });

  app.get<PageParams>('/api/documents/:id/pages/:n/text', { preHandler: clerk }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const { pageNo, pdfPage } = pageOf(document, request.params.n);
    const machine = corrections().value(document.id, 'text', pageNo, false);
    const change = corrections().current(document.id).find((candidate) => candidate.field === 'text' && candidate.pageNo === pageNo);
    audit(request, view, document.id, 'document.view', { view: 'page-text', page: pdfPage, personalData: view.showPersonalData ? 'shown' : 'masked' });
    return { documentId: document.id, page: pdfPage, text: shown(view, corrections().value(document.id, 'text', pageNo, true)), machineText: shown(view, machine), ...provenance(change, machine) };
  });

  app.get<Params>('/api/documents/:id/history', { preHandler: clerk }, async (request) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const changes = corrections().history(document.id);
    audit(request, view, document.id, 'document.view', { view: 'history', changes: changes.length, personalData: view.showPersonalData ? 'shown' : 'masked' });
    return { documentId: document.id, changes: changes.map((change) => publicChange(view, change)) };
  });

  app.patch<Params>('/api/documents/:id', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const body = parsed(PatchBody, request.body);
    const edits: Edit[] = [];
    for (const field of DOCUMENT_FIELDS) {
      const edit = body.fields[field] as { value?: unknown; machine?: true; basedOn: number | null } | undefined;
      if (edit === undefined) continue;
      if (edit.machine) {
        edits.push({ field, machine: true, basedOn: edit.basedOn });
        continue;
      }
      let value = edit.value as FieldValue;
      if (field === 'collection' && typeof value === 'string' && !view.maySeeCollection(value)) {
        throw new HttpError(403, 'COLLECTION_RESTRICTED', 'You may not see that collection: you could not see the document in it afterwards.');
      }
      if (field === 'identifiers') value = placedIdentifiers(document.id, value as unknown as Array<{ kind: string; value: string }>);
      edits.push({ field, value, basedOn: edit.basedOn });
    }
    return saveEdits(request, view, document, edits, reply);
  });

  app.put<PageParams>('/api/documents/:id/pages/:n/text', { preHandler: archivist, bodyLimit: 4 * MAX_TEXT }, async (request, reply) => {
    const view = viewOf(deps, request);
    const document = documentOf(deps, request.params.id, view);
    const { pageNo } = pageOf(document, request.params.n);
    const body = parsed(TextBody, request.body);
    const edit: Edit = 'machine' in body ? { field: 'text', pageNo, machine: true, basedOn: body.basedOn } : { field: 'text', pageNo, value: body.text, basedOn: body.basedOn };
    return saveEdits(request, view, document, [edit], reply);
  });

  app.post<Params>('/api/corrections/:id/revert', { preHandler: archivist }, async (request, reply) => {
    const view = viewOf(deps, request);
    const change = ID.test(request.params.id) ? corrections().get(Number(request.params.id)) : undefined;
    if (!change) throw new HttpError(404, 'NOT_FOUND', 'No such change.');
    // The document must be one this user may see, as for any other route ("not found" otherwise).
    const document = documentOf(deps, String(change.documentId), view);
    guardPersonal(view, document.id, [{ field: change.field, ...(change.pageNo !== null ? { pageNo: change.pageNo } : {}), basedOn: change.id }]);
    const result = corrections().revert(change.id, view.principal.name);
    if (!result) throw new HttpError(404, 'NOT_FOUND', 'No such change.');
    if ('conflict' in result) {
      audit(request, view, document.id, 'document.revert', { reverts: change.id, field: change.field, outcome: 'conflict' });
      return reply.code(409).send(publicConflicts(view, [result.conflict], document.id));
    }
    audit(request, view, document.id, 'document.revert', { reverts: change.id, field: change.field, page: pdfPageOf(document.id, change.pageNo), correction: result.saved.id });
    const indexed = await indexNow();
    deps.rewritePdf?.(document.id);
    return { saved: publicChange(view, result.saved), indexed, record: record(view, deps.catalog.getDocument(document.id)!) };
  });

  /**
   * Identifiers as staff typed them, each on the page the machine found it on (the index searches
   * them per page), else on the document's first page.
   */
  function placedIdentifiers(documentId: number, entries: ReadonlyArray<{ kind: string; value: string }>): FieldValue {
    const machine = corrections().value(documentId, 'identifiers', null, false) as Array<{ kind: string; value: string; page: number | null }>;
    const first = deps.catalog.pages(documentId).find((page) => page.pdfPage !== null)?.pageNo ?? 1;
    return entries.map((entry) => ({ kind: entry.kind, value: entry.value, page: machine.find((found) => found.kind === entry.kind && found.value === entry.value)?.page ?? first }));
  }
}

