/**
 * Fixity and export with real files and real processes: a library ingested with real OCR, then
 * `acervo verify` (all well; a PDF altered by one byte, one deleted, one nobody owns; stopped by
 * SIGTERM and by kill -9 and resumed; the read rate cap; run while a writer holds the library;
 * scheduled) and `acervo export` (a BagIt bag re-hashed here; manifests against the catalog; a
 * changed or missing PDF refused; unknown collections and non-empty folders refused).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { lockLibrary } from '../../core/library-lock.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { CLI } from '../helpers/paths.js';
import { writeNumberedPages } from '../helpers/watcher.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-fixity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { ACERVO_CONFIG: '/dev/null' };
const library = path.join(work, 'library');

interface Row {
  id: number;
  source_path: string;
  relative_path: string;
  sha256: string;
  output_path: string;
  output_sha256: string;
  output_bytes: number;
  title: string | null;
  collection: string;
  year: number | null;
  box: string | null;
  series: string | null;
  document_type: string | null;
  doc_date: string | null;
  pdf_pages: number;
}

function catalogRows(): Row[] {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT d.*, (SELECT COUNT(pdf_page) FROM pages p WHERE p.document_id = d.id) AS pdf_pages FROM documents d ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

function identifiersOf(documentId: number): string[] {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT DISTINCT kind || ' ' || value AS id FROM document_facts WHERE document_id = ? AND kind NOT IN ('date', 'cpf', 'cnpj', 'cuit')`).all(documentId) as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

/** The verify checkpoint, read as another process would. */
function checkpoint(): number {
  if (!existsSync(path.join(library, 'catalog.sqlite'))) return 0;
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true, timeout: 5000 });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'verify_passes'`).get();
    if (!exists) return 0;
    return (db.prepare('SELECT COALESCE(MAX(last_document_id), 0) AS id FROM verify_passes WHERE finished_at IS NULL').get() as { id: number }).id;
  } finally {
    db.close();
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function until(condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startVerify(args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, 'verify', '--library', library, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.resume();
  return { child, exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))), stdout: () => stdout };
}

/** A rate (MB/s) at which reading the smallest PDF takes about `seconds`. */
function rateFor(seconds: number): number {
  const smallest = Math.min(...catalogRows().map((r) => r.output_bytes));
  return Math.round((smallest / 1e6 / seconds) * 1e4) / 1e4;
}

beforeAll(async () => {
  const scans = path.join(work, 'scans');
  mkdirSync(path.join(scans, 'Obras', '1987'), { recursive: true });
  mkdirSync(path.join(scans, 'Gabinete', '1990'), { recursive: true });
  await writeNumberedPages(path.join(scans, 'Obras', '1987'), [1, 2, 3]);
  await writeNumberedPages(path.join(scans, 'Gabinete', '1990'), [4, 5]);
  const run = await runCli(['ingest', scans, '--library', library, '--json'], { env });
  if (run.code !== 0) throw new Error(`ingest failed:\n${run.stderr}`);
});

describe('acervo verify on a sound library', () => {
  it('re-hashes every PDF, finds them all ok, exits 0, and writes a report that status lists', async () => {
    const run = await runCli(['verify', '--library', library, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput(run);
    expect(report.totals).toEqual({ documents: 5, files: 5, ok: 5, missing: 0, changed: 0, unreadable: 0, unexpected: 0, bytes: catalogRows().reduce((n, r) => n + r.output_bytes, 0), remaining: 0 });
    expect(report.pass).toMatchObject({ resumed: false, complete: true, originals: false });
    expect(report.problems).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(readFileSync(report.report, 'utf8')).runId).toBe(report.runId);
    expect(readFileSync(report.report.replace(/\.json$/, '.txt'), 'utf8')).toMatch(/^Verified: 5 document\(s\), 5 file\(s\), .*: 5 ok, 0 changed, 0 missing, 0 unreadable, 0 unexpected\.\n$/);
    const status = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env }));
    expect(status.runs[0]).toMatchObject({ runId: report.runId, command: 'verify', stoppedBy: 'completed', documents: 5, skipped: 5, failed: 0, remaining: 0 });
  });

  it('with --originals re-hashes the originals too', async () => {
    const run = await runCli(['verify', '--library', library, '--originals', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput(run);
    expect(report.totals).toMatchObject({ documents: 5, files: 10, ok: 10 });
    expect(report.command).toBe('verify --originals');
  });

  it('runs while a writer holds the library lock (it needs none of the writers\')', async () => {
    const lock = await lockLibrary(library, 'a test writer', 0, () => {});
    try {
      const run = await runCli(['verify', '--library', library, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(parseJsonOutput(run).totals.ok).toBe(5);
    } finally {
      await lock.release();
    }
  });
});

describe('resuming and the read rate', () => {
  it('stops on SIGTERM with the report saying so (exit 130), and the next run resumes without re-hashing what was done', async () => {
    const rate = rateFor(1.5);
    const first = startVerify(['--restart', '--rate', String(rate), '--json']);
    await until(() => checkpoint() > 0);
    // One verify at a time: a second one is refused while this one runs.
    const second = await runCli(['verify', '--library', library], { env });
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/LIBRARY_LOCKED: The fixity check of the library .* is in use by acervo verify/);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(130);
    const stopped = JSON.parse(first.stdout());
    expect(stopped).toMatchObject({ stoppedBy: 'signal', pass: { complete: false, resumed: false } });
    const done = stopped.thisRun.documents as number;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(5);
    expect(stopped.totals.remaining).toBe(5 - done);

    const run = await runCli(['verify', '--library', library, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const resumed = parseJsonOutput(run);
    expect(resumed.pass).toMatchObject({ id: stopped.pass.id, resumed: true, complete: true, runs: 2 });
    expect(resumed.thisRun.documents).toBe(5 - done);
    // Only what the first run had not checked was read: the two runs' bytes add up to the library's PDFs once.
    const rows = catalogRows();
    const checked = rows.slice(0, done);
    expect(resumed.thisRun.bytes).toBe(rows.reduce((n, r) => n + r.output_bytes, 0) - checked.reduce((n, r) => n + r.output_bytes, 0));
    expect(resumed.totals).toMatchObject({ documents: 5, files: 5, ok: 5, remaining: 0 });
  });

  it('resumes after kill -9 too (the crashed run\'s verify lock is taken over at once)', async () => {
    const first = startVerify(['--restart', '--rate', String(rateFor(1.5)), '--json']);
    await until(() => checkpoint() > 0);
    const done = catalogRows().filter((r) => r.id <= checkpoint()).length;
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    const run = await runCli(['verify', '--library', library, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const resumed = parseJsonOutput(run);
    expect(resumed.pass).toMatchObject({ resumed: true, complete: true, runs: 2 });
    expect(resumed.thisRun.documents).toBeLessThanOrEqual(5 - done);
    expect(resumed.totals).toMatchObject({ documents: 5, ok: 5 });
    // --restart starts a new pass instead.
    const restarted = parseJsonOutput(await runCli(['verify', '--library', library, '--restart', '--json'], { env }));
    expect(restarted.pass).toMatchObject({ resumed: false, runs: 1 });
    expect(restarted.pass.id).toBeGreaterThan(resumed.pass.id);
    expect(restarted.thisRun.documents).toBe(5);
  });

  it('reads every PDF at --rate and reports the rate (the pacing itself: tests/unit/read-throttle.test.ts)', async () => {
    // That the rate holds is checked on a scripted clock, not here: a wall-clock bound belongs in
    // the benchmark. The runs above stop mid-pass only because --rate slows them down.
    const rate = rateFor(0.1);
    const run = await runCli(['verify', '--library', library, '--rate', String(rate), '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput(run);
    expect(report.rateMBps).toBe(rate);
    expect(report.thisRun.bytes).toBe(catalogRows().reduce((n, r) => n + r.output_bytes, 0));
    expect(report.totals).toMatchObject({ documents: 5, ok: 5, remaining: 0 });
  });

  it('refuses a rate that is not a positive number', async () => {
    const run = await runCli(['verify', '--library', library, '--rate', 'fast'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/USAGE: --rate takes megabytes per second/);
  });

  it('can be scheduled like any other batch', async () => {
    const child = spawn(process.execPath, [CLI, 'schedule', '*/2 * * * * *', '--', 'verify', '--library', library, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
    await until(() => (stderr.match(/"event":"schedule.finished"/g) ?? []).length >= 1);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    const finished = stderr.trim().split('\n').map((line) => JSON.parse(line)).filter((e) => e.event === 'schedule.finished');
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.every((e) => e.exitCode === 0)).toBe(true);
    const runs = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env })).runs;
    expect(runs[0]).toMatchObject({ command: 'verify', stoppedBy: 'completed', skipped: 5 });
  });
});

/** Checks a bag as a BagIt validator would: every payload file listed and matching, nothing more; oxum; tag manifest. */
function validateBag(bag: string): void {
  expect(readFileSync(path.join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nFile-Tag-Character-Encoding: UTF-8\n');
  const manifest = readFileSync(path.join(bag, 'manifest-sha256.txt'), 'utf8').trim().split('\n').map((line) => line.split(/ +/, 2) as [string, string]);
  const payload = readdirSync(path.join(bag, 'data'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(bag, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  expect(manifest.map(([, file]) => file).sort()).toEqual(payload);
  for (const [hash, file] of manifest) expect(sha256(path.join(bag, file)), file).toBe(hash);
  const info = Object.fromEntries(readFileSync(path.join(bag, 'bag-info.txt'), 'utf8').trim().split('\n').map((line) => line.split(/: (.*)/s, 2) as [string, string]));
  const bytes = payload.reduce((n, file) => n + statSync(path.join(bag, file)).size, 0);
  expect(info['Payload-Oxum']).toBe(`${bytes}.${payload.length}`);
  expect(info['Bag-Count']).toBe('1 of 1');
  expect(info['Bagging-Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const tags = readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8').trim().split('\n').map((line) => line.split(/ +/, 2) as [string, string]);
  expect(tags.map(([, file]) => file).sort()).toEqual(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', 'manifest.csv', 'manifest.json']);
  for (const [hash, file] of tags) expect(sha256(path.join(bag, file)), file).toBe(hash);
}

describe('acervo export', () => {
  it("writes a collection's PDFs into a BagIt bag whose manifests match the files and the catalog", async () => {
    const bag = path.join(work, 'bag-obras');
    const run = await runCli(['export', '--collection', 'Obras', bag, '--library', library, '--organization', 'Prefeitura de São João do Ipê', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const result = parseJsonOutput(run);
    const rows = catalogRows().filter((r) => r.collection === 'Obras');
    expect(rows).toHaveLength(3);
    expect(result).toMatchObject({ documents: 3, collection: 'Obras', payloadOxum: `${rows.reduce((n, r) => n + r.output_bytes, 0)}.3` });
    validateBag(bag);
    expect(readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toMatch(/^Source-Organization: Prefeitura de São João do Ipê\n/);

    const csv = parseCsv(readFileSync(path.join(bag, 'manifest.csv')), { columns: true, bom: true }) as Array<Record<string, string>>;
    const json = JSON.parse(readFileSync(path.join(bag, 'manifest.json'), 'utf8'));
    expect(json.collection).toBe('Obras');
    expect(csv).toHaveLength(3);
    expect(json.documents).toHaveLength(3);
    for (const row of rows) {
      const file = `data/${row.output_path.replace(/^documents\//, '')}`;
      const fromCsv = csv.find((r) => r.file === file)!;
      const fromJson = json.documents.find((d: { file: string }) => d.file === file);
      expect(fromCsv, file).toBeDefined();
      expect(sha256(path.join(bag, file))).toBe(row.output_sha256);
      expect(fromCsv).toMatchObject({
        title: row.title ?? '',
        collection: 'Obras',
        year: String(row.year ?? ''),
        document_type: row.document_type ?? '',
        date: row.doc_date ?? '',
        pages: String(row.pdf_pages),
        original_name: path.basename(row.source_path),
        original_path: row.relative_path,
        original_sha256: row.sha256,
        pdf_sha256: row.output_sha256,
        pdf_bytes: String(row.output_bytes),
      });
      expect(fromCsv.identifiers!.split('; ').filter(Boolean).sort()).toEqual(identifiersOf(row.id).sort());
      expect(fromJson).toMatchObject({ title: row.title, year: row.year, documentType: row.document_type, date: row.doc_date, pages: row.pdf_pages, originalSha256: row.sha256, pdfSha256: row.output_sha256, pdfBytes: row.output_bytes });
      expect(fromJson.identifiers.sort()).toEqual(identifiersOf(row.id).sort());
    }
    expect(identifiersOf(rows[0]!.id).length).toBeGreaterThan(0);
  });

  it('passes bagit.py --validate (the Library of Congress validator) when it is installed', (ctx) => {
    const probe = spawnSync('bagit.py', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      console.log('bagit.py is not installed (pip install bagit): skipping its validation; the bag was checked above by re-hashing.');
      ctx.skip();
    }
    const check = spawnSync('bagit.py', ['--validate', path.join(work, 'bag-obras')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('refuses an unknown collection, listing those there are', async () => {
    const run = await runCli(['export', '--collection', 'Saude', path.join(work, 'bag-saude'), '--library', library], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/COLLECTION_NOT_FOUND: .*"Saude".*its collections are: Gabinete \(2\), Obras \(3\)/);
    expect(existsSync(path.join(work, 'bag-saude'))).toBe(false);
  });

  it('refuses a folder that already holds files', async () => {
    const run = await runCli(['export', '--collection', 'Obras', path.join(work, 'bag-obras'), '--library', library], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EXPORT_TARGET_NOT_EMPTY: .*bag-obras already holds/);
  });
});

describe('a damaged library: a PDF altered by one byte, one deleted, one nobody owns', () => {
  let altered: Row;
  let deleted: Row;
  const stray = 'documents/Obras/1987/copia-avulsa.pdf';

  beforeAll(() => {
    const rows = catalogRows();
    altered = rows.find((r) => r.collection === 'Obras')!;
    deleted = rows.find((r) => r.collection === 'Gabinete')!;
    const file = path.join(library, altered.output_path);
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x01; // one bit of one byte
    writeFileSync(file, bytes);
    rmSync(path.join(library, deleted.output_path));
    copyFileSync(path.join(library, rows.find((r) => r.collection === 'Gabinete' && r.id !== deleted.id)!.output_path), path.join(library, stray));
  });

  it('verify lists each (exit 4) in --json', async () => {
    const run = await runCli(['verify', '--library', library, '--json'], { env });
    expect(run.code, run.stderr).toBe(4);
    const report = parseJsonOutput(run);
    expect(report.totals).toMatchObject({ documents: 5, files: 5, ok: 3, changed: 1, missing: 1, unexpected: 1, unreadable: 0 });
    expect(report.problems).toBe(3);
    expect(report.changed).toEqual([
      { kind: 'changed', file: 'pdf', documentId: altered.id, path: altered.output_path, expectedSha256: altered.output_sha256, actualSha256: sha256(path.join(library, altered.output_path)), message: null },
    ]);
    expect(report.missing).toEqual([{ kind: 'missing', file: 'pdf', documentId: deleted.id, path: deleted.output_path, expectedSha256: deleted.output_sha256, actualSha256: null, message: null }]);
    expect(report.unexpected.map((f: { path: string }) => f.path)).toEqual([stray]);
  });

  it('names them in the text summary and its report, and status counts them', async () => {
    const run = await runCli(['verify', '--library', library], { env });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/: 3 ok, 1 changed, 1 missing, 0 unreadable, 1 unexpected\./);
    expect(run.stdout).toContain(`CHANGED    ${altered.output_path} (SHA-256 was ${altered.output_sha256.slice(0, 12)}`);
    expect(run.stdout).toContain(`MISSING    ${deleted.output_path}`);
    expect(run.stdout).toContain(`UNEXPECTED ${stray}`);
    const reportText = /^Report: (.*\.txt)$/m.exec(run.stdout)![1]!;
    expect(readFileSync(reportText, 'utf8')).toContain(`CHANGED    ${altered.output_path}`);
    const status = parseJsonOutput(await runCli(['status', '--library', library, '--json'], { env }));
    expect(status.runs[0]).toMatchObject({ command: 'verify', failed: 3, skipped: 3 });
  });

  it('with --quiet still prints the problems', async () => {
    const run = await runCli(['verify', '--library', library, '--quiet'], { env });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain(`MISSING    ${deleted.output_path}`);
  });

  it('export refuses the changed PDF, naming it, and leaves no bag behind', async () => {
    const bag = path.join(work, 'bag-obras-2');
    const run = await runCli(['export', '--collection', 'Obras', bag, '--library', library], { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(new RegExp(`FIXITY_CHANGED: Nothing was exported: 1 PDF\\(s\\) changed since they were made: ${altered.output_path}`));
    expect(existsSync(bag)).toBe(false);
  });

  it('export refuses a collection whose PDF is missing, into an empty folder it then leaves empty', async () => {
    const bag = path.join(work, 'bag-gabinete');
    mkdirSync(bag);
    const run = await runCli(['export', '--collection', 'Gabinete', bag, '--library', library], { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(new RegExp(`FIXITY_MISSING: Nothing was exported: 1 PDF\\(s\\) missing: ${deleted.output_path}`));
    expect(readdirSync(bag)).toEqual([]);
  });
});
