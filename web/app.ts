/**
 * The clerks' search page and its JSON API (Fastify). Only signed-in users get anything but the
 * page itself and its sign-in form; documents are served by their catalog id only, so no path in
 * a request ever reaches the file system.
 *
 *     GET  /, /view/:id, /assets/*          the page (public: it only asks to sign in)
 *     GET  /ajuda                           the clerks' search guide (public)
 *     POST/GET/DELETE /api/session          sign in, who am I, sign out
 *     GET  /api/search                      clerk (and archivist, admin)
 *     GET  /api/documents/:id[/pdf]         clerk
 *     GET  /api/documents/:id/record|history, …/pages/:n/text   clerk
 *     PATCH /api/documents/:id, PUT …/pages/:n/text, POST /api/corrections/:id/revert   archivist
 *     /api/bulk-changes[/preview|/boxes|/:id[/revert]]  archivist (web/routes/bulk-changes.ts)
 *     GET  /api/review, GET /api/documents/:id/review, POST /api/review/accept, …/revert   archivist
 *     GET  /api/status, POST /api/reindex   admin
 *
 * Sessions are kept by the server (web/sessions.ts): who a request is, is looked up on each one
 * against the accounts as the config says now. Requests that change something must come from the
 * page itself (web/origin-check.ts); failed sign-ins are limited per address and per account
 * (web/sign-in-limits.ts). Sign-ins, sign-outs and refusals go to the access log (deps.audit).
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { AccessEvent } from '../core/access/access-log.js';
import type { AccessView } from '../core/access/policy.js';
import type { Catalog } from '../core/catalog/catalog.js';
import { isAppError } from '../core/errors.js';
import type { Library } from '../core/library.js';
import { RedactionThreads } from '../core/redaction/redaction-threads.js';
import type { SearchBackend } from '../core/search/search-backend.js';
import type { Accounts } from './accounts.js';
import { mayAct, principalOf, sameSecret, tokenHash, verifyPassword, type Principal, type Role } from './auth.js';
import { HttpError } from './http-error.js';
import { foreignOrigin } from './origin-check.js';
import { registerAdmin } from './routes/admin.js';
import { registerAssets } from './routes/assets.js';
import { registerBulkChanges } from './routes/bulk-changes.js';
import { registerCorrections } from './routes/corrections.js';
import { registerDocuments } from './routes/documents.js';
import { registerRedaction } from './routes/redaction.js';
import { registerReview } from './routes/review.js';
import { registerSearch } from './routes/search.js';
import { registerPortal } from './portal/portal-routes.js';
import { pickLang } from './portal/portal-i18n.js';
import { PORTAL, tooManyPage } from './portal/portal-pages.js';
import type { PublicSet } from './portal/public-set.js';
import { registerPortalWithholding } from './routes/portal-withhold.js';
import { credentialsFingerprint, SessionStore, type Session } from './sessions.js';
import { SignInLimits } from './sign-in-limits.js';

export interface WebDeps {
  library: Library;
  catalog: Catalog;
  backend: SearchBackend;
  /** serve's settings as at start; users, tokens and access come from `accounts`, which follows the config file. */
  settings: Config['serve'];
  accounts: Accounts;
  /** What a user may see (restricted collections, personal numbers): follows the config's `access`, as re-read. */
  policy: { view(principal: Principal): AccessView };
  /** Records who did what (the access log); must not throw, and is guarded anyway. */
  audit: (event: AccessEvent) => void;
  /** Rebuilds the index from the catalog (admin). */
  rebuildIndex: () => Promise<{ documents: number; pages: number }>;
  /** Collections expected to hold personal data (config access.personalDataCollections, as re-read): the review queue's rule. */
  personalDataCollections: () => readonly string[];
  /** Applies the outbox to the index now (after a correction); false when it must wait (another run holds the library). */
  syncIndex: () => Promise<boolean>;
  /** Queues a corrected document's PDF to be written again with its corrections, after the answer (web/pdf-rewrite-queue.ts). */
  rewritePdf?: (documentId: number) => void;
  log: Logger;
  version: string;
  /**
   * The public portal (web/portal/): its public set (staff withhold documents from it through the
   * API), and whether it is served at /transparencia beside the staff page (`serve`) or alone
   * (`serve --public`: nothing of the staff page or its API exists then).
   */
  portal?: { publicSet: PublicSet; settings: Config['portal']; serve: 'beside' | 'alone' | 'off' };
}

