/**
 * A batch scan cut into its documents by the real pipeline (decode, clean, separator codes,
 * splitter, compose, metadata), with the scripted OCR engine: separator sheets, their blank
 * backs and blank pages, as `--split barcode` and `--split blank` cut them.
 */
import { describe, expect, it } from 'vitest';
import type { ConvertResult } from '../../core/model.js';
import { ScriptedEngine } from '../../core/ocr/scripted-engine.js';
import { convert, jobFor, pageNoOf, pdfPageCount, scriptedPages, useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

/** Each document's pages of the batch, in order. */
function partsOf(result: ConvertResult): number[][] {
  return result.documents.map((document) => document.pages.map((page) => page.pageNo + (document.sourcePages?.first ?? 1) - 1));
}

describe('convertDocument, split at separator sheets (barcode)', () => {
  it('cuts the batch at each sheet, leaves out the sheets and a sheet\'s blank back, and reads none of them', async () => {
    const batch = await writeBatch(['text', { separator: { collection: 'Obras', box: '12' } }, 'blank', 'text', 'text', { separator: null }, 'text']);
    const engine = scriptedPages({
      1: 'Ofício nº 12/1987\nSenhor Prefeito, encaminhamos o processo',
      4: 'ALVARÁ DE LICENÇA Nº 412/1987\nFica licenciada a obra',
      7: 'DECRETO Nº 345/1990\nO Prefeito Municipal decreta',
    });
    const job = jobFor(batch, { split: { mode: 'barcode' } });
    const result = await convert(engine, job);

    expect(result.split).toMatchObject({ mode: 'barcode', parts: 3 });
    expect(result.split!.separators.map((s) => [s.page, s.kind])).toEqual([[2, 'barcode'], [3, 'blank'], [6, 'barcode']]);
    expect(partsOf(result)).toEqual([[1], [4, 5], [7]]);
    expect(result.documents.map((d) => d.sourcePages)).toEqual([{ first: 1, last: 1 }, { first: 4, last: 5 }, { first: 7, last: 7 }]);
    expect(result.documents.map((d) => d.separator?.page ?? null)).toEqual([null, 2, 6]);
    // The sheet's fields describe the part after it only.
    expect(result.documents[1]!.metadata).toMatchObject({ collection: 'Obras', box: '12' });
    expect(result.documents[2]!.metadata.box).not.toBe('12');
    expect(result.documents[1]!.pages[0]!.text).toContain('412/1987');
    expect(engine.recognized.map(pageNoOf).sort()).toEqual([1, 4, 5, 7]);
    // Each part is its own PDF, hidden beside the output until the caller knows how many there are.
    for (const document of result.documents) {
      expect(document.tempFile).toMatch(/^\.acervo-part-.+\.pdf$/);
      expect(await pdfPageCount(job, document.tempFile)).toBe(document.pages.length);
    }
  });

  it("takes a sheet's punched back for its back, not for page 1 of the next document", async () => {
    const batch = await writeBatch(['text', { separator: null }, 'punched', 'text']);
    const result = await convert(scriptedPages({}), jobFor(batch, { split: { mode: 'barcode' } }));
    expect(result.split!.separators.map((s) => [s.page, s.kind])).toEqual([[2, 'barcode'], [3, 'blank']]);
    expect(partsOf(result)).toEqual([[1], [4]]);
  });

  it('keeps a batch without a sheet whole, as one part', async () => {
    const batch = await writeBatch(['text', 'blank', 'text']);
    const result = await convert(scriptedPages({}), jobFor(batch, { split: { mode: 'barcode' } }));
    expect(result.split).toEqual({ mode: 'barcode', separators: [], parts: 1 });
    expect(partsOf(result)).toEqual([[1, 2, 3]]);
    // Asked to split and found nothing to split at: said, with a code.
    expect(result.warnings).toEqual([{ code: 'SPLIT_FOUND_NOTHING', message: expect.stringMatching(/No separator sheet was found.*kept whole, as one document of 3 page/) }]);
  });

  it('keeps a file of nothing but a separator sheet as one document of that page, rather than lose it, and warns', async () => {
    const batch = await writeBatch([{ separator: null }, 'blank']);
    const engine = scriptedPages({});
    const job = jobFor(batch, { split: { mode: 'barcode' } });
    const result = await convert(engine, job);
    expect(result.split).toMatchObject({ parts: 1, separators: [{ page: 2, kind: 'blank' }] });
    expect(partsOf(result)).toEqual([[1]]);
    expect(result.documents[0]!.pages[0]).toMatchObject({ pdfPageNo: 1, textSource: 'none', corrections: null });
    expect(await pdfPageCount(job, result.documents[0]!.tempFile)).toBe(1);
    expect(engine.recognized).toEqual([]);
    expect(result.warnings).toEqual([{ code: 'SPLIT_ONLY_SEPARATORS', message: expect.stringMatching(/only separator pages \(pages 1, 2\) and no page of a document/) }]);
  });

  it('warns of a file of a separator sheet alone, and says nothing of a batch it cut', async () => {
    const alone = await convert(scriptedPages({}), jobFor(await writeBatch([{ separator: { box: '7' } }]), { split: { mode: 'barcode' } }));
    expect(alone.warnings?.map((w) => w.code)).toEqual(['SPLIT_ONLY_SEPARATORS']);
    expect(alone.warnings![0]!.message).toMatch(/\(page 1\)/);
    const cut = await convert(scriptedPages({}), jobFor(await writeBatch(['text', { separator: null }, 'text']), { split: { mode: 'barcode' } }));
    expect(cut.warnings).toBeUndefined();
    const plain = await convert(scriptedPages({}), jobFor(await writeBatch(['text']), {}));
    expect(plain.warnings).toBeUndefined();
  });
});

describe('convertDocument, split at blank pages', () => {
  it('with one blank page: every blank page separates, and no part is empty', async () => {
    const batch = await writeBatch(['blank', 'text', 'blank', 'text', 'text', 'blank', 'blank', 'text', 'blank']);
    const engine = scriptedPages({});
    const result = await convert(engine, jobFor(batch, { split: { mode: 'blank', blankPages: 1 } }));
    expect(result.split!.separators.map((s) => [s.page, s.kind])).toEqual([[1, 'blank'], [3, 'blank'], [6, 'blank'], [7, 'blank'], [9, 'blank']]);
    expect(partsOf(result)).toEqual([[2], [4, 5], [8]]);
    expect(engine.recognized.map(pageNoOf).sort()).toEqual([2, 4, 5, 8]);
  });

  it('takes a punched blank page for a separator (its holes are not ink)', async () => {
    const batch = await writeBatch(['text', 'punched', 'text']);
    const result = await convert(scriptedPages({}), jobFor(batch, { split: { mode: 'blank', blankPages: 1 } }));
    expect(result.split!.separators.map((s) => [s.page, s.kind])).toEqual([[2, 'blank']]);
    expect(partsOf(result)).toEqual([[1], [3]]);
  });

  it('takes the back of a sheet showing through for a blank separator: it reads as nothing, its mirror image as text', async () => {
    const batch = await writeBatch(['text', 'text', 'text']);
    // Page 2 as tesseract.js reads a dark back: nonsense as it shows, text mirrored (its second reading).
    let page2 = 0;
    const engine = new ScriptedEngine((image) => {
      if (pageNoOf(image) !== 2) return `Folha ${pageNoOf(image)} do processo administrativo`;
      return ++page2 === 1 ? { text: 'STBMÃÊO 6 92-ViMU9T ofeops ab 23m ob\ns9m99il ab 0229001q ob 161611 SsI15q', confidence: 47 } : { text: 'do mês de agosto reuniu-se a Câmara\nMunicipal para tratar do processo', confidence: 96 };
    });
    const result = await convert(engine, jobFor(batch, { split: { mode: 'blank', blankPages: 1 } }));
    expect(page2).toBe(2);
    expect(result.split!.separators.map((s) => [s.page, s.kind])).toEqual([[2, 'blank']]);
    expect(partsOf(result)).toEqual([[1], [3]]);
    expect(result.documents.flatMap((d) => d.pages.map((p) => p.text)).join(' ')).not.toMatch(/Câmara|ofeops/);
  });

  it('with two blank pages: a lone blank page stays in its document, flagged, and two or more separate', async () => {
    const batch = await writeBatch(['text', 'blank', 'text', 'blank', 'blank', 'blank', 'text', 'blank']);
    const job = jobFor(batch, { split: { mode: 'blank', blankPages: 2 } });
    const result = await convert(scriptedPages({}), job);
    expect(result.split!.separators.map((s) => s.page)).toEqual([4, 5, 6]);
    expect(partsOf(result)).toEqual([[1, 2, 3], [7, 8]]);
    expect(result.documents[0]!.pages.map((p) => p.corrections?.blank)).toEqual([false, true, false]);
    // A blank page kept is in the PDF (only --drop-blank leaves it out).
    expect(await pdfPageCount(job, result.documents[1]!.tempFile)).toBe(2);
  });
});
