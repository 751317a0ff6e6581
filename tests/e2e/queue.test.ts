/**
 * Distributed OCR through a real Redis server: `acervo ingest --queue` as the coordinator (it owns
 * the catalog and the index), `acervo worker` processes doing the OCR. Every test counts catalog
 * rows and index hits: each document once, none lost, whatever happens to workers or Redis.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchPdf, blankPage, textPage } from '../helpers/batch-scan.js';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { HAS_REDIS, RedisServer } from '../helpers/redis-server.js';
import { Watcher, writeNumberedPages } from '../helpers/watcher.js';
import { readEveryPageForReal } from '../helpers/readings-cache.js';

// How long reading takes is what these tests stage: no page comes from the run's readings cache.
readEveryPageForReal();

if (!HAS_REDIS) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server; .ci/run does it)');

let work: string;
let redis: RedisServer;
let workers: Watcher[] = [];
let queueNo = 0;

beforeAll(async () => {
  if (!HAS_REDIS) return;
  work = mkdtempSync(path.join(os.tmpdir(), 'acervo-queue-'));
  redis = await RedisServer.start();
});
afterAll(async () => {
  if (!HAS_REDIS) return;
  await redis.close();
  rmSync(work, { recursive: true, force: true });
});
afterEach(async () => {
  for (const worker of workers) worker.signal('SIGKILL');
  await Promise.allSettled(workers.map((w) => w.exited(10_000)));
  workers = [];
});

interface Setup {
  dir: string;
  inbox: string;
  library: string;
  files: string[];
}

/**
 * A folder with a config naming the queue (a queue of its own per test) and `count` one-page scans.
 * A 3 s visibility timeout lets the take-over tests run quickly; tests that count exactly who did
 * what pass a longer one, since on a loaded machine a live worker can miss a 1.5 s lock renewal and
 * see its job taken over (converted twice, indexed once: seen with three test files at once).
 */
async function setup(name: string, count: number, queue: Record<string, unknown> = {}): Promise<Setup> {
  const dir = path.join(work, name);
  const inbox = path.join(dir, 'entrada');
  mkdirSync(inbox, { recursive: true });
  const settings = { url: redis.url, name: `t${++queueNo}`, visibilityTimeoutSeconds: 3, maxAttempts: 2, ...queue };
  writeFileSync(path.join(dir, 'acervo.yaml'), JSON.stringify({ library: './library', ocr: { jobs: 1 }, queue: settings }));
  const files = await writeNumberedPages(inbox, Array.from({ length: count }, (_, i) => 100 * queueNo + i));
  return { dir, inbox, library: path.join(dir, 'library'), files };
}

function startWorker(s: Setup, args: readonly string[] = []): Watcher {
  const worker = new Watcher(['--jobs', '1', ...args], { cwd: s.dir, command: 'worker' });
  workers.push(worker);
  return worker;
}

async function startWorkers(s: Setup, count: number): Promise<Watcher[]> {
  const started = Array.from({ length: count }, () => startWorker(s));
  await Promise.all(started.map((w) => w.waitFor((l) => l.event === 'worker.started')));
  return started;
}

async function ingest(s: Setup, extra: readonly string[] = []) {
  const result = await runCli(['ingest', 'entrada', '--json', ...extra], { cwd: s.dir });
  return { result, report: parseJsonOutput(result) };
}

/** Whoever takes `file` dies under it (SIGKILL), and a fresh worker takes its place. */
function killingWhoTakes(s: Setup, file: string): { kills: number; watch: (worker: Watcher) => Watcher } {
  const killer = {
    kills: 0,
    watch: (worker: Watcher) => {
      void worker.waitFor((l) => l.event === 'job.taken' && l.file === file, 240_000).then(
        () => {
          killer.kills++;
          worker.signal('SIGKILL');
          killer.watch(startWorker(s));
        },
        () => {},
      );
      return worker;
    },
  };
  return killer;
}

/** Each document once in the catalog and once in the index: the exactly-once check. */
async function expectEachOnce(s: Setup, done: number): Promise<void> {
  const { documents } = readCatalog(s.library);
  const states = documents.map((d) => `${path.basename(d.source_path)} ${d.status} ${d.error_code ?? ''}`).join('; ');
  expect(documents.filter((d) => d.status === 'done'), states).toHaveLength(done);
  expect(new Set(documents.map((d) => d.source_path)).size).toBe(documents.length);
  const status = parseJsonOutput(await runCli(['status', '--library', s.library, '--json']));
  expect(status.index).toMatchObject({ documents: done, inStep: true });
  const hits = parseJsonOutput(await runCli(['search', 'protocolo', '--library', s.library, '--json', '--limit', '100'])).hits as Array<{ documentId: number }>;
  expect(hits).toHaveLength(done);
  expect(new Set(hits.map((h) => h.documentId)).size).toBe(done);
}

