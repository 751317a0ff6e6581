/**
 * `acervo serve`'s sessions, sign-in limits, origin check and trusted proxies, on real servers
 * (the built CLI on loopback) with short timeouts from their config: no fake clocks.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AccessLog } from '../../core/access/access-log.js';
import { hashPassword } from '../../web/auth.js';
import { runCli } from '../helpers/cli.js';
import { call } from '../helpers/http.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const PEOPLE = {
  maria: { name: 'maria', password: 'balcão-de-atendimento-1', role: 'clerk' },
  joao: { name: 'joao.ti', password: 'administrador-do-arquivo', role: 'admin' },
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'protocolo-geral-2024', role: 'clerk' },
  pedro: { name: 'pedro', password: 'estagiario-do-arquivo', role: 'clerk' },
  lucia: { name: 'lucia', password: 'secretaria-de-obras-9', role: 'clerk' },
} as const;
type Person = { name: string; password: string };

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-sessions-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function usersOf(people: readonly { name: string; password: string; role: string }[]) {
  return Promise.all(people.map(async (person) => ({ name: person.name, role: person.role, passwordHash: await hashPassword(person.password) })));
}

/** A server on its own copy of the samples library, with these serve settings. */
async function serverWith(name: string, serve: Record<string, unknown>): Promise<{ server: RunningServer; folder: string; library: string }> {
  const folder = path.join(work, name);
  const library = path.join(folder, 'library');
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  const server = await startServer({ library, folder, serve: { users: await usersOf(Object.values(PEOPLE)), signInsPerMinute: 1000, ...serve } });
  return { server, folder, library };
}


