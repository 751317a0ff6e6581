/**
 * Bad input never stops a batch and loses nothing: each broken file gets one coded line, the
 * good file is processed, an image cut short keeps the part that arrived (marked incomplete),
 * originals are untouched and no partial PDF is left behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree } from '../global-setup.js';
import { BAD_INPUTS, INCOMPLETE_INPUTS, writeBadInputs } from '../helpers/bad-inputs.js';
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
    for (const [name, code] of Object.entries(INCOMPLETE_INPUTS)) {
      expect(byName[name], name).toMatchObject({ status: 'indexed', incomplete: true, pages: 1, pdf: expect.any(String), error: { code } });
      expect(byName[name].error.message, name).toMatch(/cut short: it ends at byte \d+/);
    }
    expect(report.totals).toMatchObject({ documents: 9, indexed: 3, failed: 6, incomplete: 2 });
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
    const made = parseJsonOutput(run).documents.filter((d: { pdf: string | null }) => d.pdf !== null).map((d: { pdf: string }) => path.basename(d.pdf));
    expect(made).toHaveLength(1 + Object.keys(INCOMPLETE_INPUTS).length);
    expect(readdirSync(path.join(library, 'documents')).sort()).toEqual(made.sort());
    expect(readdirSync(path.join(library, 'tmp'))).toEqual([]);
  });

  it('records each failure in the catalog with its code and message', () => {
    const { documents } = readCatalog(library);
    for (const [name, code] of Object.entries(BAD_INPUTS)) {
      const doc = documents.find((d) => path.basename(d.source_path) === name);
      expect(doc, name).toMatchObject({ status: 'failed', error_code: code, output_path: null });
    }
    for (const [name, code] of Object.entries(INCOMPLETE_INPUTS)) {
      const doc = documents.find((d) => path.basename(d.source_path) === name);
      expect(doc, name).toMatchObject({ status: 'done', error_code: code });
    }
  });

  it('keeps the catalog usable: the good document is searchable', async () => {
    const search = await runCli(['search', 'alvara', '--library', library, '--json']);
    expect(search.code).toBe(0);
    const result = parseJsonOutput(search);
    // The good page, and the cut ones where the word arrived.
    expect(result.hits.map((hit: { pdf: string }) => path.basename(hit.pdf))).toContain('good.pdf');
    for (const hit of result.hits) expect(existsSync(hit.pdf)).toBe(true);
  });
});