/** Files (not folders: a running worker keeps its own) left in the library's temporary folder. */
function tempLeftovers(library: string): string[] {
  return readdirSync(path.join(library, 'tmp'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe.skipIf(!HAS_REDIS)('acervo ingest --queue with acervo worker processes', () => {
  // One test for sharing, status and draining: each worker process costs its OCR engine's start.
  it('shares a batch between 3 worker processes, each document converted and indexed once; status shows the queue and the workers alive, and they drain on SIGTERM', async () => {
    const s = await setup('share', 12, { visibilityTimeoutSeconds: 30 });
    const started = await startWorkers(s, 3);
    const { result, report } = await ingest(s);
    expect(result.code, result.stderr).toBe(0);
    expect(report.totals).toMatchObject({ documents: s.files.length, indexed: s.files.length, failed: 0 });
    await expectEachOnce(s, s.files.length);
    // The work was spread: every worker converted some, and together exactly the batch.
    const done = started.map((w) => w.events('job.done').length);
    expect(done.every((n) => n > 0), `jobs per worker: ${done.join(', ')}`).toBe(true);
    expect(done.reduce((a, b) => a + b, 0)).toBe(s.files.length);
    expect(tempLeftovers(s.library)).toEqual([]);

    const status = await runCli(['status', '--library', s.library, '--json'], { cwd: s.dir });
    const queue = parseJsonOutput(status).queue;
    expect(queue).toMatchObject({ reachable: true, jobs: { waiting: 0, active: 0, failed: 0, completed: 12 } });
    expect(queue.workers.map((w: { pid: number }) => w.pid).sort()).toEqual(started.map((w) => w.pid).sort());
    expect(queue.workers.reduce((sum: number, w: { pages: number }) => sum + w.pages, 0)).toBe(12);
    expect(queue.workers.some((w: { pagesPerMinute: number }) => w.pagesPerMinute > 0)).toBe(true);
    const text = await runCli(['status', '--library', s.library], { cwd: s.dir });
    expect(text.stdout).toMatch(/Queue: +t\d+: 0 waiting, 0 active, 0 delayed, 0 failed, 12 done/);
    expect(text.stdout).toMatch(/Workers: +3 alive/);
    for (const w of started) w.signal('SIGTERM');
    for (const w of started) expect((await w.exited()).code).toBe(0);
    const after = parseJsonOutput(await runCli(['status', '--library', s.library, '--json'], { cwd: s.dir })).queue;
    expect(after.workers).toEqual([]);
  }, 240_000);

  it('on SIGTERM a worker finishes the documents in hand and exits 0; another takes the rest', async () => {
    const s = await setup('drain', 6, { visibilityTimeoutSeconds: 30 });
    const [first] = await startWorkers(s, 1);
    const run = ingest(s);
    await first!.waitFor((l) => l.event === 'job.taken');
    first!.signal('SIGTERM');
    expect((await first!.exited()).code).toBe(0);
    const taken = first!.events('job.taken').map((l) => l.file);
    // Whatever it had taken (BullMQ may hand it one more as it stops), it finished; then it stopped.
    expect(first!.events('job.done').map((l) => l.file).sort()).toEqual([...taken].sort());
    expect(first!.events('job.error')).toEqual([]);
    expect(taken.length).toBeLessThan(6);
    await startWorkers(s, 1);
    const { result } = await run;
    expect(result.code, result.stderr).toBe(0);
    await expectEachOnce(s, 6);
  }, 240_000);

  it('acervo watch --once --queue hands the inbox to the workers the same way', async () => {
    const s = await setup('watch', 3, { visibilityTimeoutSeconds: 30 });
    await startWorkers(s, 2);
    const result = await runCli(['watch', '--once', 'entrada', '--queue', redis.url], { cwd: s.dir });
    expect(result.code, result.stderr).toBe(0);
    await expectEachOnce(s, 3);
    expect(readdirSync(path.join(s.inbox, 'processed')).sort()).toEqual(s.files.map((f) => path.basename(f)).sort());
  }, 240_000);

  it('gives the job of a worker killed mid-job (kill -9) to another after the visibility timeout', async () => {
    const s = await setup('killed', 6);
    const [doomed, survivor] = await startWorkers(s, 2);
    const run = ingest(s);
    const taken = await doomed!.waitFor((l) => l.event === 'job.taken');
    doomed!.signal('SIGKILL');
    const { result, report } = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(report.totals).toMatchObject({ indexed: 6, failed: 0 });
    // The killed worker's job was taken again, by the survivor, on a second attempt.
    expect(survivor!.events('job.taken').find((l) => l.file === taken.file)).toMatchObject({ attempt: 2 });
    await expectEachOnce(s, 6);
  }, 240_000);

  it('pauses while Redis is down and resumes without loss when it is back', async () => {
    const s = await setup('restart', 8);
    const started = await startWorkers(s, 2);
    const run = ingest(s);
    await started[0]!.waitFor((l) => l.event === 'job.done');
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await redis.resume();
    const { result, report } = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(report.totals).toMatchObject({ indexed: 8, failed: 0 });
    await expectEachOnce(s, 8);
    expect(started.some((w) => w.events('queue.unreachable').length > 0)).toBe(true);
  }, 240_000);

  it('fails a poison job (every worker that takes it dies) after maxAttempts, keeps its error, and finishes the rest', async () => {
    const s = await setup('poison', 3, { maxAttempts: 2 });
    const poison = path.basename(s.files[0]!);
    const killer = killingWhoTakes(s, poison);
    for (const worker of await startWorkers(s, 2)) killer.watch(worker);
    const { result, report } = await ingest(s);
    expect(result.code, result.stderr).toBe(2);
    expect(killer.kills).toBe(2);
    const failed = report.documents.find((d: { source: string }) => d.source.endsWith(poison));
    expect(failed.error.code).toBe('WORKER_LOST');
    const { documents } = readCatalog(s.library);
    expect(documents.find((d) => d.source_path.endsWith(poison))).toMatchObject({ status: 'failed', error_code: 'WORKER_LOST' });
    await expectEachOnce(s, 2);
    const queue = parseJsonOutput(await runCli(['status', '--library', s.library, '--json'], { cwd: s.dir })).queue;
    expect(queue.jobs.failed).toBe(1);
    expect(queue.recentFailures[0]).toMatchObject({ file: poison, reason: expect.stringMatching(/stalled/) });
  }, 240_000);

  it('does not fail a document with the poison one it shared a worker with: a job a worker was lost under is converted alone', async () => {
    const s = await setup('collateral', 2, { maxAttempts: 2 });
    const [poison, good] = s.files.map((f) => path.basename(f));
    // One worker at a time, two documents in hand each (--jobs 1): the first takes both, and dies under the poison.
    const killer = killingWhoTakes(s, poison!);
    await killer.watch(startWorker(s)).waitFor((l) => l.event === 'worker.started');
    const { result, report } = await ingest(s);
    expect(result.code, result.stderr).toBe(2);
    expect(killer.kills).toBe(2);
    expect(report.documents.find((d: { source: string }) => d.source.endsWith(poison)).error.code).toBe('WORKER_LOST');
    expect(report.documents.find((d: { source: string }) => d.source.endsWith(good)).error).toBeNull();
    await expectEachOnce(s, 1);
  }, 240_000);

  it("cuts a batch scan on a worker that mounts the storage elsewhere (the coordinator's paths mapped), each part placed by the coordinator", async () => {
    const s = await setup('split', 0);
    writeFileSync(path.join(s.inbox, 'lote.pdf'), await batchPdf([await textPage(['PROTOCOLO 4410 Rua Direita']), await blankPage(), await textPage(['PROTOCOLO 4411 Praça da Matriz'])]));
    const mount = path.join(work, 'split-mount');
    symlinkSync(s.dir, mount);
    const worker = startWorker(s, ['--path-map', `${s.dir}=${mount}`]);
    await worker.waitFor((l) => l.event === 'worker.started');
    const { result, report } = await ingest(s, ['--split', 'blank']);
    expect(result.code, result.stderr).toBe(0);
    expect(worker.events('job.done')).toHaveLength(1);
    // The worker read the batch where its machine mounts the coordinator's folder.
    const sources = worker.events('job.taken').map((l) => l.source as string);
    expect(sources).toEqual([path.join(mount, 'entrada', 'lote.pdf')]);
    expect(report.documents[0].split.parts.map((p: any) => [path.basename(p.pdf), p.sourcePages])).toEqual([
      ['lote-01.pdf', { first: 1, last: 1 }],
      ['lote-02.pdf', { first: 3, last: 3 }],
    ]);
    expect(readdirSync(path.join(s.library, 'documents')).sort()).toEqual(['lote-01.pdf', 'lote-02.pdf']);
    const hits = parseJsonOutput(await runCli(['search', 'Matriz', '--library', s.library, '--json'])).hits as Array<{ documentId: number }>;
    expect(hits.map((h) => h.documentId)).toEqual([report.documents[0].split.parts[1].documentId]);
  }, 240_000);

  it('refuses to start when the queue cannot be reached, with QUEUE_UNAVAILABLE and exit code 3', async () => {
    const s = await setup('unreachable', 1, { url: 'redis://127.0.0.1:1' });
    const result = await runCli(['ingest', 'entrada'], { cwd: s.dir, timeoutMs: 60_000 });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/error QUEUE_UNAVAILABLE: The job queue's Redis server at redis:\/\/127\.0\.0\.1:1 cannot be reached/);
    expect(readdirSync(s.dir)).not.toContain('library');
  }, 60_000);
});