/** Signs in; returns the answer and the cookie (empty when refused). */
async function attempt(url: string, person: Person, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: person.name, password: person.password }) });
  const json = (await response.json()) as any;
  return { status: response.status, json, retryAfter: response.headers.get('retry-after'), cookie: response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

async function signIn(url: string, person: Person, headers: Record<string, string> = {}): Promise<string> {
  const answer = await attempt(url, person, headers);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.cookie;
}

/** Polls until `done` holds (or a few seconds pass); returns whether it did. */
async function eventually(done: () => Promise<boolean>, ms = 8000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) if (await done()) return true;
  return done();
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('serve: sessions on the server', () => {
  let main: Awaited<ReturnType<typeof serverWith>>;
  let url: string;
  const configFile = () => path.join(main.folder, 'acervo.yaml');
  const rewriteUsers = async (change: (users: any[]) => any[] | Promise<any[]>) => {
    const config = JSON.parse(readFileSync(configFile(), 'utf8'));
    config.serve.users = await change(config.serve.users);
    writeFileSync(configFile(), JSON.stringify(config));
  };

  beforeAll(async () => {
    main = await serverWith('main', { signInLimits: { failuresPerAccount: 3, failuresPerAddress: 50, windowMinutes: 1, lockMinutes: 0.03, maxLockMinutes: 0.05 } });
    url = main.server.url;
  });
  afterAll(async () => {
    await main?.server.stop();
  });

  it('keeps only a random id in the cookie, and signing out ends the session on the server', async () => {
    const answer = await attempt(url, PEOPLE.maria);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ name: 'maria', role: 'clerk', personalData: false });
    expect(answer.cookie).toMatch(/^acervo_session=[A-Za-z0-9_-]{43}$/);
    const other = await signIn(url, PEOPLE.maria);
    expect((await call(url, '/api/session', { cookie: answer.cookie })).status).toBe(200);

    const out = await call(url, '/api/session', { method: 'DELETE', cookie: answer.cookie });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ signedOut: true });
    // The old cookie, replayed, opens nothing any more.
    for (const where of ['/api/session', '/api/search?q=alvara']) {
      const replayed = await call(url, where, { cookie: answer.cookie });
      expect(replayed.status, where).toBe(401);
      expect(replayed.json.error.code).toBe('SIGN_IN_REQUIRED');
    }
    // Her other browser's session is its own.
    expect((await call(url, '/api/session', { cookie: other })).json).toMatchObject({ name: 'maria' });
  });

  it('records sign-ins, failures, sign-outs and refusals in the access log', async () => {
    // Only this test's entries: from its start, however slow the machine.
    const since = new Date();
    const cookie = await signIn(url, PEOPLE.joao);
    expect((await attempt(url, { name: 'joao.ti', password: 'not-his-password' })).status).toBe(401);
    expect((await call(url, '/api/session', { method: 'DELETE', cookie })).status).toBe(200);
    expect((await call(url, '/api/status', { cookie })).status).toBe(401);
    const log = AccessLog.open(path.join(main.library, 'access-log.sqlite'));
    try {
      // A refusal is written once its answer has gone (onResponse, web/app.ts): the client may read first.
      const refused = () => log.query({ since }).some((entry) => entry.action === 'denied' && (entry.detail as { path?: string } | null)?.path === '/api/status');
      await expect.poll(refused, { timeout: 30_000, interval: 100 }).toBe(true);
      const entries = log.query({ since });
      const mine = entries.filter((entry) => entry.user === 'joao.ti' || (entry.detail as { name?: string } | null)?.name === 'joao.ti');
      expect(mine.map((entry) => `${entry.action} ${entry.outcome}`)).toEqual(expect.arrayContaining(['sign-in ok', 'sign-in.failed failed', 'sign-out ok']));
      expect(entries.find((entry) => entry.action === 'sign-in.failed' && (entry.detail as { name?: string } | null)?.name === 'joao.ti')).toMatchObject({ user: null, ip: '127.0.0.1' });
      expect(entries.some((entry) => entry.action === 'denied' && (entry.detail as { path?: string } | null)?.path === '/api/status')).toBe(true);
    } finally {
      log.close();
    }
  });

  it('lets an archivist sign in and search, but not see the status', async () => {
    const answer = await attempt(url, PEOPLE.bruno);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ name: 'bruno', role: 'archivist', personalData: false });
    const found = await call(url, '/api/search?q=alvara', { cookie: answer.cookie });
    expect(found.status).toBe(200);
    expect(found.json.total).toBeGreaterThan(0);
    const status = await call(url, '/api/status', { cookie: answer.cookie });
    expect(status.status).toBe(403);
    expect(status.json.error.code).toBe('FORBIDDEN');
  });

  it('ends the sessions of a user removed from the config file, without a restart', async () => {
    const pedro = await signIn(url, PEOPLE.pedro);
    const maria = await signIn(url, PEOPLE.maria);
    expect((await call(url, '/api/session', { cookie: pedro })).status).toBe(200);
    await rewriteUsers((users) => users.filter((user) => user.name !== 'pedro'));
    expect(await eventually(async () => (await call(url, '/api/session', { cookie: pedro })).status === 401)).toBe(true);
    expect((await attempt(url, PEOPLE.pedro)).json.error.code).toBe('BAD_CREDENTIALS');
    expect((await call(url, '/api/session', { cookie: maria })).status).toBe(200);
    expect(main.server.stderr()).toMatch(/"event":"web.config-reloaded"/);
  });

  it('ends the sessions of a user whose password changed; the new password signs in', async () => {
    const lucia = await signIn(url, PEOPLE.lucia);
    const newPassword = 'senha-nova-da-lucia-2025';
    const newHash = await hashPassword(newPassword);
    await rewriteUsers((users) => users.map((user) => (user.name === 'lucia' ? { ...user, passwordHash: newHash } : user)));
    expect(await eventually(async () => (await call(url, '/api/search?q=alvara', { cookie: lucia })).status === 401)).toBe(true);
    expect((await attempt(url, PEOPLE.lucia)).status).toBe(401);
    const again = await signIn(url, { name: 'lucia', password: newPassword });
    expect((await call(url, '/api/session', { cookie: again })).json).toEqual({ name: 'lucia', role: 'clerk', personalData: false });
  });

  it('ends a session whose rights changed (personal data granted), and the new session has them', async () => {
    const bruno = await signIn(url, PEOPLE.bruno);
    await rewriteUsers((users) => users.map((user) => (user.name === 'bruno' ? { ...user, personalData: true } : user)));
    expect(await eventually(async () => (await call(url, '/api/session', { cookie: bruno })).status === 401)).toBe(true);
    expect((await attempt(url, PEOPLE.bruno)).json).toEqual({ name: 'bruno', role: 'archivist', personalData: true });
  });

  it('ignores a config file that no longer loads, keeping the one before', async () => {
    const maria = await signIn(url, PEOPLE.maria);
    const good = readFileSync(configFile(), 'utf8');
    const failuresBefore = (main.server.stderr().match(/web\.config-reload-failed/g) ?? []).length;
    await rewriteUsers((users) => users.map((user) => (user.name === 'maria' ? { ...user, role: 'chefe' } : user)));
    expect(await eventually(async () => (main.server.stderr().match(/web\.config-reload-failed/g) ?? []).length > failuresBefore)).toBe(true);
    expect((await call(url, '/api/session', { cookie: maria })).json).toEqual({ name: 'maria', role: 'clerk', personalData: false });
    expect((await attempt(url, PEOPLE.joao)).status).toBe(200);
    writeFileSync(configFile(), good);
  });

  it('refuses state-changing requests from another site, and nothing changes', async () => {
    const maria = await signIn(url, PEOPLE.maria);
    const admin = await signIn(url, PEOPLE.joao);
    const refusals = [
      { headers: { origin: 'http://evil.example' } },
      { headers: { origin: 'null' } },
      { headers: { origin: url.replace('127.0.0.1', 'localhost') } },
      { headers: { 'sec-fetch-site': 'cross-site' } },
      { headers: { 'sec-fetch-site': 'same-site' } },
    ];
    for (const { headers } of refusals) {
      const out = await call(url, '/api/session', { method: 'DELETE', cookie: maria, headers });
      expect(out.status, JSON.stringify(headers)).toBe(403);
      expect(out.json.error.code).toBe('BAD_ORIGIN');
      const signInElsewhere = await attempt(url, PEOPLE.ana, headers);
      expect(signInElsewhere.status, JSON.stringify(headers)).toBe(403);
      expect(signInElsewhere.cookie).toBe('');
      const reindex = await call(url, '/api/reindex', { method: 'POST', cookie: admin, headers });
      expect(reindex.status).toBe(403);
    }
    // Still signed in, and no rebuild started.
    expect((await call(url, '/api/session', { cookie: maria })).status).toBe(200);
    const status = await call(url, '/api/status', { cookie: admin });
    expect(status.json).toMatchObject({ rebuilding: false, lastRebuild: null });

    // From the page itself: its own origin, or the browser saying same-origin.
    const own = await attempt(url, PEOPLE.ana, { origin: url, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect((await call(url, '/api/session', { method: 'DELETE', cookie: own.cookie, headers: { origin: url } })).status).toBe(200);
    expect((await call(url, '/api/session', { cookie: own.cookie })).status).toBe(401);
    // A script with its token is no browser: not checked.
    const scripted = await call(url, '/api/reindex', { method: 'POST', token: main.server.token, headers: { origin: 'http://evil.example' } });
    expect(scripted.status).toBe(202);
    expect(await eventually(async () => (await call(url, '/api/status', { token: main.server.token })).json.rebuilding === false, 60_000)).toBe(true);
  });

  it('locks an account after repeated failures, for a short while, while other accounts still sign in', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(url, { name: 'ana', password: `palpite-${i}` })).status).toBe(401);
    // Locked: even the right password is not checked now.
    const locked = await attempt(url, PEOPLE.ana);
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('TOO_MANY_SIGN_INS');
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(2);
    expect((await attempt(url, PEOPLE.maria)).status).toBe(200);
    // An unknown name is locked the same way: a 429 does not tell which names exist.
    for (let i = 0; i < 3; i++) expect((await attempt(url, { name: 'ninguem', password: `palpite-${i}` })).status).toBe(401);
    expect((await attempt(url, { name: 'ninguem', password: 'x' })).status).toBe(429);

    await sleep(Number(locked.retryAfter) * 1000 + 200);
    const after = await attempt(url, PEOPLE.ana);
    expect(after.status).toBe(200);
    expect(after.json.name).toBe('ana');
  });
});

