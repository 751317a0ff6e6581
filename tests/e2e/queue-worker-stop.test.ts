/**
 * `acervo worker` stops on SIGTERM when nothing is in hand, whether or not Redis can be reached:
 * drain means exit once no document is being converted or handed back, not once Redis answers.
 * A document in hand is still finished and handed back first, Redis away or not. (Draining with
 * Redis up is in queue.test.ts.)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { HAS_REDIS, RedisServer } from '../helpers/redis-server.js';
import { Watcher, writeNumberedPages } from '../helpers/watcher.js';
import { readEveryPageForReal } from '../helpers/readings-cache.js';

// How long reading takes is what these tests stage: no page comes from the run's readings cache.
readEveryPageForReal();

let work: string;
/** Every child started, killed after each test whatever happened. */
let children: Watcher[] = [];

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'acervo-worker-stop-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});
afterEach(async () => {
  for (const child of children) child.signal('SIGKILL');
  await Promise.allSettled(children.map((c) => c.exited(10_000)));
  children = [];
});

/** A folder whose config names the queue at `url`, with `count` one-page scans in entrada/. */
async function setup(name: string, url: string, count: number, queue: Record<string, unknown> = {}): Promise<string> {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'entrada'), { recursive: true });
  writeFileSync(path.join(dir, 'acervo.yaml'), JSON.stringify({ library: './library', ocr: { jobs: 1 }, queue: { url, name, visibilityTimeoutSeconds: 3, maxAttempts: 2, ...queue } }));
  await writeNumberedPages(path.join(dir, 'entrada'), Array.from({ length: count }, (_, i) => 900 + i));
  return dir;
}

function start(dir: string, command: string, args: readonly string[]): Watcher {
  const child = new Watcher(args, { cwd: dir, command });
  children.push(child);
  return child;
}

function startWorker(dir: string): Watcher {
  return start(dir, 'worker', ['--jobs', '1']);
}

/** SIGTERM, then the exit: code 0, having said it was stopping and that it stopped. */
async function expectStopsOnSigterm(worker: Watcher): Promise<void> {
  worker.signal('SIGTERM');
  const exit = await worker.exited();
  expect(exit, worker.stderr).toEqual({ code: 0, signal: null });
  expect(worker.events('worker.stopping')).toHaveLength(1);
  expect(worker.events('worker.stopped')).toHaveLength(1);
  expect(worker.events('worker.killed')).toEqual([]);
}

describe('acervo worker on SIGTERM', () => {
  it('exits 0 when Redis was never reachable (nothing in hand)', async () => {
    // Port 1: nothing listens there (binding it needs root).
    const dir = await setup('never', 'redis://127.0.0.1:1', 0);
    const worker = startWorker(dir);
    await worker.waitFor((l) => l.event === 'queue.unreachable');
    await expectStopsOnSigterm(worker);
    expect(worker.events('worker.started')).toEqual([]);
    expect(readdirSync(dir)).not.toContain('library');
  }, 180_000);

  describe.skipIf(!HAS_REDIS)('with a real Redis server', () => {
    // A server per test: each stops it.
    let redis: RedisServer;
    beforeEach(async () => {
      redis = await RedisServer.start();
    });
    afterEach(async () => {
      await redis.close();
    });

    it('exits 0 when Redis went away while it was idle, leaving no temporary folder', async () => {
      const dir = await setup('lost', redis.url, 1);
      const worker = startWorker(dir);
      await worker.waitFor((l) => l.event === 'worker.started');
      // One document first, so the worker has a temporary folder of its own to remove.
      const ingest = await runCli(['ingest', 'entrada'], { cwd: dir, timeoutMs: 180_000 });
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(worker.events('job.done')).toHaveLength(1);
      const tmp = path.join(dir, 'library', 'tmp');
      expect(readdirSync(tmp).filter((e) => e.startsWith('w-'))).toHaveLength(1);
      await redis.stop();
      await worker.waitFor((l) => l.event === 'queue.unreachable');
      await expectStopsOnSigterm(worker);
      expect(worker.events('worker.stopped')[0]).toMatchObject({ documents: 1, pages: 1, failed: 0 });
      expect(existsSync(tmp) ? readdirSync(tmp).filter((e) => e.startsWith('w-')) : []).toEqual([]);
    }, 240_000);

    it('with a document in hand while Redis is away, hands it back once Redis returns, then exits 0', async () => {
      // A lock that outlives the outage: an expired one would have the result refused (and the job
      // left for another worker, of which there is none here).
      const dir = await setup('in-hand', redis.url, 1, { visibilityTimeoutSeconds: 120 });
      const worker = startWorker(dir);
      await worker.waitFor((l) => l.event === 'worker.started');
      // The coordinator, as a child killed after the test if it fails on the way.
      const ingest = start(dir, 'ingest', ['entrada']);
      await worker.waitFor((l) => l.event === 'job.taken');
      await redis.stop();
      await worker.waitFor((l) => l.event === 'queue.unreachable');
      worker.signal('SIGTERM');
      await worker.waitFor((l) => l.event === 'job.done');
      // Converted, but its result cannot be handed back: the worker must wait for Redis.
      await sleep(2000);
      expect(worker.events('worker.stopped')).toEqual([]);
      await redis.resume();
      expect(await worker.exited(), worker.stderr).toEqual({ code: 0, signal: null });
      expect(worker.events('worker.stopped')[0]).toMatchObject({ documents: 1, pages: 1, failed: 0 });
      expect((await ingest.exited()).code, ingest.stderr).toBe(0);
      expect(readCatalog(path.join(dir, 'library')).documents.map((d) => d.status)).toEqual(['done']);
    }, 240_000);
  });
});
