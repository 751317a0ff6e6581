/**
 * Bad input never stops a batch and loses nothing: each broken file gets one coded line, the
 * good file is processed, originals are untouched and no partial PDF is left behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree } from '../global-setup.js';
import { BAD_INPUTS, writeBadInputs } from '../helpers/bad-inputs.js';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli, type CliResult } from '../helpers/cli.js';
import { makePage } from '../helpers/make-page.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bad-'));
const inbox = path.join(work, 'inbox');
const library = path.join(work, 'library');
let run: CliResult;
let before: Record<string, string>;

beforeAll(async () => {
  const page = await makePage([['Requerimento', 'de', 'alvará', 'deferido']], { width: 1600, height: 500, dpi: 300, size: 60, left: 100, top: 150, lineGap: 120 });
  await writeBadInputs(inbox, page.png);
  before = hashTree(inbox);
  run = await runCli(['ingest', inbox, '--library', library, '--json', '--lang', 'por']);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a batch full of broken files', () => {
  it('exits 2: some inputs failed, the rest were done', () => {
    expect(run.code, run.stderr).toBe(2);
  });

  it('processes the good file and fails each bad one with its stable code', () => {
    const report = parseJsonOutput(run);
    const byName = Object.fromEntries(report.documents.map((d: { source: string }) => [path.basename(d.source), d]));
    expect(byName['good.png']).toMatchObject({ status: 'indexed', pages: 1, error: null });
    for (const [name, code] of Object.entries(BAD_INPUTS)) {
      expect(byName[name], name).toMatchObject({ status: 'failed', pdf: null, error: { code } });
      expect(byName[name].error.message.length, name).toBeGreaterThan(20);
    }
    expect(report.totals).toMatchObject({ documents: 9, indexed: 1, failed: 8 });
  });

  it('prints one line per broken file on stderr, naming the file and the code', () => {
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('FAILED'));
    expect(lines).toHaveLength(Object.keys(BAD_INPUTS).length);
    for (const [name, code] of Object.entries(BAD_INPUTS)) {
      expect(lines.filter((l) => l.includes(path.join(inbox, name)) && l.includes(`: ${code}: `)), name).toHaveLength(1);
    }
  });

  it('changes no original and leaves no PDF or temporary file for the broken ones', () => {
    expect(hashTree(inbox)).toEqual(before);
    expect(readdirSync(path.join(library, 'documents'))).toEqual(['good.pdf']);
    expect(readdirSync(path.join(library, 'tmp'))).toEqual([]);
  });

  it('records each failure in the catalog with its code and message', () => {
    const { documents } = readCatalog(library);
    for (const [name, code] of Object.entries(BAD_INPUTS)) {
      const doc = documents.find((d) => path.basename(d.source_path) === name);
      expect(doc, name).toMatchObject({ status: 'failed', error_code: code, output_path: null });
    }
  });

  it('keeps the catalog usable: the good document is searchable', async () => {
    const search = await runCli(['search', 'alvara', '--library', library, '--json']);
    expect(search.code).toBe(0);
    const result = parseJsonOutput(search);
    expect(result.total).toBe(1);
    expect(path.basename(result.hits[0].pdf)).toBe('good.pdf');
    expect(existsSync(result.hits[0].pdf)).toBe(true);
  });
});
