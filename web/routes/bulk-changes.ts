/**
 * Bulk changes (issue 25, point 5): collection, series, box or type set for a box, a search's
 * results or documents picked by hand, as one operation made of ordinary corrections
 * (core/catalog/bulk-changes.ts). Archivists and admins only.
 *
 *     GET  /api/bulk-changes/boxes          the boxes the user may see, with their documents
 *     POST /api/bulk-changes/preview        {selection, set} → how many, what would change, a version
 *     POST /api/bulk-changes                {selection, set, version, confirmed?} → the change
 *     GET  /api/bulk-changes[?before=id]    the history, newest first
 *     GET  /api/bulk-changes/:id            one, with what a later change superseded
 *     POST /api/bulk-changes/:id/revert     puts back what is still current; says what stays
 *
 * The preview's `version` holds the newest correction there was and the selection it saw (its
 * size and a digest of its ids). The change resolves the selection again: other documents → 409
 * SELECTION_CHANGED; a field to set corrected since the preview → 409 EDIT_CONFLICT listing them,
 * and nothing is saved (a new preview shows those values: then the later change wins, knowingly).
 *
 * Rules: documents the user may not open are never selected (restricted collections; a picked one
 * is "not found"); no one moves documents into a collection they may not see; a user without the
 * personal-data permission has the documents whose field to set holds a person's number left out
 * (counted), and every value they are shown is masked. The access log records each preview, change
 * and revert: which fields and how many documents, never the values.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AccessView } from '../../core/access/policy.js';
import { summarize } from '../../core/catalog/bulk-selection.js';
import { BULK_FIELDS, type BulkChange, type BulkConflict, type BulkDocument, type BulkField, type BulkSelection, type BulkValues, type Superseded } from '../../core/catalog/catalog.js';
import { findPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { documentsFor, MAX_DOCUMENTS, resolveSelection, SelectionInput } from '../bulk-selection.js';
import { VALUE_OF } from './corrections.js';
import { viewOf } from './search.js';

/** From this many documents, the change must say it was confirmed (the page asks). */
export const CONFIRM_FROM = 1_000;
/** Up to this many documents changed, the index is updated before the answer; past it, after (the answer says so). */
const INDEX_BEFORE_ANSWER = 500;
const LISTED = 100;
const ID = /^[1-9]\d{0,15}$/;

const holdsPersonal = (value: string | null) => value !== null && findPersonalNumbers(value).some((number) => number.personal);

const Values = z
  .object(Object.fromEntries(BULK_FIELDS.map((field) => [field, VALUE_OF[field].optional()])) as Record<BulkField, z.ZodOptional<z.ZodType<string | null>>>)
  .strict()
  .refine((values) => BULK_FIELDS.some((field) => field in values), 'sets no field')
  .refine((values) => !BULK_FIELDS.some((field) => holdsPersonal(values[field] ?? null)), "holds a person's number: a value set on many documents is shown to everyone");
const Version = z.string().regex(/^\d{1,16}\.\d{1,7}\.[0-9a-f]{16}$/, 'is not a version a preview gave');
const PreviewBody = z.object({ selection: SelectionInput, set: Values }).strict();
const ApplyBody = z.object({ selection: SelectionInput, set: Values, version: Version, confirmed: z.literal(true).optional() }).strict();

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HttpError(400, 'INVALID_BULK_CHANGE', `Bad bulk change: ${issue.path.join('.') || 'body'} ${issue.message}`.replace(/\s+/g, ' ').slice(0, 300));
}

/** The version a preview hands out: the newest correction seen, and the selection's size and ids. */
function versionOf(seenUpTo: number, documents: readonly BulkDocument[]): string {
  const ids = documents.map((document) => document.id).sort((a, b) => a - b);
  return `${seenUpTo}.${ids.length}.${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16)}`;
}

