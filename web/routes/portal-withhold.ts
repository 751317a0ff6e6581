/**
 * Staff withhold a document from the public portal one by one (issue 26): a document of a public
 * collection or type that must not be shown (a case under seal, a record published by mistake).
 * Archivists and admins; kept in the catalog (schema migration 17), applied to the portal at once.
 *
 *     GET    /api/portal/withheld                    {withheld: [{documentId, title, by, at, reason}]}
 *     GET    /api/documents/:id/portal               {public, withheld, publicUrl}
 *     PUT    /api/documents/:id/portal/withheld      {reason?} → the same as GET
 *     DELETE /api/documents/:id/portal/withheld      → the same as GET
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { PORTAL } from '../portal/portal-pages.js';
import type { PublicSet } from '../portal/public-set.js';
import type { WebDeps } from '../app.js';
import { HttpError } from '../http-error.js';
import { documentOf } from './documents.js';
import { viewOf } from './search.js';

const Body = z.object({ reason: z.string().max(500).nullable().optional() }).strict();
type Params = { Params: { id: string } };

export function registerPortalWithholding(app: FastifyInstance, deps: WebDeps, publicSet: PublicSet, archivist: preHandlerHookHandler): void {
  const records = () => deps.catalog.portal();
  const stateOf = (documentId: number) => {
    const record = publicSet.ofDocument(documentId);
    return { documentId, public: record !== undefined, withheld: records().isWithheld(documentId), publicUrl: record ? `${PORTAL}/d/${record.publicId}` : null };
  };
  const audit = (request: FastifyRequest, action: 'portal.withhold' | 'portal.release', documentId: number, detail: Record<string, unknown>) => {
    const view = viewOf(deps, request);
    deps.audit({ action, user: view.principal.name, role: view.principal.role, ip: request.ip, documentId, detail });
  };

  app.get('/api/portal/withheld', { preHandler: archivist }, async (request) => {
    const view = viewOf(deps, request);
    // Documents of collections this user may not see are left out, as everywhere.
    const withheld = records()
      .withheld()
      .flatMap((entry) => {
        const document = deps.catalog.getDocument(entry.documentId);
        if (!document || !view.maySeeCollection(document.collection)) return [];
        return [{ ...entry, title: view.text(document.title ?? document.relativePath), reason: entry.reason === null ? null : view.text(entry.reason) }];
      });
    return { withheld };
  });

  app.get<Params>('/api/documents/:id/portal', { preHandler: archivist }, async (request) => stateOf(documentOf(deps, request.params.id, viewOf(deps, request)).id));

  app.put<Params>('/api/documents/:id/portal/withheld', { preHandler: archivist }, async (request) => {
    const document = documentOf(deps, request.params.id, viewOf(deps, request));
    const parsed = Body.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', 'Give at most a reason: {"reason": "…"} (500 characters).');
    records().withhold(document.id, viewOf(deps, request).principal.name, parsed.data.reason?.trim() || null);
    publicSet.invalidate();
    audit(request, 'portal.withhold', document.id, { reason: parsed.data.reason ? 'given' : 'none' });
    return stateOf(document.id);
  });

  app.delete<Params>('/api/documents/:id/portal/withheld', { preHandler: archivist }, async (request) => {
    const document = documentOf(deps, request.params.id, viewOf(deps, request));
    const released = records().release(document.id);
    publicSet.invalidate();
    audit(request, 'portal.release', document.id, { released });
    return stateOf(document.id);
  });
}
