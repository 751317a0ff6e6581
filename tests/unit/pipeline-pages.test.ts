/**
 * Pages through the real pipeline with the scripted OCR engine: blank pages kept or left out,
 * a page the engine fails on, pages read out of order and composed in order, and the stages'
 * times.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { STAGES } from '../../core/model.js';
import { PageSlots } from '../../core/pipeline/page-slots.js';
import { convert, jobFor, leftovers, pageNoOf, pdfPageCount, scriptedPages, useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

describe('blank pages', () => {
  it('are flagged, not read, and kept in the PDF by default', async () => {
    const batch = await writeBatch(['text', 'blank', 'text']);
    const engine = scriptedPages({});
    const job = jobFor(batch);
    const result = await convert(engine, job);
    const [document] = result.documents;
    expect(result.split).toBeNull();
    expect(document!.tempFile).toBe('');
    expect(document!.pages.map((p) => [p.pdfPageNo, p.corrections?.blank, p.textSource])).toEqual([[1, false, 'ocr'], [2, true, 'none'], [3, false, 'ocr']]);
    expect(engine.recognized.map(pageNoOf).sort()).toEqual([1, 3]);
    expect(await pdfPageCount(job)).toBe(3);
  });

  it('are left out of the PDF with --drop-blank, still listed, and the other pages keep their PDF page', async () => {
    const batch = await writeBatch(['blank', 'text', 'blank', 'blank', 'text']);
    const job = jobFor(batch, { clean: { dropBlank: true } });
    const result = await convert(scriptedPages({ 5: 'Certidão nº 77/1991' }), job);
    const pages = result.documents[0]!.pages;
    expect(pages.map((p) => p.pdfPageNo)).toEqual([null, 1, null, null, 2]);
    expect(pages[4]!.text).toBe('Certidão nº 77/1991');
    expect(await pdfPageCount(job)).toBe(2);
  });

  it('keep one page of an all-blank document even with --drop-blank: a PDF needs a page', async () => {
    const batch = await writeBatch(['blank', 'blank']);
    const job = jobFor(batch, { clean: { dropBlank: true } });
    const result = await convert(scriptedPages({}), job);
    expect(result.documents[0]!.pages.map((p) => p.pdfPageNo)).toEqual([1, null]);
    expect(await pdfPageCount(job)).toBe(1);
  });

  it('with --drop-blank in a split batch, each part keeps its own pages', async () => {
    const batch = await writeBatch(['text', 'blank', 'text', 'blank', 'blank', 'text']);
    const job = jobFor(batch, { clean: { dropBlank: true }, split: { mode: 'blank', blankPages: 2 } });
    const result = await convert(scriptedPages({}), job);
    expect(result.documents.map((d) => d.pages.map((p) => p.pdfPageNo))).toEqual([[1, null, 2], [1]]);
    expect(await Promise.all(result.documents.map((d) => pdfPageCount(job, d.tempFile)))).toEqual([2, 1]);
  });
});

describe('a page the OCR engine fails on', () => {
  it('fails the file with the engine\'s coded error, leaves no PDF or part behind and the original as it was, and gives back every page slot', async () => {
    // Blank mode: the first part (pages 1–2) is written before page 5 fails.
    const batch = await writeBatch(['text', 'text', 'blank', 'text', 'text', 'text']);
    const before = createHash('sha256').update(readFileSync(batch.file)).digest('hex');
    const engine = scriptedPages({ 5: new AppError('OCR_FAILED', 'The OCR engine failed on a page (scripted).') });
    const slots = new PageSlots(3);
    const job = jobFor(batch, { split: { mode: 'blank' } });
    await expect(convert(engine, job, slots)).rejects.toMatchObject({ code: 'OCR_FAILED' });
    expect(leftovers(job)).toEqual([]);
    expect(createHash('sha256').update(readFileSync(batch.file)).digest('hex')).toBe(before);
    let free = 0;
    while (slots.tryAcquire()) free++;
    expect(free).toBe(3);
  });
});

describe('pages read at once', () => {
  it('are composed in their order, whichever is read first', async () => {
    const batch = await writeBatch(['text', 'text', 'text', 'text', 'text']);
    // Earlier pages take longer: with four pages in hand, page 4 is read before page 1.
    const engine = scriptedPages(Object.fromEntries([1, 2, 3, 4, 5].map((n) => [n, { text: `Folha ${n}`, afterMs: (5 - n) * 40 }])), 4);
    const job = jobFor(batch);
    const result = await convert(engine, job, new PageSlots(4));
    expect(result.documents[0]!.pages.map((p) => [p.pageNo, p.pdfPageNo, p.text])).toEqual([1, 2, 3, 4, 5].map((n) => [n, n, `Folha ${n}`]));
  });
});

describe('stage times', () => {
  it('are recorded for every stage a file went through, wall and CPU, under the stages\' names', async () => {
    const batch = await writeBatch(['text', { separator: null }, 'text']);
    const result = await convert(scriptedPages({}), jobFor(batch, { split: { mode: 'barcode' } }));
    for (const timings of [result.timings, result.cpuTimings]) {
      expect(Object.keys(timings).sort()).toEqual(['clean', 'compose', 'decode', 'metadata', 'recognize', 'separate']);
      expect(Object.keys(timings).every((stage) => (STAGES as readonly string[]).includes(stage))).toBe(true);
      expect(Object.values(timings).every((ms) => ms >= 0)).toBe(true);
    }
  });

  it('have no separator reading when the file is not split at separator sheets', async () => {
    const batch = await writeBatch(['text']);
    const result = await convert(scriptedPages({}), jobFor(batch));
    expect(Object.keys(result.timings).sort()).toEqual(['clean', 'compose', 'decode', 'metadata', 'recognize']);
  });
});