export function registerBulkChanges(app: FastifyInstance, deps: WebDeps, archivist: preHandlerHookHandler): void {
  const bulk = () => deps.catalog.bulkChanges();
  const masked = (view: AccessView, value: string | null) => view.optionalText(value);
  // A file's path may hold a person's number too (a folder named for the requerente): masked as the title is.
  const titleOf = (view: AccessView, document: BulkDocument) => view.text(document.title ?? document.relativePath);

  /** A bulk change is shown only to users who may see every collection it touched. */
  const visible = (view: AccessView, change: BulkChange) => change.collections.every((collection) => view.maySeeCollection(collection));

  const publicSelection = (view: AccessView, selection: BulkSelection) => {
    switch (selection.kind) {
      case 'box':
        return { kind: 'box', collection: masked(view, selection.collection), box: masked(view, selection.box) };
      case 'search':
        return { kind: 'search', q: view.text(selection.q), collection: selection.collections.map((name) => view.text(name)), type: selection.types, yearFrom: selection.yearFrom, yearTo: selection.yearTo };
      case 'documents':
        return { kind: 'documents', documents: selection.ids.length };
      default:
        return { kind: 'revert', of: selection.of };
    }
  };

  const publicChange = (view: AccessView, change: BulkChange) => ({
    id: change.id,
    by: change.author,
    at: change.at,
    selection: publicSelection(view, change.selection),
    set: Object.fromEntries(Object.entries(change.values).map(([field, value]) => [field, masked(view, value)])),
    documents: change.documents,
    changed: change.changed,
    corrections: change.corrections,
    current: change.current,
    reverts: change.reverts,
    revertedBy: change.revertedBy,
    url: `/api/bulk-changes/${change.id}`,
    revertUrl: change.current > 0 ? `/api/bulk-changes/${change.id}/revert` : null,
  });

  const publicSuperseded = (view: AccessView, entries: readonly Superseded[]) => ({
    superseded: entries.slice(0, LISTED).map((entry) => ({
      documentId: entry.documentId,
      field: entry.field,
      value: masked(view, entry.value),
      by: entry.current?.author ?? null,
      at: entry.current?.at ?? null,
      viewUrl: `/view/${entry.documentId}`,
    })),
    supersededTotal: entries.length,
  });

  const changeOf = (view: AccessView, id: string): BulkChange => {
    const change = ID.test(id) ? bulk().get(Number(id)) : undefined;
    if (!change || !visible(view, change)) throw new HttpError(404, 'NOT_FOUND', 'No such bulk change.');
    return change;
  };

  /** The documents this change may touch, and those left out for holding a person's number the user may not see. */
  const admitted = (view: AccessView, documents: readonly BulkDocument[], fields: readonly BulkField[]) => {
    if (view.showPersonalData) return { documents: [...documents], personalData: 0 };
    const kept = documents.filter((document) => !fields.some((field) => holdsPersonal(document.fields[field].value) || holdsPersonal(document.fields[field].machine)));
    return { documents: kept, personalData: documents.length - kept.length };
  };

  /** The selection as of now, cut to what this user may change with these values. */
  const select = async (view: AccessView, input: SelectionInput, values: BulkValues) => {
    if (typeof values.collection === 'string' && !view.maySeeCollection(values.collection)) {
      throw new HttpError(403, 'COLLECTION_RESTRICTED', 'You may not see that collection: you could not see the documents in it afterwards.');
    }
    const { selection, ids } = await resolveSelection(deps, view, input);
    const fields = BULK_FIELDS.filter((field) => field in values);
    return { selection, fields, ...admitted(view, documentsFor(deps, view, selection, ids), fields) };
  };

  /** Indexed before the answer for a small change; a large one is indexed after it (GET shows how many wait). */
  const index = async (documents: number): Promise<boolean> => {
    const sync = deps.syncIndex().catch((error: unknown) => {
      deps.log.warn({ event: 'web.bulk-index-deferred', message: (error as Error).message }, 'a bulk change waits in the outbox for the index');
      return false;
    });
    return documents <= INDEX_BEFORE_ANSWER ? sync : false;
  };

  const audit = (request: FastifyRequest, view: AccessView, action: 'bulk.preview' | 'bulk.edit' | 'bulk.revert', selection: BulkSelection | null, detail: Record<string, unknown>) =>
    deps.audit({ action, user: view.principal.name, role: view.principal.role, ip: request.ip, query: selection?.kind === 'search' ? selection.q : null, detail: { selection: selection?.kind ?? null, ...detail } });

  const conflictsAnswer = (reply: FastifyReply, view: AccessView, conflicts: readonly BulkConflict[], documents: readonly BulkDocument[]) => {
    const byId = new Map(documents.map((document) => [document.id, document]));
    return reply.code(409).send({
      error: {
        code: 'EDIT_CONFLICT',
        message: 'Someone changed some of these documents since your preview: see what they hold now, and preview again to apply over them.',
        conflicts: conflicts.slice(0, LISTED).map((conflict) => ({
          documentId: conflict.documentId,
          title: titleOf(view, byId.get(conflict.documentId)!),
          field: conflict.field,
          value: masked(view, conflict.value),
          version: conflict.current.id,
          by: conflict.current.author,
          at: conflict.current.at,
          viewUrl: `/view/${conflict.documentId}`,
        })),
        total: conflicts.length,
      },
    });
  };

  app.get('/api/bulk-changes/boxes', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    return { boxes: bulk().boxes().filter((entry) => view.maySeeCollection(entry.collection)).map((entry) => ({ ...entry, collection: masked(view, entry.collection), box: masked(view, entry.box) })) };
  });

  app.post('/api/bulk-changes/preview', { preHandler: archivist, bodyLimit: 64 * 1024 }, async (request) => {
    const view = viewOf(deps, request);
    const body = parsed(PreviewBody, request.body);
    const values = body.set as BulkValues;
    const seenUpTo = bulk().seenUpTo();
    const { selection, fields, documents, personalData } = await select(view, body.selection, values);
    const summary = summarize(documents, values);
    audit(request, view, 'bulk.preview', selection, { fields, documents: summary.documents, changing: summary.changing, leftOut: personalData });
    return {
      documents: summary.documents,
      changing: summary.changing,
      fields: Object.fromEntries(
        Object.entries(summary.fields).map(([field, entry]) => [field, { ...entry, to: masked(view, entry.to), from: entry.from.map((from) => ({ ...from, value: masked(view, from.value) })) }]),
      ),
      sample: summary.sample.map(({ document, changes }) => ({
        documentId: document.id,
        title: titleOf(view, document),
        viewUrl: `/view/${document.id}`,
        changes: Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, { from: masked(view, change.from), to: masked(view, change.to) }])),
      })),
      leftOut: { personalData },
      version: versionOf(seenUpTo, documents),
      confirmationRequired: summary.documents >= CONFIRM_FROM,
      limit: MAX_DOCUMENTS,
    };
  });

  app.post('/api/bulk-changes', { preHandler: archivist, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const view = viewOf(deps, request);
    const body = parsed(ApplyBody, request.body);
    const values = body.set as BulkValues;
    const { selection, fields, documents, personalData } = await select(view, body.selection, values);
    const [seen, previewed] = body.version.split('.').map(Number) as [number, number];
    // From here to the transaction nothing awaits: no other request's write comes in between.
    if (versionOf(seen, documents) !== body.version) {
      audit(request, view, 'bulk.edit', selection, { fields, documents: documents.length, outcome: 'selection-changed' });
      return reply.code(409).send({ error: { code: 'SELECTION_CHANGED', message: `The selection changed since your preview (${previewed} documents then, ${documents.length} now): preview again.`, previewed, documents: documents.length } });
    }
    if (documents.length >= CONFIRM_FROM && body.confirmed !== true) {
      throw new HttpError(400, 'CONFIRMATION_REQUIRED', `This changes ${documents.length} documents: confirm it (confirmed: true).`);
    }
    const collections = selection.kind === 'box' ? [selection.collection] : selection.kind === 'search' ? selection.collections : [];
    const result = bulk().apply({ ids: documents.map((document) => document.id), values, author: view.principal.name, selection, seenUpTo: seen, collections: collections.filter((name): name is string => name !== null) });
    if ('conflicts' in result) {
      audit(request, view, 'bulk.edit', selection, { fields, documents: documents.length, outcome: 'conflict', conflicts: result.conflicts.length });
      return conflictsAnswer(reply, view, result.conflicts, documents);
    }
    audit(request, view, 'bulk.edit', selection, { fields, documents: documents.length, bulkChange: result.change?.id ?? null, changed: result.change?.changed ?? 0, corrections: result.corrections, leftOut: personalData });
    const indexed = result.change === null || (await index(result.change.changed));
    return { change: result.change && publicChange(view, result.change), corrections: result.corrections, leftOut: { personalData }, indexed, pendingIndex: result.change ? bulk().pendingIndex(result.change.id) : 0 };
  });

  app.get<{ Querystring: { before?: string } }>('/api/bulk-changes', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    const before = request.query.before !== undefined && ID.test(request.query.before) ? Number(request.query.before) : null;
    const page = bulk().list(50, before);
    return { changes: page.filter((change) => visible(view, change)).map((change) => publicChange(view, change)), next: page.length === 50 ? page[page.length - 1]!.id : null };
  });

  app.get<{ Params: { id: string } }>('/api/bulk-changes/:id', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    const change = changeOf(view, request.params.id);
    return { change: publicChange(view, change), ...publicSuperseded(view, bulk().superseded(change.id)), pendingIndex: bulk().pendingIndex(change.id) };
  });

  app.post<{ Params: { id: string } }>('/api/bulk-changes/:id/revert', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    const change = changeOf(view, request.params.id);
    const fields = BULK_FIELDS.filter((field) => field in change.values || change.reverts !== null);
    // Documents since moved where this user may not see them, or holding a number they may not see, are left alone (counted).
    const mayChange = (document: BulkDocument) => document.converted && view.maySeeCollection(document.fields.collection.value) && admitted(view, [document], fields).documents.length === 1;
    const result = bulk().revert(change.id, view.principal.name, mayChange)!;
    audit(request, view, 'bulk.revert', change.selection, { reverts: change.id, bulkChange: result.change?.id ?? null, reverted: result.reverted, superseded: result.superseded.length, skipped: result.skipped });
    const indexed = result.change === null || (await index(result.change.changed));
    return { change: result.change && publicChange(view, result.change), reverted: result.reverted, skipped: result.skipped, ...publicSuperseded(view, result.superseded), indexed };
  });
}
