/**
 * `npm run bench -- --watch-burst 2000`: a burst of files dropped at once into a running
 * `acervo watch` (the built CLI, a real child process). Prints, per burst size, the time to index
 * them all, files per minute, the most files in hand at once, and the watcher's peak memory
 * (resident set, OCR worker threads included), sampled from /proc every 100 ms: bounded memory
 * means the peak does not grow with the burst.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberedPage } from './numbered-page.js';
import { printTable } from './table.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

interface BurstResult {
  files: number;
  seconds: number;
  maxInHand: number;
  peakRssMb: number;
  idleRssMb: number;
}

export async function benchWatchBursts(sizes: readonly number[], jobs: number | undefined): Promise<void> {
  const results: BurstResult[] = [];
  for (const size of sizes) results.push(await burst(size, jobs));
  console.log(`\nHot folder: bursts dropped at once into a running acervo watch (${jobs ?? os.availableParallelism()} workers)`);
  printTable(
    ['files', 'indexed in', 'files/min', 'most in hand', 'RSS before burst', 'peak RSS'],
    results.map((r) => [String(r.files), `${r.seconds.toFixed(1)} s`, (r.files / (r.seconds / 60)).toFixed(0), String(r.maxInHand), `${r.idleRssMb.toFixed(0)} MB`, `${r.peakRssMb.toFixed(0)} MB`]),
  );
}

async function burst(size: number, jobs: number | undefined): Promise<BurstResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-burst-'));
  try {
    const staging = path.join(work, 'staging');
    const inbox = path.join(work, 'inbox');
    mkdirSync(staging, { recursive: true });
    mkdirSync(inbox, { recursive: true });
    // A few distinct pages, each written under many names with a different last byte (a different checksum).
    const pages = await Promise.all([1, 2, 3, 4].map((n) => numberedPage(n)));
    for (let i = 0; i < size; i++) writeFileSync(path.join(staging, `scan-${String(i).padStart(5, '0')}.png`), Buffer.concat([pages[i % pages.length]!, Buffer.from(String(i))]));

    const args = [CLI, 'watch', inbox, '--library', path.join(work, 'library'), '--stable-seconds', '1', ...(jobs ? ['--jobs', String(jobs)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ACERVO_CONFIG: '/dev/null' } });
    let indexed = 0;
    let maxInHand = 0;
    let started = false;
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.includes('"watch.started"')) started = true;
        if (line.includes('"file.indexed"')) indexed++;
        const inHand = /"event":"file.taken".*"inHand":(\d+)/.exec(line);
        if (inHand) maxInHand = Math.max(maxInHand, Number(inHand[1]));
      }
    });
    const rss = () => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
      } catch {
        return 0;
      }
    };
    while (!started) await sleep(100);
    await sleep(1000);
    const idleRssMb = rss();
    let peakRssMb = idleRssMb;
    const t0 = performance.now();
    for (let i = 0; i < size; i++) {
      const name = `scan-${String(i).padStart(5, '0')}.png`;
      renameSync(path.join(staging, name), path.join(inbox, name));
    }
    while (indexed < size) {
      if (child.exitCode !== null) throw new Error(`acervo watch exited early (${child.exitCode})`);
      peakRssMb = Math.max(peakRssMb, rss());
      await sleep(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    return { files: size, seconds, maxInHand, peakRssMb, idleRssMb };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