describe('serve: idle timeout and a trusted proxy', () => {
  let proxied: Awaited<ReturnType<typeof serverWith>>;
  let url: string;
  beforeAll(async () => {
    proxied = await serverWith('proxied', {
      trustProxy: ['127.0.0.1'],
      sessionIdleMinutes: 0.02,
      signInLimits: { failuresPerAccount: 3, failuresPerAddress: 3, windowMinutes: 1, lockMinutes: 0.5, maxLockMinutes: 1 },
    });
    url = proxied.server.url;
  });
  afterAll(async () => {
    await proxied?.server.stop();
  });

  it('ends a session left idle past serve.sessionIdleMinutes, and not one in use', async () => {
    const cookie = await signIn(url, PEOPLE.maria);
    // 0.02 minutes is 1.2 s: used every 300 ms for 2.4 s, it stays.
    for (let i = 0; i < 8; i++) {
      expect((await call(url, '/api/session', { cookie })).status, `request ${i}`).toBe(200);
      await sleep(300);
    }
    await sleep(2000);
    const idle = await call(url, '/api/session', { cookie });
    expect(idle.status).toBe(401);
    expect(idle.json.error.code).toBe('SIGN_IN_REQUIRED');
    expect((await call(url, '/api/session', { cookie })).status).toBe(401);
  });

  it("counts failures by the address the trusted proxy forwards, not the proxy's own", async () => {
    const guesser = { 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < 3; i++) expect((await attempt(url, { name: `palpite${i}`, password: 'x' }, guesser)).status).toBe(401);
    const refused = await attempt(url, PEOPLE.maria, guesser);
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('TOO_MANY_SIGN_INS');
    // Another client behind the same proxy, and the proxy's own address, are not that guesser.
    expect((await attempt(url, PEOPLE.maria, { 'x-forwarded-for': '203.0.113.6' })).status).toBe(200);
    expect((await attempt(url, PEOPLE.maria)).status).toBe(200);
  });

  it('locks an account against guessers elsewhere, but not at an address where its user signed in', async () => {
    const desk = { 'x-forwarded-for': '198.51.100.7' };
    await signIn(url, PEOPLE.lucia, desk);
    for (const [i, address] of ['203.0.113.10', '203.0.113.11', '203.0.113.12'].entries()) {
      expect((await attempt(url, { name: 'lucia', password: `palpite-${i}` }, { 'x-forwarded-for': address })).status).toBe(401);
    }
    // A fresh address of the guessers' gets no try at all, right password or not…
    const fresh = await attempt(url, PEOPLE.lucia, { 'x-forwarded-for': '203.0.113.13' });
    expect(fresh.status).toBe(429);
    expect(fresh.json.error.code).toBe('TOO_MANY_SIGN_INS');
    // …while Lúcia at her desk signs in.
    expect((await attempt(url, PEOPLE.lucia, desk)).status).toBe(200);
  });
});

