/**
 * Clerks at the counter: a real `acervo serve` process on loopback and N clients searching at
 * once, each sending its next query as soon as the last one is answered, as the search page
 * sends them (facets always, filters when set). Measures each request's latency and the
 * server's resident memory before, during and after the load.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../web/auth.js';
import { pageParams, percentile, type ClassedQuery } from './query-classes.js';
import { residentMB } from './measured-process.js';

export interface HttpLoadResult {
  clients: number;
  requests: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Resident memory of the server: idle after start, highest while loaded, and after the load. */
  rssIdleMB: number;
  rssPeakMB: number;
  rssAfterMB: number;
}

const PASSWORD = 'bench-password-1';

export async function loadServe(cli: string, library: string, queries: readonly ClassedQuery[], clients: number, rounds = 1): Promise<HttpLoadResult> {
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
    // One request of each kind first, so the numbers are of a warm server, as the clerks meet it.
    for (const query of queries.slice(0, 12)) await ask(query);
    const pid = server.pid!;
    const rssIdleMB = residentMB(pid).rss;
    let rssPeakMB = rssIdleMB;
    const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, residentMB(pid).rss)), 100);

    const work = Array.from({ length: rounds }, () => queries).flat();
    const times: number[] = [];
    let failed = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < work.length) {
          const { ms, ok } = await ask(work[next++]!);
          times.push(ms);
          if (!ok) failed += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const rssAfterMB = residentMB(pid).rss;
    times.sort((a, b) => a - b);
    return {
      clients, requests: times.length, failed, seconds,
      p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? 0,
      rssIdleMB, rssPeakMB, rssAfterMB,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(work, { recursive: true, force: true });
  }
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
