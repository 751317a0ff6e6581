/**
 * Redacted copies of a corrected document (issue 25, point 1 with issue 21's copies): made after a
 * correction, a copy says the corrected text, whether the library's PDF was already written with
 * it or still waits; and a corrected page text that now holds a person's number has that number
 * burned out and gone from the copy's text, checked as an attacker would: every digit looked for
 * in what poppler's pdftotext and pdf.js read of the copy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyCorrections, currentPdf } from '../../core/pipeline/apply-corrections.js';
import { redactPdf } from '../../core/redaction/redaction.js';
import { HAS_PDFTOTEXT, pdftotext, readPdf } from '../helpers/pdf-text.js';
import { libraryWith, type TestLibrary } from './corrections-library.js';
import { useBatchFolder } from './pipeline-fixtures.js';

useBatchFolder();

// The machine misread the number's last digit (no valid CPF, nothing to cover); staff corrected it.
// A line between the name and the number: the scripted page's lines are close, and a box's padding
// reaches the line above it (as it should: better a letter too many covered than a digit's edge shown).
const MACHINE = 'Requerente Joao Slva\nresidente nesta cidade\nCPF 111.444.777-3S';
const CORRECTED = 'Requerente João da Silva\nresidente nesta cidade\nCPF 111.444.777-35';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-corrected-copy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let lib: TestLibrary | null = null;
afterEach(() => {
  lib?.close();
  lib = null;
});

const facts = { title: 'Alvará', documentId: 1, madeBy: 'arquivista', madeAt: new Date('2026-05-01T10:00:00Z'), producer: 'Acervo test' };

/** Everything a reader gets out of the copy's text: poppler's and pdf.js's. */
async function readable(copy: Uint8Array, name: string): Promise<string> {
  const file = path.join(folder, name);
  writeFileSync(file, copy);
  const viaPdfjs = (await readPdf(file)).pages.map((page) => page.text).join('\n');
  return `${HAS_PDFTOTEXT ? pdftotext(file) : ''}\n${viaPdfjs}`;
}

describe('a redacted copy made after a correction', () => {
  it('says the corrected text and shows no digit of the number the correction holds, before the PDF is rewritten', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    expect(lib.catalog.getDocument(lib.documentId)!.personalData).toBe(1);
    const before = readFileSync(lib.pdf);
    // The PDF as corrected (the library's file still waits): the number is in its text, to be covered.
    const corrected = await currentPdf(lib.library, lib.catalog, lib.documentId, 'Acervo test');
    expect(readFileSync(lib.pdf).equals(before)).toBe(true);
    expect(await readable(corrected, 'corrected.pdf')).toContain('111.444.777-35');

    const copy = await redactPdf(corrected, [], facts);
    expect(copy.boxes).toBeGreaterThan(0);
    const text = await readable(copy.pdf, 'copy-pending.pdf');
    expect(text).toContain('João');
    expect(text).toContain('Silva');
    expect(text).not.toMatch(/\d/);
  });

  it('says the corrected text and shows no digit of the number once the PDF is rewritten', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    await applyCorrections({ library: lib.library, catalog: lib.catalog, producer: 'Acervo test' });
    const pdf = new Uint8Array(readFileSync(lib.pdf));
    expect(await readable(pdf, 'rewritten.pdf')).toContain('111.444.777-35');
    // Nothing waits: the copy is made from the library's file itself.
    expect(Buffer.from(await currentPdf(lib.library, lib.catalog, lib.documentId, 'Acervo test')).equals(Buffer.from(pdf))).toBe(true);

    const copy = await redactPdf(pdf, [], facts, { contacts: false });
    const text = await readable(copy.pdf, 'copy-rewritten.pdf');
    expect(text).toContain('João');
    expect(text).not.toMatch(/\d/);
    // Nor anywhere in the copy's bytes as plain text (metadata, leftovers of the original).
    expect(Buffer.from(copy.pdf).toString('latin1')).not.toContain('111.444.777');
  });
});
