/**
 * The clerks' search page and its JSON API (Fastify). Only signed-in users get anything but the
 * page itself and its sign-in form; documents are served by their catalog id only, so no path in
 * a request ever reaches the file system.
 *
 *     GET  /, /view/:id, /assets/*          the page (public: it only asks to sign in)
 *     POST/GET/DELETE /api/session          sign in, who am I, sign out
 *     GET  /api/search                      clerk
 *     GET  /api/documents/:id[/pdf]         clerk
 *     GET  /api/status, POST /api/reindex   admin
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Catalog } from '../core/catalog/catalog.js';
import { isAppError } from '../core/errors.js';
import type { Library } from '../core/library.js';
import type { SearchBackend } from '../core/search/search-backend.js';
import { HttpError } from './http-error.js';
import { mayAct, sameSecret, sessionCodec, tokenHash, verifyPassword, type Principal, type Role } from './auth.js';
import { registerAssets } from './routes/assets.js';
import { registerDocuments } from './routes/documents.js';
import { registerSearch } from './routes/search.js';
import { registerAdmin } from './routes/admin.js';

export interface WebDeps {
  library: Library;
  catalog: Catalog;
  backend: SearchBackend;
  settings: Config['serve'];
  sessionSecret: Buffer;
  /** Rebuilds the index from the catalog (admin). */
  rebuildIndex: () => Promise<{ documents: number; pages: number }>;
  log: Logger;
  version: string;
}

export const SESSION_COOKIE = 'acervo_session';
/** Requests carry a few fields at most: anything bigger is not a clerk's. */
const BODY_LIMIT = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const { settings } = deps;
  // pino's Logger and Fastify's logger type differ only in generics: it is the same pino.
  const app = Fastify({ loggerInstance: deps.log as unknown as FastifyBaseLogger, bodyLimit: BODY_LIMIT, trustProxy: settings.trustProxy, logController: new LogController({ disableRequestLogging: true }) });
  const sessions = sessionCodec(deps.sessionSecret, settings.sessionHours * 3600_000);
  const tokens = settings.tokens;

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
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });

  function identify(request: FastifyRequest): Principal | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const hash = tokenHash(bearer);
      const found = tokens.find((token) => sameSecret(token.tokenHash, hash));
      return found ? { name: found.name, role: found.role, personalData: found.personalData ?? found.role === 'admin' } : null;
    }
    const value = request.cookies[SESSION_COOKIE];
    return value ? sessions.decode(value) : null;
  }

  /** A route hook: the request must come from someone with at least this role. */
  const requireRole = (role: Role) => async (request: FastifyRequest) => {
    if (!request.principal) throw new HttpError(401, 'SIGN_IN_REQUIRED', 'Sign in first.');
    if (!mayAct(request.principal, role)) throw new HttpError(403, 'FORBIDDEN', 'Your role does not allow this.');
  };

  app.setErrorHandler((error, request, reply) => replyWithError(error, request, reply, deps.log));
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Nothing here.' } }));

  app.post('/api/session', { config: { rateLimit: { max: settings.signInsPerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const body = (request.body ?? {}) as { name?: unknown; password?: unknown };
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = settings.users.find((candidate) => candidate.name === name);
    // Check a hash even for an unknown name: the answer's timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      deps.log.warn({ event: 'web.sign-in-failed', name: name.slice(0, 100), ip: request.ip }, 'sign-in failed');
      return reply.code(401).send({ error: { code: 'BAD_CREDENTIALS', message: 'Wrong name or password.' } });
    }
    const principal: Principal = { name: user.name, role: user.role, personalData: user.personalData ?? user.role === 'admin' };
    reply.setCookie(SESSION_COOKIE, sessions.encode(principal), {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: settings.secureCookies,
      maxAge: settings.sessionHours * 3600,
    });
    deps.log.info({ event: 'web.signed-in', name: user.name, role: user.role, ip: request.ip }, `${user.name} signed in`);
    return principal;
  });

  app.get('/api/session', { preHandler: requireRole('clerk') }, async (request) => request.principal);

  app.delete('/api/session', async (_request, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signedOut: true };
  });

  app.get('/api/health', async () => ({ ok: true }));

  registerSearch(app, deps, requireRole('clerk'));
  registerDocuments(app, deps, requireRole('clerk'));
  registerAdmin(app, deps, requireRole('admin'));
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