export const SESSION_COOKIE = 'acervo_session';
/** Requests carry a few fields at most: anything bigger is not a clerk's. */
const BODY_LIMIT = 16 * 1024;
/** How often timed-out sessions and stale sign-in counts are dropped (at most; sooner with short timeouts). */
const PRUNE_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const { settings, accounts } = deps;
  // pino's Logger and Fastify's logger type differ only in generics: it is the same pino.
  const app = Fastify({ loggerInstance: deps.log as unknown as FastifyBaseLogger, bodyLimit: BODY_LIMIT, trustProxy: settings.trustProxy, logController: new LogController({ disableRequestLogging: true }) });
  const sessions = new SessionStore({ idleMs: settings.sessionIdleMinutes * 60_000, absoluteMs: settings.sessionHours * 3600_000 });
  const minutes = (value: number) => value * 60_000;
  const limits = new SignInLimits({
    failuresPerAccount: settings.signInLimits.failuresPerAccount,
    failuresPerAddress: settings.signInLimits.failuresPerAddress,
    windowMs: minutes(settings.signInLimits.windowMinutes),
    lockMs: minutes(settings.signInLimits.lockMinutes),
    maxLockMs: minutes(settings.signInLimits.maxLockMinutes),
  });
  /** The answer's error code, for the access log's record of a refusal. */
  const answered = new WeakMap<FastifyRequest, string>();

  const audit = (event: AccessEvent) => {
    try {
      deps.audit(event);
    } catch (error) {
      deps.log.error({ event: 'web.audit-failed', action: event.action, message: (error as Error).message }, 'could not record an access in the access log');
    }
  };

  /** The session's user as the config says now; null if removed, or their password, role or rights changed. */
  const userOf = (session: Session) => {
    const user = accounts.users().find((candidate) => candidate.name === session.name);
    return user && credentialsFingerprint(user) === session.fingerprint ? user : null;
  };

  const pruning = setInterval(() => {
    sessions.prune(Date.now(), (session) => userOf(session) !== null);
    limits.prune();
  }, Math.max(1000, Math.min(PRUNE_MS, settings.sessionIdleMinutes * 60_000)));
  pruning.unref();
  app.addHook('onClose', async () => clearInterval(pruning));
  // Redacted and masked copies are made on threads of their own (the cores less one at once): one is
  // seconds of CPU that would otherwise hold up every other request (core/redaction/redaction-threads.ts).
  const redactions = new RedactionThreads();
  app.addHook('onClose', () => redactions.close());

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        // Only when the page is served over HTTPS: on plain HTTP it would send the browser to https:// and break.
        upgradeInsecureRequests: settings.secureCookies ? [] : null,
      },
    },
    hsts: settings.secureCookies,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { max: settings.requestsPerMinute, timeWindow: 60_000 });
  await app.register(cookie);

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    request.principal = identify(request);
    const refusal = foreignOrigin(request, settings);
    if (refusal !== null) {
      deps.log.warn({ event: 'web.bad-origin', method: request.method, url: request.url.slice(0, 300), ip: request.ip, why: refusal }, 'refused a request from another site');
      throw new HttpError(403, 'BAD_ORIGIN', 'This request came from another site: use the search page itself.');
    }
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 && reply.statusCode !== 403) return;
    const code = answered.get(request) ?? null;
    const where = request.url.split('?')[0]!.slice(0, 300);
    // A failed sign-in is recorded as such; the page asking "who is signed in?" on every visit is no access.
    if (code === 'BAD_CREDENTIALS' || (request.method === 'GET' && where === '/api/session' && code === 'SIGN_IN_REQUIRED')) return;
    audit({ action: 'denied', user: request.principal?.name ?? null, role: request.principal?.role ?? null, ip: request.ip, outcome: 'denied', detail: { method: request.method, path: where, status: reply.statusCode, code } });
  });

  function identify(request: FastifyRequest): Principal | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const hash = tokenHash(bearer);
      const found = accounts.tokens().find((token) => sameSecret(token.tokenHash, hash));
      return found ? principalOf(found) : null;
    }
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? sessions.use(id) : null;
    if (!id || !session) return null;
    const user = userOf(session);
    if (!user) {
      // Removed from the config, or a new password, role or personal-data right: signed out now.
      sessions.end(id);
      deps.log.info({ event: 'web.session-ended', name: session.name, reason: 'account changed' }, `${session.name}'s session ended: the account changed`);
      audit({ action: 'sign-out', user: session.name, ip: request.ip, outcome: 'ok', detail: { reason: 'account-changed' } });
      return null;
    }
    return principalOf(user);
  }

  /** A route hook: the request must come from someone with at least this role. */
  const requireRole = (role: Role) => async (request: FastifyRequest) => {
    if (!request.principal) throw new HttpError(401, 'SIGN_IN_REQUIRED', 'Sign in first.');
    if (!mayAct(request.principal, role)) throw new HttpError(403, 'FORBIDDEN', 'Your role does not allow this.');
  };

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) answered.set(request, error.code);
    // A citizen past the portal's limit gets a page in their language, not JSON.
    if (deps.portal && (request.url.startsWith(PORTAL) || request.url === '/robots.txt' || request.url === '/sitemap.xml') && (error as { statusCode?: number }).statusCode === 429) {
      const lang = pickLang((request.query as { lang?: unknown } | undefined)?.lang, request.headers['accept-language']);
      return reply.code(429).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(tooManyPage(lang));
    }
    return replyWithError(error, request, reply, deps.log);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Nothing here.' } }));

  app.get('/api/health', async () => ({ ok: true }));
  const portal = deps.portal;
  if (portal && portal.serve !== 'off') {
    registerPortal(app, { library: deps.library, catalog: deps.catalog, backend: deps.backend, portal: portal.settings, publicOrigin: settings.publicOrigin, publicSet: portal.publicSet, version: deps.version, redact: redactions.redact });
  }
  if (portal?.serve === 'alone') {
    // The public server: the portal and nothing else (no sign-in, no staff page, no staff API).
    app.get('/', async (_request, reply) => reply.redirect(PORTAL, 302));
    app.get('/sitemap.xml', async (_request, reply) => reply.redirect(`${PORTAL}/sitemap.xml`, 301));
    app.get('/robots.txt', async (request, reply) => reply.type('text/plain').header('Cache-Control', 'public, max-age=86400').send(`User-agent: *\nAllow: ${PORTAL}\nSitemap: ${settings.publicOrigin ?? `${request.protocol}://${request.host}`}${PORTAL}/sitemap.xml\n`));
    return app;
  }

  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: settings.secureCookies } as const;

  app.post('/api/session', { config: { rateLimit: { max: settings.signInsPerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const body = (request.body ?? {}) as { name?: unknown; password?: unknown };
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const address = request.ip;
    const verdict = limits.begin(name, address);
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      deps.log.warn({ event: 'web.sign-in-limited', name: name.slice(0, 100), ip: address, scope: verdict.scope, retryAfterSeconds: seconds }, 'sign-in refused: too many failures');
      audit({ action: 'sign-in.failed', user: null, ip: address, outcome: 'denied', detail: { name: name.slice(0, 100), reason: 'too-many-sign-ins', scope: verdict.scope } });
      const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
      return reply
        .code(429)
        .header('Retry-After', String(seconds))
        .send({ error: { code: 'TOO_MANY_SIGN_INS', message: `Too many failed sign-ins: try again in ${wait}.` } });
    }
    const user = accounts.users().find((candidate) => candidate.name === name);
    let ok: boolean;
    try {
      // Check a hash even for an unknown name: the answer's timing does not tell which names exist.
      ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) limits.failed(name, address);
      else limits.succeeded(name, address);
    } finally {
      verdict.done?.();
    }
    if (!user || !ok) {
      deps.log.warn({ event: 'web.sign-in-failed', name: name.slice(0, 100), ip: address }, 'sign-in failed');
      audit({ action: 'sign-in.failed', user: null, ip: address, outcome: 'failed', detail: { name: name.slice(0, 100) } });
      answered.set(request, 'BAD_CREDENTIALS');
      return reply.code(401).send({ error: { code: 'BAD_CREDENTIALS', message: 'Wrong name or password.' } });
    }
    // A browser signing in anew leaves its old session behind for good.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) sessions.end(previous);
    const principal = principalOf(user);
    reply.setCookie(SESSION_COOKIE, sessions.create(user), { ...cookieOptions, maxAge: Math.round(settings.sessionHours * 3600) });
    deps.log.info({ event: 'web.signed-in', name: user.name, role: user.role, ip: address }, `${user.name} signed in`);
    audit({ action: 'sign-in', user: user.name, role: user.role, ip: address, outcome: 'ok' });
    return principal;
  });

  app.get('/api/session', { preHandler: requireRole('clerk') }, async (request) => request.principal);

  app.delete('/api/session', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    const ended = id ? sessions.end(id) : null;
    if (ended) {
      deps.log.info({ event: 'web.signed-out', name: ended.name, ip: request.ip }, `${ended.name} signed out`);
      audit({ action: 'sign-out', user: ended.name, role: request.principal?.role ?? null, ip: request.ip, outcome: 'ok' });
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return { signedOut: true };
  });

  registerSearch(app, deps, requireRole('clerk'));
  registerDocuments(app, deps, requireRole('clerk'), redactions.redact);
  registerCorrections(app, deps, requireRole('clerk'), requireRole('archivist'));
  registerBulkChanges(app, deps, requireRole('archivist'));
  registerRedaction(app, deps, requireRole('archivist'), redactions);
  registerReview(app, deps, requireRole('archivist'));
  registerAdmin(app, deps, requireRole('admin'));
  if (portal) registerPortalWithholding(app, deps, portal.publicSet, requireRole('archivist'));
  registerAssets(app);
  return app;
}

/** A hash of a random password: what an unknown user's attempt is checked against. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const STATUS_OF: Partial<Record<string, number>> = { QUERY_INVALID: 400, USAGE: 400, SEARCH_UNAVAILABLE: 503 };

/** Errors as `{error: {code, message}}`; never a stack trace, and nothing of the server's insides for a 500. */
function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply, log: Logger): FastifyReply {
  if (error instanceof HttpError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
  if (isAppError(error)) {
    const status = STATUS_OF[error.code] ?? 500;
    if (status >= 500) log.error({ event: 'web.error', code: error.code, url: request.url, message: error.message }, 'request failed');
    return reply.code(status).send({ error: { code: error.code, message: status >= 500 && error.code !== 'SEARCH_UNAVAILABLE' ? 'Internal error.' : error.message } });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    // Fastify's own: a body too large (413), malformed JSON (400), too many requests (429).
    const code = status === 413 ? 'TOO_LARGE' : status === 429 ? 'TOO_MANY_REQUESTS' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return reply.code(status).send({ error: { code, message: (error as Error).message } });
  }
  log.error({ event: 'web.error', url: request.url, err: error }, 'request failed');
  return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Internal error.' } });
}
