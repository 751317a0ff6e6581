/**
 * Acervo as IT runs it overnight, with real processes: the library lock between two runs (and a
 * crashed holder's lock taken over), a time window closing mid-batch and the next run resuming,
 * the run's report against the catalog, quiet success, JSON logs with the run id, retrying
 * failures, and the in-process scheduler.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { CLI } from '../helpers/paths.js';
import { numberedPage, writeNumberedPages } from '../helpers/watcher.js';
import { readEveryPageForReal } from '../helpers/readings-cache.js';

// How long reading takes is what these tests stage: no page comes from the run's readings cache.
readEveryPageForReal();

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-ops-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function scans(name: string, count: number, first = 1): Promise<string> {
  const folder = path.join(work, name, 'scans');
  mkdirSync(folder, { recursive: true });
  await writeNumberedPages(folder, Array.from({ length: count }, (_, i) => first + i));
  return folder;
}

/** An ingest running in the background, and a way to know it holds the library. */
function startIngest(args: string[]): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, 'ingest', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ACERVO_CONFIG: '/dev/null' } });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  return { child, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))), stderr: () => stderr };
}

/** Waits for what a real process does; the bound only turns a hang into a clear failure before the test's own timeout. */
async function until(condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The runs the catalog records, read directly (empty while it is not there or being migrated). */
function runIds(library: string): string[] {
  try {
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT run_id AS runId FROM runs').all() as Array<{ runId: string }>).map((r) => r.runId);
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

const lockOwner = (library: string) => path.join(library, '.acervo-library.lock.owner');
const env = { ACERVO_CONFIG: '/dev/null' };

describe('the library lock', () => {
  it('keeps a second run out with a clear message and exit 75, and lets a patient one wait its turn', async () => {
    // Enough pages (read one at a time) to hold the lock while the second and third runs start.
    const folder = await scans('lock', 6);
    const library = path.join(work, 'lock', 'library');
    const first = startIngest([folder, '--library', library, '--jobs', '1']);
    await until(() => existsSync(lockOwner(library)));
    // The lock is taken before anything slow starts: with a queue no one answers, the refusal is
    // still the lock's (a run that started its converter first would wait on the queue instead).
    const second = await runCli(['ingest', folder, '--library', library, '--queue', 'redis://127.0.0.1:9'], { env });
    expect(second.code).toBe(75);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(new RegExp(`LIBRARY_LOCKED: The library .* is in use by acervo ingest \\(run \\d{8}T\\d{6}-[0-9a-f]{6}\\) \\(process ${first.child.pid} on `));
    // One that waits for the lock starts when the first is done, and finds everything done already.
    const patient = await runCli(['ingest', folder, '--library', library, '--wait-lock', '300', '--json'], { env });
    expect(await first.exit).toBe(0);
    expect(patient.code, patient.stderr).toBe(0);
    expect(parseJsonOutput(patient).totals).toMatchObject({ documents: 6, skipped: 6, indexed: 0 });
    expect(existsSync(lockOwner(library))).toBe(false);
  });

  it("takes over at once the lock of a run that was killed, and converts what it had not", async () => {
    const folder = await scans('stale', 4, 100);
    const library = path.join(work, 'stale', 'library');
    const crashed = startIngest([folder, '--library', library, '--jobs', '1']);
    await until(() => existsSync(lockOwner(library)));
    await until(() => existsSync(path.join(library, 'catalog.sqlite')));
    const owner = () => {
      try {
        return JSON.parse(readFileSync(lockOwner(library), 'utf8')) as { runId?: string };
      } catch {
        return null; // not written yet
      }
    };
    await until(() => owner()?.runId !== undefined);
    const crashedRun = owner()!.runId!;
    // Killed once the catalog records it as running (the lifecycle does so right after the lock).
    await until(() => runIds(library).includes(crashedRun));
    crashed.child.kill('SIGKILL');
    await crashed.exit;
    // Until a run takes its lock over, status shows it as still running.
    const before = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env })).runs;
    expect(before.find((r: { runId: string }) => r.runId === crashedRun)).toMatchObject({ command: 'ingest', finishedAt: null, stoppedBy: null });
    const lock = path.join(library, '.acervo-library.lock');
    expect(existsSync(lock)).toBe(true);
    // The lock looks freshly refreshed (its time an hour ahead), so it is never stale during this
    // run: only seeing that its owner is gone lets a run that does not wait (no --wait-lock) take it.
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(lock, ahead, ahead);
    const next = await runCli(['ingest', folder, '--library', library, '--json'], { env });
    expect(next.code, next.stderr).toBe(0);
    expect(readCatalog(library).documents.filter((d) => d.status === 'done')).toHaveLength(4);
    // The killed run is recorded as interrupted, with a report of what the catalog shows it did.
    const runs = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env })).runs;
    const killed = runs.find((r: { runId: string }) => r.runId === crashedRun);
    expect(killed).toMatchObject({ command: 'ingest', stoppedBy: 'interrupted', finishedAt: expect.any(String) });
    const report = JSON.parse(readFileSync(path.join(library, killed.report), 'utf8'));
    expect(report).toMatchObject({ runId: crashedRun, stoppedBy: 'interrupted' });
    expect(report.totals.indexed).toBe(killed.indexed);
    expect(readFileSync(path.join(library, killed.report.replace(/\.json$/, '.txt')), 'utf8')).toMatch(/interrupted: its process ended without finishing it/);
    expect(runs.find((r: { runId: string }) => r.runId === parseJsonOutput(next).runId)).toMatchObject({ stoppedBy: 'completed' });
    const status = await runCli(['status', '--library', library], { env });
    expect(status.stdout).toMatch(/ ingest +interrupted /);
  });
});

