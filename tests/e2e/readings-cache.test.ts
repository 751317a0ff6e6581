/**
 * `ocr.readingsCache` through the built CLI: a batch ingested again into another library takes its
 * pages' readings from the folder (shown by an entry changed between the runs: the second library
 * holds the changed words), an entry that does not parse is read again by Tesseract, and a folder
 * that cannot be written costs nothing but the keeping.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { writeNumberedPages } from '../helpers/watcher.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-readings-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** This file's own cache folder, not the run's (tests/global-setup.ts): it changes entries. */
const cache = path.join(work, 'cache');
const env = { ACERVO_CONFIG: '/dev/null', ACERVO_OCR_READINGS_CACHE: cache };

const entries = (): string[] =>
  readdirSync(cache, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.json'))
    .map((name) => path.join(cache, name));
const pageText = (library: string): string => readCatalog(library).pages.map((p) => p.text).join('\n');

describe('the readings cache, through the CLI', () => {
  const scans = path.join(work, 'scans');

  it('keeps the reading of each page image, and a second ingest of the same scans reads them from it', async () => {
    mkdirSync(scans, { recursive: true });
    await writeNumberedPages(scans, [901]);
    const first = await runCli(['ingest', scans, '--library', path.join(work, 'lib-1'), '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(pageText(path.join(work, 'lib-1'))).toMatch(/0901\/1987/);
    const readings = entries().filter((file) => readFileSync(file, 'utf8').includes('0901'));
    expect(readings).toHaveLength(1);

    // The entry now says something no page says: a run that reads it from the folder shows it.
    writeFileSync(readings[0]!, readFileSync(readings[0]!, 'utf8').replaceAll('0901', '7777'));
    const second = await runCli(['ingest', scans, '--library', path.join(work, 'lib-2'), '--json'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(pageText(path.join(work, 'lib-2'))).toMatch(/7777\/1987/);
    expect(pageText(path.join(work, 'lib-2'))).not.toMatch(/0901/);
  });

  it('reads a page again when its entry does not parse, and puts the reading back', async () => {
    const [reading] = entries().filter((file) => readFileSync(file, 'utf8').includes('7777'));
    writeFileSync(reading!, '{"answer": {"lines": [');
    const third = await runCli(['ingest', scans, '--library', path.join(work, 'lib-3'), '--json'], { env });
    expect(third.code, third.stderr).toBe(0);
    expect(pageText(path.join(work, 'lib-3'))).toMatch(/0901\/1987/);
    expect(JSON.parse(readFileSync(reading!, 'utf8')).answer.text).toMatch(/0901/);
  });

  it('still converts every page when the folder cannot be written', async () => {
    // A folder below a file: it cannot be made, whoever runs the test (root included).
    writeFileSync(path.join(work, 'a-file'), 'not a folder');
    const locked = path.join(work, 'a-file', 'cache');
    const other = path.join(work, 'other-scans');
    mkdirSync(other);
    await writeNumberedPages(other, [902]);
    const run = await runCli(['ingest', other, '--library', path.join(work, 'lib-4'), '--json'], { env: { ...env, ACERVO_OCR_READINGS_CACHE: locked } });
    expect(run.code, run.stderr).toBe(0);
    expect(pageText(path.join(work, 'lib-4'))).toMatch(/0902\/1987/);
  });
});
