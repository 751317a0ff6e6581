/**
 * Pages per minute through the distributed queue with 1, 2 and 3 `acervo worker` processes (one
 * OCR worker each) on this machine, against a real Redis server: what adding a machine's worth of
 * workers buys, and what the queue costs against the in-process pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAS_REDIS, RedisServer } from './redis-server.js';
import { printTable } from './table.js';
import { makeBatch, runAcervo } from './throughput.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export async function benchQueueWorkers(samples: string, minPages: number, counts: readonly number[]): Promise<void> {
  if (!HAS_REDIS) {
    console.log('Queue: skipped (redis-server is not installed: apt-get install redis-server)\n');
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-queue-bench-'));
  const redis = await RedisServer.start();
  try {
    const batch = await makeBatch(samples, path.join(work, 'batch'), minPages);
    const rows: string[][] = [];
    const local = await runAcervo([batch.folder], 1);
    rows.push(['in-process, 1 OCR worker (no queue)', '1', (local.elapsedSeconds).toFixed(1), perMinute(local.pages, local.elapsedSeconds)]);
    for (const [i, count] of counts.entries()) {
      const dir = path.join(work, `run-${i}`);
      const config = path.join(work, `acervo-${i}.yaml`);
      writeFileSync(config, JSON.stringify({ library: dir, queue: { url: redis.url, name: `bench${i}` } }));
      const workers = await Promise.all(Array.from({ length: count }, () => startWorker(config)));
      try {
        const started = performance.now();
        const result = await runCli(['ingest', batch.folder, '--config', config, '--json']);
        const seconds = (performance.now() - started) / 1000;
        const report = JSON.parse(result) as { totals: { pages: number; failed: number }; documents: Array<{ source: string; error: { code: string; message: string } | null }> };
        for (const d of report.documents) if (d.error) console.log(`  ${count} worker(s): ${path.basename(d.source)} failed: ${d.error.code}: ${d.error.message}`);
        rows.push([`queue, ${count} worker process(es)`, String(count), seconds.toFixed(1), perMinute(report.totals.pages, seconds) + (report.totals.failed ? ` (${report.totals.failed} failed)` : '')]);
      } finally {
        for (const worker of workers) worker.kill('SIGKILL');
      }
    }
    console.log(`Queue (BullMQ on a local redis-server): ${batch.files.length} scans, ${batch.pages} pages; each worker process has 1 OCR worker, started before the clock`);
    printTable(['how', 'OCR workers', 'elapsed s', 'pages/min'], rows);
    console.log(`  On ${os.availableParallelism()} cores a third process only shares them; on more machines each adds its own.\n`);
  } finally {
    await redis.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function startWorker(config: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'worker', '--config', config, '--jobs', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (log.includes('"worker.started"')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`acervo worker exited (${code}): ${log}`)));
  });
}

function runCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => (code === 0 || code === 2 ? resolve(stdout) : reject(new Error(`acervo ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

function perMinute(pages: number, seconds: number): string {
  return ((pages * 60) / Math.max(seconds, 1e-9)).toFixed(1);
}