describe('the time window', () => {
  const library = path.join(work, 'window', 'library');
  let folder: string;
  let first: any;

  it('stops taking documents when the window closes, finishes the ones in hand, and exits 0 with the rest left', async () => {
    // More pages than a 5-second window reads one at a time (about a second a page).
    folder = await scans('window', 12, 200);
    const run = await runCli(['ingest', folder, '--library', library, '--jobs', '1', '--max-minutes', '0.08', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    first = parseJsonOutput(run);
    expect(first.stoppedBy).toBe('window');
    expect(first.totals.indexed).toBeGreaterThan(0);
    expect(first.remaining).toBeGreaterThan(0);
    expect(first.totals.indexed + first.remaining).toBe(12);
    // Nothing half-done: every document taken was finished.
    expect(readCatalog(library).documents.filter((d) => d.status === 'done')).toHaveLength(first.totals.indexed);
  });

  it('lets the next run resume where it stopped', async () => {
    const run = await runCli(['ingest', folder, '--library', library, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const next = parseJsonOutput(run);
    expect(next.stoppedBy).toBe('completed');
    expect(next.totals).toMatchObject({ skipped: first.totals.indexed, indexed: first.remaining, failed: 0 });
    expect(readCatalog(library).documents).toHaveLength(12);
  });

  it("writes each run's report (JSON, text, HTML) whose numbers match the catalog, and status lists the runs", async () => {
    const reportFile = path.join(library, (await runCli(['status', '--library', library, '--json'], { env }).then(parseJsonOutput)).runs[0].report);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const { documents, pages } = readCatalog(library);
    const converted = report.documents.filter((d: { status: string }) => d.status === 'indexed');
    const ids = new Set(documents.filter((d) => converted.some((c: { file: string }) => c.file === d.source_path)).map((d) => d.id));
    expect(report.totals.pages).toBe(pages.filter((p) => ids.has(p.document_id)).length);
    expect(report.totals.indexed).toBe(first.remaining);
    expect(report.confidence.bands.reduce((n: number, b: { documents: number }) => n + b.documents, 0)).toBe(converted.length);
    expect(report.pagesPerMinute).toBeGreaterThan(0);
    expect(Object.keys(report.stageSeconds)).toEqual(expect.arrayContaining(['decode', 'clean', 'recognize', 'compose']));
    expect(report.slowest.length).toBeGreaterThan(0);
    expect(readFileSync(reportFile.replace(/\.json$/, '.txt'), 'utf8')).toMatch(/completed\.\n\d+ document\(s\): \d+ converted, \d+ unchanged, 0 failed/);
    expect(readFileSync(reportFile.replace(/\.json$/, '.html'), 'utf8')).toMatch(/<h1>Acervo ingest: completed<\/h1>/);
    const status = await runCli(['status', '--library', library], { env });
    expect(status.stdout).toMatch(/Last runs:\n.* ingest +completed .*\n.* ingest +window /);
  });
});

describe('quiet success, loud trouble, and logs', () => {
  it('prints nothing when all went well off a terminal (cron mails only trouble), and the summary when a file failed', async () => {
    const folder = await scans('quiet', 2, 300);
    const library = path.join(work, 'quiet', 'library');
    const quiet = await runCli(['ingest', folder, '--library', library], { env });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe('');
    writeFileSync(path.join(folder, 'quebrado.png'), (await numberedPage(399)).subarray(0, 500));
    const loud = await runCli(['ingest', folder, '--library', library], { env });
    expect(loud.code).toBe(2);
    expect(loud.stderr).toMatch(/FAILED +.*quebrado\.png: IMAGE_CORRUPT/);
    expect(loud.stderr).toMatch(/Done: 3 document\(s\) — 0 indexed, 2 skipped \(unchanged\), 1 failed/);
  });

  it('writes JSON log lines with the run id on every line, to a file and to stderr for journald', async () => {
    const folder = await scans('logs', 2, 400);
    const library = path.join(work, 'logs', 'library');
    const logFile = path.join(work, 'logs', 'log', 'acervo.log');
    const run = await runCli(['ingest', folder, '--library', library, '--log-file', logFile, '--log-format', 'json', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const { runId } = parseJsonOutput(run);
    const stderrLines = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
    const files = readdirSync(path.dirname(logFile));
    expect(files.length).toBe(1);
    const fileLines = readFileSync(path.join(path.dirname(logFile), files[0]!), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    for (const lines of [stderrLines, fileLines]) {
      expect(lines.every((line) => line.runId === runId)).toBe(true);
      expect(lines.map((line) => line.event)).toEqual(['run.started', 'document.indexed', 'document.indexed', 'run.finished']);
    }
  });
});

describe('acervo retry --failed', () => {
  it('converts again what failed once its cause is fixed', async () => {
    const folder = await scans('retry', 1, 500);
    const library = path.join(work, 'retry', 'library');
    const page = await numberedPage(501);
    writeFileSync(path.join(folder, 'metade.png'), page.subarray(0, page.length / 2));
    expect((await runCli(['ingest', folder, '--library', library], { env })).code).toBe(2);
    writeFileSync(path.join(folder, 'metade.png'), page); // scanned again
    const retried = await runCli(['retry', '--failed', '--library', library, '--json'], { env });
    expect(retried.code, retried.stderr).toBe(0);
    expect(parseJsonOutput(retried)).toMatchObject({ retried: 1, totals: { indexed: 1, failed: 0 } });
    expect(readCatalog(library).documents.every((d) => d.status === 'done')).toBe(true);
    expect(JSON.parse((await runCli(['retry', '--failed', '--library', library, '--json'], { env })).stdout)).toMatchObject({ retried: 0 });
  });
});

describe('acervo schedule', () => {
  it('runs a command on a cron schedule, never two at once, and stops cleanly', async () => {
    const folder = await scans('schedule', 1, 600);
    const library = path.join(work, 'schedule', 'library');
    const child = spawn(process.execPath, [CLI, 'schedule', '*/2 * * * * *', '--', 'ingest', folder, '--library', library], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // A schedule runs until stopped: whatever fails below, it must not outlive the test. SIGTERM
    // first, so that it stops the run it has in hand too; SIGKILL if it does not go.
    onTestFinished(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(10_000, undefined, { ref: false })]);
      child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.resume();
    await until(() => (stderr.match(/"event":"schedule.finished"/g) ?? []).length >= 2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ event: 'schedule.started', expression: '*/2 * * * * *' });
    // A run the stop interrupted (a tick that came just before SIGTERM) is marked stopped; every other run succeeded.
    const finished = events.filter((e) => e.event === 'schedule.finished');
    expect(finished.filter((e) => !e.stopped).length).toBeGreaterThanOrEqual(2);
    expect(finished.filter((e) => !e.stopped).map((e) => e.exitCode), stderr).toEqual(finished.filter((e) => !e.stopped).map(() => 0));
    const runs = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env })).runs;
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(readCatalog(library).documents).toHaveLength(1);
  });

  it('refuses an expression that is not cron', async () => {
    const run = await runCli(['schedule', 'every night', '--', 'status'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/USAGE: "every night" is not a cron expression/);
  });
});
