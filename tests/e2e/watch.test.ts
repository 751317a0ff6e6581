/**
 * `acervo watch` with real folders and real processes: files dropped into inboxes become indexed
 * searchable PDFs exactly once, whatever the writers do and however the watcher is stopped.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { numberedPage, Watcher, writeNumberedPages } from '../helpers/watcher.js';
import { readEveryPageForReal } from '../helpers/readings-cache.js';

// How long reading takes is what these tests stage: no page comes from the run's readings cache.
readEveryPageForReal();

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-watch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh inbox and library, with settings that keep the tests quick. */
function setup(name: string, watch: Record<string, unknown> = {}): { dir: string; inbox: string; library: string } {
  const dir = path.join(work, name);
  const inbox = path.join(dir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const settings = { stableSeconds: 1, retryDelaySeconds: 0.3, maxAttempts: 2, statusIntervalSeconds: 0, ...watch };
  writeFileSync(path.join(dir, 'acervo.yaml'), JSON.stringify({ library: './library', ocr: { jobs: 2 }, watch: settings }));
  return { dir, inbox, library: path.join(dir, 'library') };
}

/** Every file below `folder`, relative and '/'-separated (hidden ones too). */
function filesBelow(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function searchHits(library: string, query: string): Promise<Array<{ documentId: number; page: number }>> {
  const result = await runCli(['search', query, '--library', library, '--json', '--limit', '100']);
  expect(result.code, result.stderr).toBe(0);
  return parseJsonOutput(result).hits;
}

/** Files dropped by a rename: they appear whole at once, as a scanner's temp-then-rename does. */
async function drop(inbox: string, numbers: readonly number[], subfolder = ''): Promise<string[]> {
  const staging = mkdtempSync(path.join(work, 'staging-'));
  const written = await writeNumberedPages(staging, numbers);
  const target = path.join(inbox, subfolder);
  mkdirSync(target, { recursive: true });
  return written.map((file) => {
    const to = path.join(target, path.basename(file));
    renameSync(file, to);
    return to;
  });
}

describe('acervo watch --once', () => {
  const { dir, inbox, library } = setup('once', {});
  let run: Awaited<ReturnType<typeof runCli>>;
  let runStarted: number;
  let runEnded: number;
  const ignored = ['.DS_Store', 'Thumbs.db', '~$carta.docx', 'scan-0099.pdf.part', '.escondida/doc.png'];
  const ignoredHashes: Record<string, string> = {};
  let cut: Buffer;

  it('converts what is in the inbox, moves the originals to processed/ keeping their folders, and exits 2 for the failures', async () => {
    writeFileSync(path.join(dir, 'acervo.yaml'), JSON.stringify({ library: './library', ocr: { jobs: 2 }, metadata: { pathTemplate: '{collection}/{year}/Caixa {box}' }, watch: { stableSeconds: 1, retryDelaySeconds: 0.3, maxAttempts: 2, statusIntervalSeconds: 0 } }));
    await drop(inbox, [1], 'Obras/1987/Caixa 12');
    await drop(inbox, [2]);
    const page = await numberedPage(3);
    cut = page.subarray(0, Math.floor(page.length / 2));
    writeFileSync(path.join(inbox, 'cortado.png'), cut);
    writeFileSync(path.join(inbox, 'notas.txt'), 'não é uma digitalização\n');
    for (const name of ignored) {
      mkdirSync(path.dirname(path.join(inbox, name)), { recursive: true });
      writeFileSync(path.join(inbox, name), name.endsWith('.png') ? await numberedPage(99) : 'x');
      ignoredHashes[name] = sha256(path.join(inbox, name));
    }
    runStarted = Date.now();
    run = await runCli(['watch', '--once', 'inbox'], { cwd: dir });
    runEnded = Date.now();
    expect(run.code, run.stderr).toBe(2);
    expect(filesBelow(path.join(inbox, 'processed'))).toEqual(['Obras/1987/Caixa 12/doc-0001.png', 'cortado.png', 'doc-0002.png']);
    expect(existsSync(path.join(inbox, 'Obras/1987/Caixa 12/doc-0001.png'))).toBe(false);
    expect(existsSync(path.join(inbox, 'doc-0002.png'))).toBe(false);
  });

  it('catalogs each document where its original now lies, with the metadata its folders carry', () => {
    const { documents } = readCatalog(library);
    const done = documents.filter((d) => d.status === 'done' && d.error_code === null);
    expect(done.map((d) => d.source_path).sort()).toEqual([path.join(inbox, 'processed', 'Obras/1987/Caixa 12/doc-0001.png'), path.join(inbox, 'processed', 'doc-0002.png')].sort());
    const boxed = done.find((d) => d.relative_path === 'Obras/1987/Caixa 12/doc-0001.png') as unknown as Record<string, unknown>;
    expect(boxed).toMatchObject({ collection: 'Obras', year: 1987, box: '12' });
  });

  it('moves a file that cannot be converted to failed/ with <name>.error.json: code, message, time, attempts', () => {
    expect(filesBelow(path.join(inbox, 'failed'))).toEqual(['notas.txt', 'notas.txt.error.json']);
    const failed = JSON.parse(readFileSync(path.join(inbox, 'failed', 'notas.txt.error.json'), 'utf8'));
    // Not an image at all: no use trying again.
    expect(failed).toMatchObject({ file: 'notas.txt', code: 'INPUT_UNSUPPORTED', attempts: 1 });
    // The time it was given up: during the run, however long the run took.
    expect(Date.parse(failed.time)).toBeGreaterThanOrEqual(runStarted);
    expect(Date.parse(failed.time)).toBeLessThanOrEqual(runEnded);
    const { documents } = readCatalog(library);
    expect(documents.filter((d) => d.status === 'failed').map((d) => [d.source_path, d.error_code])).toEqual([[path.join(inbox, 'failed', 'notas.txt'), 'INPUT_UNSUPPORTED']]);
  });

  it('keeps what a file still cut short after its attempts holds, marked incomplete, as ingest does; its original moved whole', async () => {
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
    // A truncated image may be a copy still in progress: tried again before what arrived is kept.
    expect(lines.filter((l) => l.event === 'file.retry').map((l) => [l.file, l.code, l.attempts])).toEqual([['cortado.png', 'INPUT_TRUNCATED', 1]]);
    const incomplete = lines.filter((l) => l.event === 'file.incomplete');
    expect(incomplete.map((l) => [l.file, l.code, l.pages])).toEqual([['cortado.png', 'INPUT_TRUNCATED', 1]]);
    expect(incomplete[0].message).toMatch(/cut short: it ends at byte \d+ before its end marker/);
    const kept = path.join(inbox, 'processed', 'cortado.png');
    expect(readFileSync(kept).equals(cut)).toBe(true);
    const { documents } = readCatalog(library);
    expect(documents.filter((d) => d.error_code === 'INPUT_TRUNCATED').map((d) => [d.source_path, d.status])).toEqual([[kept, 'done']]);
    // The run's report and `status` list it, as for ingest.
    const reportLine = lines.find((l) => l.event === 'run.finished');
    const report = JSON.parse(readFileSync(reportLine.report, 'utf8'));
    expect(report.incomplete).toEqual([expect.objectContaining({ file: kept, code: 'INPUT_TRUNCATED', pages: 1 })]);
    const status = await runCli(['status', '--library', library, '--json']);
    expect(parseJsonOutput(status).catalog).toMatchObject({ incomplete: 1, failed: 1 });
    // What arrived is searchable.
    expect((await searchHits(library, '0003')).length).toBe(1);
  });

  it('never touches temporary, hidden and system files', () => {
    for (const name of ignored) expect(sha256(path.join(inbox, name)), name).toBe(ignoredHashes[name]);
    const taken = run.stderr.trim().split('\n').map((line) => JSON.parse(line)).filter((l) => l.event === 'file.taken');
    expect([...new Set(taken.map((l) => l.file))].sort()).toEqual(['Obras/1987/Caixa 12/doc-0001.png', 'cortado.png', 'doc-0002.png', 'notas.txt']);
  });

  it('finds every converted document in the index once', async () => {
    expect((await searchHits(library, '0001')).length).toBe(1);
    expect((await searchHits(library, '0002')).length).toBe(1);
  });

  it('keeps or deletes the original instead when configured, and never converts a kept file twice', async () => {
    for (const onSuccess of ['keep', 'delete'] as const) {
      const s = setup(`once-${onSuccess}`, { onSuccess });
      await drop(s.inbox, [10]);
      const first = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
      expect(first.code, first.stderr).toBe(0);
      expect(existsSync(path.join(s.inbox, 'doc-0010.png'))).toBe(onSuccess === 'keep');
      expect(existsSync(path.join(s.inbox, 'processed'))).toBe(false);
      // Again: a kept file is unchanged; a scanner that reuses the name brings a new document.
      if (onSuccess === 'delete') writeFileSync(path.join(s.inbox, 'doc-0010.png'), await numberedPage(11));
      const second = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
      expect(second.code, second.stderr).toBe(0);
      const { documents } = readCatalog(s.library);
      expect(documents.filter((d) => d.status === 'done')).toHaveLength(onSuccess === 'keep' ? 1 : 2);
      expect((await searchHits(s.library, '0010')).length).toBe(1);
    }
  });

  it('watches several inboxes at once, each with its own processed/ folder', async () => {
    const s = setup('two-inboxes');
    const second = path.join(s.dir, 'protocolo');
    mkdirSync(second);
    await drop(s.inbox, [15]);
    await drop(second, [16], '1987');
    const result = await runCli(['watch', '--once', 'inbox', 'protocolo'], { cwd: s.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(filesBelow(path.join(s.inbox, 'processed'))).toEqual(['doc-0015.png']);
    expect(filesBelow(path.join(second, 'processed'))).toEqual(['1987/doc-0016.png']);
    expect(readCatalog(s.library).documents.map((d) => d.relative_path).sort()).toEqual(['1987/doc-0016.png', 'doc-0015.png']);
  });

  it('takes the same bytes dropped twice as one document', async () => {
    const s = setup('duplicate');
    const [file] = await drop(s.inbox, [20]);
    writeFileSync(path.join(s.inbox, 'copia.png'), readFileSync(file!));
    const result = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readCatalog(s.library).documents).toHaveLength(1);
    expect(result.stderr).toMatch(/"event":"file.duplicate"/);
    expect(filesBelow(path.join(s.inbox, 'processed'))).toEqual(['copia.png', 'doc-0020.png']);
  });

  it('moves originals to a processed folder on another file system (copy, then remove)', async () => {
    const elsewhere = mkdtempSync(path.join('/dev/shm', 'acervo-processed-'));
    try {
      const s = setup('cross-device', { processedDir: elsewhere });
      await drop(s.inbox, [30], 'Saude');
      expect(statSync(s.inbox).dev === statSync(elsewhere).dev, 'the test needs two file systems').toBe(false);
      const result = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(filesBelow(elsewhere)).toEqual(['Saude/doc-0030.png']);
      expect(filesBelow(s.inbox).filter((f) => !f.startsWith('.acervo'))).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('acervo watch (continuous)', () => {
  it('takes a file written slowly, in bursts, only once it is complete', async () => {
    const s = setup('slow-writer', { stableSeconds: 1 });
    const watcher = new Watcher(['inbox'], { cwd: s.dir });
    await watcher.waitFor((l) => l.event === 'watch.started');
    // Two writers: one pausing under the stability window, one pausing longer but holding the file open.
    const writer = async (target: string, n: number, pauseMs: number) => {
      const source = path.join(s.dir, `page-${n}.png`);
      writeFileSync(source, await numberedPage(n));
      return new Promise<void>((resolve, reject) => {
        const script = `
          const fs = require('fs');
          const data = fs.readFileSync(${JSON.stringify(source)});
          const fd = fs.openSync(${JSON.stringify(target)}, 'w');
          const chunk = Math.ceil(data.length / 5);
          let at = 0;
          const step = () => {
            fs.writeSync(fd, data, at, Math.min(chunk, data.length - at), at);
            at += chunk;
            if (at < data.length) setTimeout(step, ${pauseMs}); else fs.closeSync(fd);
          };
          step();`;
        const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
      });
    };
    await Promise.all([writer(path.join(s.inbox, 'lento.png'), 40, 600), writer(path.join(s.inbox, 'aberto.png'), 41, 1800)]);
    await watcher.waitForEvents('file.indexed', 2);
    watcher.signal('SIGTERM');
    expect((await watcher.exited()).code).toBe(0);
    expect(watcher.events('file.retry')).toEqual([]);
    expect(watcher.events('file.failed')).toEqual([]);
    expect(watcher.events('file.taken').map((l) => l.file).sort()).toEqual(['aberto.png', 'lento.png']);
    // Taken whole: the text of each reads its page's number, down to the last line.
    const { documents, pages } = readCatalog(s.library);
    expect(documents.map((d) => d.status)).toEqual(['done', 'done']);
    const textOf = (name: string) => pages.find((p) => p.document_id === documents.find((d) => d.relative_path === name)!.id)!.text;
    expect(textOf('lento.png')).toMatch(/0040[\s\S]*lido uma única vez/);
    expect(textOf('aberto.png')).toMatch(/0041[\s\S]*lido uma única vez/);
  });

  it('queues a burst of files as paths and works through them with the configured concurrency', async () => {
    const s = setup('burst', { stableSeconds: 0.5 });
    const watcher = new Watcher(['inbox'], { cwd: s.dir });
    await watcher.waitFor((l) => l.event === 'watch.started');
    // Six times what is held in hand at once (4): the rest must wait as queued paths.
    const numbers = Array.from({ length: 24 }, (_, i) => 100 + i);
    await drop(s.inbox, numbers, 'lote');
    await watcher.waitForEvents('file.indexed', numbers.length, 300_000);
    watcher.signal('SIGTERM');
    expect((await watcher.exited()).code).toBe(0);
    // Never more than twice `jobs` (2 OCR workers) files in hand at once, and that many kept busy.
    expect(Math.max(...watcher.events('file.taken').map((l) => l.inHand as number))).toBe(4);
    const { documents } = readCatalog(s.library);
    expect(documents.filter((d) => d.status === 'done')).toHaveLength(numbers.length);
    expect(new Set(documents.map((d) => d.sha256)).size).toBe(numbers.length);
    expect(filesBelow(path.join(s.inbox, 'lote'))).toEqual([]);
    expect(filesBelow(path.join(s.inbox, 'processed', 'lote'))).toHaveLength(numbers.length);
  });

  it('--poll finds new files by polling, and sweeps the files already there at start', async () => {
    const s = setup('poll');
    await drop(s.inbox, [50]);
    const logFile = path.join(s.dir, 'logs', 'watch.log');
    const watcher = new Watcher(['inbox', '--poll', '--poll-interval', '0.5', '--log-file', logFile], { cwd: s.dir });
    const started = await watcher.waitFor((l) => l.event === 'watch.started');
    expect(started).toMatchObject({ mode: 'poll', pollIntervalSeconds: 0.5 });
    await watcher.waitForEvents('file.indexed', 1);
    await drop(s.inbox, [51], 'Obras');
    await watcher.waitForEvents('file.indexed', 2);
    watcher.signal('SIGINT');
    expect((await watcher.exited()).code).toBe(0);
    expect(filesBelow(path.join(s.inbox, 'processed'))).toEqual(['Obras/doc-0051.png', 'doc-0050.png']);
    // The log file (rotated as every run's log is: watch.<n>.log) holds the same JSON lines as stderr.
    expect(readdirSync(path.dirname(logFile))).toEqual(['watch.1.log']);
    const logged = readFileSync(path.join(path.dirname(logFile), 'watch.1.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(logged.map((l) => l.event)).toEqual(watcher.lines.map((l) => l.event));
    expect(logged.find((l) => l.event === 'watch.stopped')).toMatchObject({ indexed: 2, failed: 0 });
    expect(logged.at(-1)).toMatchObject({ event: 'run.finished', indexed: 2, failed: 0 });
    expect(new Set(logged.map((l) => l.runId)).size).toBe(1);
  });

  it('refuses to watch an inbox another watcher holds, with a clear message and exit code 75', async () => {
    const s = setup('locked');
    const first = new Watcher(['inbox'], { cwd: s.dir });
    await first.waitFor((l) => l.event === 'watch.started');
    const second = await runCli(['watch', 'inbox', '--library', path.join(s.dir, 'other-library')], { cwd: s.dir });
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(new RegExp(`INBOX_LOCKED: The inbox .*inbox is in use by acervo watch \\(library .*\\) \\(process ${first.pid} on `));
    first.signal('SIGTERM');
    expect((await first.exited()).code).toBe(0);
    // Once it has stopped, the inbox can be watched again.
    const third = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
    expect(third.code, third.stderr).toBe(0);
  });

  it('on SIGTERM finishes the files in hand, takes no new one, and exits 0 leaving no temporary file', async () => {
    const s = setup('graceful');
    const dropped = await drop(s.inbox, [60, 61, 62, 63, 64, 65, 66, 67]);
    const watcher = new Watcher(['inbox', '--jobs', '1'], { cwd: s.dir });
    await watcher.waitForEvents('file.indexed', 1);
    await watcher.waitFor((l) => l.event === 'file.taken' && watcher.events('file.taken').length >= 2);
    watcher.signal('SIGTERM');
    expect((await watcher.exited()).code).toBe(0);
    const taken = watcher.events('file.taken').map((l) => l.file);
    expect(watcher.events('file.indexed').map((l) => l.file).sort()).toEqual([...taken].sort());
    expect(taken.length).toBeLessThan(dropped.length);
    expect(filesBelow(path.join(s.inbox, 'processed'))).toEqual([...taken].sort());
    expect(filesBelow(s.inbox).filter((f) => !f.startsWith('processed/') && !f.startsWith('.acervo'))).toEqual(
      dropped.map((f) => path.basename(f)).filter((f) => !taken.includes(f)),
    );
    expect(filesBelow(path.join(s.library, 'tmp'))).toEqual([]);
    // The next run takes the rest.
    const rest = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
    expect(rest.code, rest.stderr).toBe(0);
    expect(readCatalog(s.library).documents).toHaveLength(dropped.length);
  });

  it('after kill -9 at any moment, a restart converts every file exactly once', async () => {
    const s = setup('kill-9', { stableSeconds: 0.3 });
    const numbers = [70, 71, 72, 73, 74, 75, 76, 77, 78, 79];
    await drop(s.inbox, numbers, 'Protocolo/1987');
    // Killed in the middle of a conversion, right after a document was recorded, and at a random moment.
    const moments: Array<(w: Watcher) => Promise<unknown>> = [
      (w) => w.waitFor((l) => l.event === 'file.taken'),
      (w) => w.waitForEvents('file.indexed', 1),
      (w) => w.waitFor((l) => l.event === 'file.taken').then(() => new Promise((r) => setTimeout(r, 150))),
      (w) => w.waitFor((l) => l.event === 'file.taken').then(() => new Promise((r) => setTimeout(r, 900))),
    ];
    for (const moment of moments) {
      const watcher = new Watcher(['inbox'], { cwd: s.dir });
      await moment(watcher);
      watcher.signal('SIGKILL');
      expect((await watcher.exited()).signal).toBe('SIGKILL');
    }
    const last = await runCli(['watch', '--once', 'inbox'], { cwd: s.dir });
    expect(last.code, last.stderr).toBe(0);

    const { documents } = readCatalog(s.library);
    expect(documents.filter((d) => d.status === 'done')).toHaveLength(numbers.length);
    expect(documents).toHaveLength(numbers.length);
    expect(filesBelow(path.join(s.inbox, 'processed', 'Protocolo/1987'))).toEqual(numbers.map((n) => `doc-00${n}.png`));
    expect(filesBelow(path.join(s.inbox, 'Protocolo'))).toEqual([]);
    // Each document indexed once: one hit each, no more, no fewer.
    const hits = await searchHits(s.library, 'protocolo');
    expect(hits.map((h) => h.documentId).sort((a, b) => a - b)).toEqual(documents.map((d) => d.id).sort((a, b) => a - b));
    // No orphan or half-written PDF, no temporary file.
    const pdfs = filesBelow(path.join(s.library, 'documents'));
    expect(pdfs).toEqual(numbers.map((n) => `Protocolo/1987/doc-00${n}.pdf`));
    for (const pdf of pdfs) expect((await PDFDocument.load(readFileSync(path.join(s.library, 'documents', pdf)))).getPageCount()).toBe(1);
    expect(filesBelow(path.join(s.library, 'tmp'))).toEqual([]);
    expect(filesBelow(s.inbox).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