describe('serve: no proxy trusted', () => {
  let direct: Awaited<ReturnType<typeof serverWith>>;
  beforeAll(async () => {
    direct = await serverWith('direct', { signInLimits: { failuresPerAccount: 100, failuresPerAddress: 3 } });
  });
  afterAll(async () => {
    await direct?.server.stop();
  });

  it('ignores a forged X-Forwarded-For: the limit counts the real address', async () => {
    const url = direct.server.url;
    for (let i = 0; i < 3; i++) expect((await attempt(url, { name: `palpite${i}`, password: 'x' }, { 'x-forwarded-for': `203.0.113.${20 + i}` })).status).toBe(401);
    const refused = await attempt(url, PEOPLE.maria, { 'x-forwarded-for': '203.0.113.99' });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('TOO_MANY_SIGN_INS');
    expect((await attempt(url, PEOPLE.maria)).status).toBe(429);
  });
});

describe('serve: config', () => {
  it('refuses trustProxy: true, and asks for the proxy’s address', async () => {
    const folder = path.join(work, 'trust-everyone');
    const library = path.join(folder, 'library');
    cpSync(inject('samplesLibrary'), library, { recursive: true });
    const config = path.join(folder, 'acervo.yaml');
    writeFileSync(config, JSON.stringify({ library, serve: { port: 0, users: await usersOf([PEOPLE.maria]), trustProxy: true } }));
    const run = await runCli(['serve', '--config', config], { timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/serve\.trustProxy/);
    expect(run.stderr).toMatch(/X-Forwarded-For/);
    expect(run.stderr).toMatch(/127\.0\.0\.1/);
  });
});
