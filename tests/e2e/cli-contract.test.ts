/** Exit codes and error lines as docs/reference/errors.md lists them, plus reindex and status. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { CLI, SAMPLES_DIR } from '../helpers/paths.js';
import { listSamples } from '../helpers/samples.js';

const samplesLibrary = inject('samplesLibrary');
const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('exit codes', () => {
  it('1 for bad usage: no library given', async () => {
    const run = await runCli(['ingest', path.join(work, 'nothing')], { cwd: work });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('acervo: error USAGE: No library folder: pass --library DIR (or set ACERVO_LIBRARY, or `library:` in acervo.yaml).');
  });

  it('1 for bad usage: an unknown option, or a bad --jobs value', async () => {
    expect((await runCli(['ingest', 'x', '--library', work, '--colour'])).code).toBe(1);
    const jobs = await runCli(['ingest', 'x', '--library', work, '--jobs', 'many']);
    expect(jobs.code).toBe(1);
    expect(jobs.stderr).toMatch(/USAGE: "many" is not a positive whole number/);
  });

  it('1 for an invalid config file, naming the setting', async () => {
    const config = path.join(work, 'bad.yaml');
    writeFileSync(config, 'ocr:\n  jobs: zero\n');
    const run = await runCli(['ingest', 'x', '--library', work, '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/acervo: error CONFIG_INVALID: Invalid setting ocr\.jobs/);
  });

  it('1 for a language without data, before any work starts', async () => {
    const run = await runCli(['ingest', 'x', '--library', path.join(work, 'lang'), '--lang', 'fra']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/LANGUAGE_UNAVAILABLE/);
    expect(existsSync(path.join(work, 'lang')), 'no library is created for a command that cannot run').toBe(false);
  });

  it('1 for searching a folder that is not a library', async () => {
    const run = await runCli(['search', 'alvara', '--library', path.join(work, 'none')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^acervo: error LIBRARY_NOT_FOUND: No Acervo library at /);
  });

  it('1 for an unusable query', async () => {
    const run = await runCli(['search', '   ', '--library', samplesLibrary]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/QUERY_INVALID/);
  });

  it('2 when an input does not exist (the rest of the batch is done)', async () => {
    const run = await runCli(['ingest', path.join(work, 'missing.tif'), '--library', path.join(work, 'lib2'), '--json']);
    expect(run.code).toBe(2);
    expect(parseJsonOutput(run).documents[0]).toMatchObject({ status: 'failed', error: { code: 'INPUT_NOT_FOUND' } });
  });

  it('3 when the catalog is damaged: fatal, with one line and no stack trace', async () => {
    const broken = path.join(work, 'broken');
    cpSync(samplesLibrary, broken, { recursive: true });
    writeFileSync(path.join(broken, 'catalog.sqlite'), 'this is not a database'.repeat(500));
    rmSync(path.join(broken, 'catalog.sqlite-wal'), { force: true });
    rmSync(path.join(broken, 'catalog.sqlite-shm'), { force: true });
    const run = await runCli(['status', '--library', broken]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^acervo: error CATALOG_CORRUPT: /);
  });
});

describe('reindex and status', () => {
  it('rebuilds the index from the catalog and finds the same hits', async () => {
    const copy = path.join(work, 'rebuild');
    cpSync(samplesLibrary, copy, { recursive: true });
    const before = parseJsonOutput(await runCli(['search', 'municipal', '--library', copy, '--json', '--limit', '50']));
    rmSync(path.join(copy, 'index'), { recursive: true, force: true });
    expect(parseJsonOutput(await runCli(['search', 'municipal', '--library', copy, '--json'])).total).toBe(0);

    const reindex = await runCli(['reindex', '--library', copy, '--json']);
    expect(reindex.code, reindex.stderr).toBe(0);
    const status = parseJsonOutput(await runCli(['status', '--library', copy, '--json']));
    expect(parseJsonOutput(reindex)).toMatchObject({ documents: status.catalog.done, pages: status.catalog.pages });

    const after = parseJsonOutput(await runCli(['search', 'municipal', '--library', copy, '--json', '--limit', '50']));
    expect(after.total).toBe(before.total);
    const key = (h: { documentId: number; page: number }) => `${h.documentId}:${h.page}`;
    expect(after.hits.map(key).sort()).toEqual(before.hits.map(key).sort());
  });

  it('status shows the catalog totals and the index in step with it', async () => {
    const run = await runCli(['status', '--library', samplesLibrary, '--json']);
    expect(run.code).toBe(0);
    const status = parseJsonOutput(run);
    const samples = listSamples();
    const pages = samples.reduce((n, s) => n + s.pages.length, 0);
    expect(status.catalog).toMatchObject({ documents: samples.length, done: samples.length, failed: 0, pages, pendingIndexUpdates: 0 });
    expect(status.index).toMatchObject({ backend: 'embedded', reachable: true, error: null, documents: samples.length, pages, inStep: true, pendingUpdates: 0, lastError: null });
    expect(status.index.location).toBe(path.join(samplesLibrary, 'index', 'search.sqlite'));
    expect(status.index.version).toMatch(/^Acervo index \d+\.\d+ \(SQLite 3\.\d+/);
  });
});

describe('an index from an older Acervo', () => {
  it('is laid out anew and rebuilt from the catalog by the next writing command; search and status say so meanwhile', async () => {
    const library = path.join(work, 'upgraded');
    cpSync(samplesLibrary, library, { recursive: true });
    const indexFile = path.join(library, 'index', 'search.sqlite');
    for (const leftover of [indexFile, `${indexFile}-wal`, `${indexFile}-shm`, `${indexFile}.segments`]) rmSync(leftover, { recursive: true, force: true });
    // What Acervo's SQLite FTS5 index (schema 3) looked like.
    const old = new Database(indexFile);
    old.exec(`CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, page_no INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL);
      CREATE VIRTUAL TABLE pages_fts USING fts5 (title, text, content = 'pages', content_rowid = 'id');`);
    old.pragma(`application_id = ${0x41435653}`);
    old.pragma('user_version = 3');
    old.close();

    const before = await runCli(['search', 'alvara', '--library', library, '--json']);
    expect(before.code).toBe(0);
    expect(parseJsonOutput(before).total).toBe(0);
    expect(before.stderr).toMatch(/the search index is empty; if the library holds documents, run acervo reindex/);
    const status = await runCli(['status', '--library', library]);
    expect(status.stdout).toMatch(/empty while the catalog holds documents: run acervo reindex/);

    const sync = await runCli(['index', '--sync', '--library', library]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/rebuilding it from the catalog first/);
    const after = parseJsonOutput(await runCli(['search', 'alvara', '--library', library, '--json']));
    expect(after.total).toBeGreaterThan(0);
    const again = await runCli(['index', '--sync', '--library', library]);
    expect(again.stderr).not.toMatch(/rebuilding/);
  });
});

describe('a library inside the folder it ingests', () => {
  it('never ingests its own files', async () => {
    const folder = path.join(work, 'scanner-share');
    cpSync(path.join(SAMPLES_DIR, 'Gabinete', '2003'), folder, { recursive: true });
    const library = path.join(folder, 'acervo');
    for (let run = 1; run <= 2; run++) {
      const result = await runCli(['ingest', folder, '--library', library, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const report = parseJsonOutput(result);
      expect(report.documents.map((d: { source: string }) => path.basename(d.source))).toEqual(['lei-1234-texto.pdf']);
      expect(report.totals).toMatchObject(run === 1 ? { indexed: 1 } : { skipped: 1 });
    }
  });
});

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!HAS_SCRIPT)('ingest on a terminal', () => {
  it('draws a progress bar with documents, pages, rate and ETA instead of log lines', () => {
    // util-linux `script` gives the CLI a pseudo-terminal, as a user's shell would.
    const command = [process.execPath, CLI, 'ingest', path.join(SAMPLES_DIR, 'Gabinete', '2003'), '--library', path.join(work, 'tty')]
      .map((arg) => `'${arg}'`)
      .join(' ');
    const run = spawnSync('script', ['-qefc', `stty cols 80; ${command}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
    expect(run.status, run.stdout).toBe(0);
    // An 80-column terminal shows the whole bar.
    expect(run.stdout).toMatch(/1\/1 documents \| 2 pages \| [\d.]+ pages\/min \| ETA \w+\u001b\[0K/);
    expect(run.stdout).not.toMatch(/^indexed /m);
    expect(run.stdout).toMatch(/Done: 1 document\(s\) — 1 indexed/);
  });
});
