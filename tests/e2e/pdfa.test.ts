/**
 * Archival output: every sample scan becomes a PDF/A-2b file (PDF/A-1b or plain PDF by option)
 * that keeps the PDF/A rules our writer could break, checked on the file with a real PDF parser
 * (tests/helpers/pdfa-rules.ts) and by `qpdf --check`. No validator such as veraPDF runs here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';
import { checkPdfa } from '../helpers/pdfa-rules.js';

const HAS_QPDF = spawnSync('qpdf', ['--version']).status === 0;
if (!HAS_QPDF) console.warn('qpdf --check skipped: qpdf is not installed (apt-get install qpdf)');

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-pdfa-'));
interface Converted {
  source: string;
  pdf: string;
  pdfConformance: string | null;
  pdfConformanceNote?: string;
}
let documents: Converted[] = [];
const BORN_DIGITAL = 'lei-1234-texto.pdf';

beforeAll(() => {
  // The samples as the global setup ingested them, with the defaults: read here, never changed.
  const result = inject('samplesRun');
  expect(result.code, result.stderr).toBe(0);
  documents = parseJsonOutput(result).documents;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('PDF/A-2b by default', () => {
  it('claims PDF/A-2B for every scan (a scanner\'s PDF included), and plain PDF for the born-digital PDF, saying why', () => {
    expect(documents.length).toBeGreaterThanOrEqual(13);
    for (const d of documents) expect(d.pdfConformance, d.source).toBe(d.source.endsWith(BORN_DIGITAL) ? null : 'PDF/A-2B');
    expect(documents.find((d) => d.source.endsWith(BORN_DIGITAL))!.pdfConformanceNote).toMatch(/^page 1 of the source PDF holds font \S+ not embedded$/);
  });

  it('keeps the PDF/A-2b rules in every scan PDF: XMP identification and schemas, Info = XMP, sRGB output intent, embedded fonts, no transparency, encryption, actions or LZW', async () => {
    for (const d of documents.filter((doc) => doc.pdfConformance)) {
      const report = await checkPdfa(d.pdf, 2);
      expect(report.problems, d.source).toEqual([]);
    }
  });

  it.skipIf(!HAS_QPDF)('passes qpdf --check without warnings', () => {
    for (const d of documents) {
      const check = spawnSync('qpdf', ['--check', d.pdf], { encoding: 'utf8' });
      expect(check.status, `${d.source}\n${check.stdout}${check.stderr}`).toBe(0);
    }
  });

  it("says nothing of PDF/A in the born-digital document's XMP, whose pages it cannot vouch for", async () => {
    const report = await checkPdfa(documents.find((d) => d.source.endsWith(BORN_DIGITAL))!.pdf, 2);
    expect(report.part).toBeNull();
    expect(report.xmp).not.toContain('pdfaid');
  });

  it('a checker that can fail: a PDF/A-2b file is not PDF/A-1b', async () => {
    const report = await checkPdfa(documents.find((d) => d.pdfConformance)!.pdf, 1);
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^header/), 'xmp: pdfaid:part is 2']));
  });
});

describe('--pdf-format', () => {
  const scans = path.join(work, 'few');
  beforeAll(() => {
    for (const file of ['Gabinete/1990/decreto-345.tif', 'Protocolo/1995/memorando-88.jpg', 'Saude/2001/certidao-negativa.pdf']) cpSync(path.join(SAMPLES_DIR, file), path.join(scans, file));
  });

  it('pdfa-1b writes PDF/A-1b files (PDF 1.4, part 1, a version 2 ICC profile)', async () => {
    const result = await runCli(['ingest', scans, '--library', path.join(work, 'library-1b'), '--pdf-format', 'pdfa-1b', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const converted: Converted[] = parseJsonOutput(result).documents;
    expect(converted.map((d) => d.pdfConformance)).toEqual(['PDF/A-1B', 'PDF/A-1B', 'PDF/A-1B']);
    for (const d of converted) expect((await checkPdfa(d.pdf, 1)).problems, d.source).toEqual([]);
  }, 120_000);

  it('pdf writes plain PDF: no PDF/A claim, no output intent', async () => {
    // One scan is enough to show the claim left out: the format does not depend on the input's.
    const result = await runCli(['ingest', path.join(scans, 'Protocolo'), '--library', path.join(work, 'library-plain'), '--pdf-format', 'pdf', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const converted: Converted[] = parseJsonOutput(result).documents;
    expect(converted.map((d) => d.pdfConformance)).toEqual([null]);
    const report = await checkPdfa(converted[0]!.pdf, 2);
    expect(report.part).toBeNull();
    expect(report.problems).toContain('output intent: none with /S /GTS_PDFA1');
  }, 120_000);
});
