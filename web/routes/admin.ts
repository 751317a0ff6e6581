/** Admin only: the library's and the index's state, and a rebuild of the index from the catalog. */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';

export function registerAdmin(app: FastifyInstance, deps: WebDeps, admin: preHandlerHookHandler): void {
  let rebuilding: Promise<unknown> | null = null;
  let lastRebuild: { finishedAt: string; documents: number; pages: number } | { failedAt: string; error: string } | null = null;

  app.get('/api/status', { preHandler: admin }, async () => {
    const health = await deps.backend.health();
    return {
      version: deps.version,
      catalog: deps.catalog.totals(),
      // How much is left to review in the whole library, as `acervo status` says it.
      review: deps.catalog.review().counts(deps.personalDataCollections()),
      index: { backend: deps.backend.name, ...health, ...(health.reachable ? await deps.backend.stats() : {}), ...deps.catalog.indexBacklog() },
      rebuilding: rebuilding !== null,
      lastRebuild,
    };
  });

  app.post('/api/reindex', { preHandler: admin }, async (request, reply) => {
    if (rebuilding) throw new HttpError(409, 'ALREADY_RUNNING', 'The index is being rebuilt already.');
    deps.log.info({ event: 'web.reindex', by: request.principal?.name }, 'index rebuild started');
    rebuilding = deps
      .rebuildIndex()
      .then((done) => (lastRebuild = { finishedAt: new Date().toISOString(), ...done }))
      .catch((error: unknown) => (lastRebuild = { failedAt: new Date().toISOString(), error: String((error as Error).message ?? error) }))
      .finally(() => (rebuilding = null));
    return reply.code(202).send({ started: true });
  });
}
