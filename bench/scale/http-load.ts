/**
 * Clerks at the counter: a real `acervo serve` process on loopback and N clients searching at
 * once, each sending its next query as soon as the last one is answered, as the search page
 * sends them (facets always, filters when set). Two passes: on the server just started (its
 * caches empty), then other queries of the same classes (as a server that has been answering for
 * a while meets them; none repeated, so no answer comes from the answer cache). Measures each
 * request's latency and the server's resident memory along the way.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../web/auth.js';
import { pageParams, percentile, type ClassedQuery } from './query-classes.js';
import { residentMB } from './measured-process.js';

/** One pass of requests by N clients at once. */
export interface HttpPass {
  clients: number;
  requests: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p50, p95 and p99 per query class, ms. */
  byClass: Record<string, [number, number, number]>;
  /** Resident memory of the server at the end of the pass. */
  rssAfterMB: number;
}

export interface HttpLoadResult {
  /** On a server just started: its caches empty. */
  cold: HttpPass;
  /** Then other queries of the same classes (none repeated, so no answer comes from the answer cache). */
  warm: HttpPass;
  /** Resident memory of the server: idle after start, and the highest seen under load. */
  rssIdleMB: number;
  rssPeakMB: number;
}

const PASSWORD = 'bench-password-1';

export async function loadServe(cli: string, library: string, passes: { cold: readonly ClassedQuery[]; warm: readonly ClassedQuery[] }, clients: number): Promise<HttpLoadResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-serve-bench-'));
  const config = path.join(work, 'acervo.json');
  const serveConfig = { users: [{ name: 'balcao', role: 'clerk', passwordHash: await hashPassword(PASSWORD) }], requestsPerMinute: 1_000_000, signInsPerMinute: 1000 };
  writeFileSync(config, JSON.stringify({ serve: serveConfig }));
  const server = spawn(process.execPath, [cli, 'serve', '--library', library, '--config', config, '--port', '0'], {
    env: { ...process.env, ACERVO_SESSION_SECRET: randomBytes(32).toString('base64') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await listening(server.stderr!);
    const signedIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'balcao', password: PASSWORD }) });
    if (!signedIn.ok) throw new Error(`sign-in answered ${signedIn.status}`);
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const ask = async (query: ClassedQuery) => {
      const started = performance.now();
      const response = await fetch(`${url}/api/search?${pageParams(query.query)}`, { headers: { cookie } });
      await response.arrayBuffer();
      return { ms: performance.now() - started, ok: response.ok };
    };
    const pid = server.pid!;
    const rssIdleMB = residentMB(pid).rss;
    let rssPeakMB = rssIdleMB;
    const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, residentMB(pid).rss)), 100);
    try {
      const cold = await pass(passes.cold, clients, ask, pid);
      const warm = await pass(passes.warm, clients, ask, pid);
      return { cold, warm, rssIdleMB, rssPeakMB };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(work, { recursive: true, force: true });
  }
}

async function pass(queries: readonly ClassedQuery[], clients: number, ask: (query: ClassedQuery) => Promise<{ ms: number; ok: boolean }>, pid: number): Promise<HttpPass> {
  const times: number[] = [];
  const byClass = new Map<string, number[]>();
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < queries.length) {
        const query = queries[next++]!;
        const { ms, ok } = await ask(query);
        times.push(ms);
        byClass.set(query.kind, [...(byClass.get(query.kind) ?? []), ms]);
        if (!ok) failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    clients, requests: times.length, failed, seconds,
    p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? 0,
    byClass: Object.fromEntries(
      [...byClass].map(([kind, list]) => {
        const sorted = list.sort((a, b) => a - b);
        return [kind, [percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99)]];
      }),
    ),
    rssAfterMB: residentMB(pid).rss,
  };
}

/** The address `acervo serve` logs once it listens. */
function listening(stderr: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`acervo serve did not start: ${seen.slice(-500)}`)), 120_000);
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      seen += chunk;
      const url = /"url":"(http:[^"]+)"/.exec(seen)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
}
