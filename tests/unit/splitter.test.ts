import { describe, expect, it } from 'vitest';
import type { SplitOptions } from '../../core/model.js';
import { parseSeparatorCode, type SeparatorCode } from '../../core/separation/separator-code.js';
import { Splitter, type PageDecision } from '../../core/separation/splitter.js';

type Page = 'text' | 'blank' | string; // any other string: a barcode's text

/** Runs pages through a splitter: each page's part number (0: a separator), in page order. */
function split(options: SplitOptions, pages: Page[]): { parts: number[]; decisions: PageDecision[] } {
  const splitter = new Splitter(options);
  const decisions: PageDecision[] = [];
  pages.forEach((page, i) => {
    const code: SeparatorCode | null = page === 'text' || page === 'blank' ? null : parseSeparatorCode(page);
    decisions.push(...splitter.push({ pageNo: i + 1, code, blank: page === 'blank' }));
  });
  decisions.push(...splitter.end());
  expect(decisions.map((d) => d.pageNo)).toEqual(pages.map((_, i) => i + 1));
  return { parts: decisions.map((d) => (d.kind === 'keep' ? d.partNo : 0)), decisions };
}

const barcode: SplitOptions = { mode: 'barcode', blankPages: 1 };

describe('Splitter', () => {
  it('keeps everything in one part when nothing separates', () => {
    expect(split({ mode: 'none', blankPages: 1 }, ['text', 'blank', 'ACERVO-SEP', 'text']).parts).toEqual([1, 1, 1, 1]);
    expect(split(barcode, ['text', 'blank', 'text']).parts).toEqual([1, 1, 1]);
  });

  it('cuts at separator sheets, drops a leading sheet and a blank back after a sheet', () => {
    expect(split(barcode, ['ACERVO-SEP', 'text', 'text', 'ACERVO-SEP', 'blank', 'text', 'blank', 'ACERVO-SEP', 'text']).parts).toEqual([0, 1, 1, 0, 0, 2, 2, 0, 3]);
  });

  it('takes a barcode that is not Acervo\'s for a page of the document', () => {
    expect(split(barcode, ['text', 'PROC-1873/1987', 'ACERVO-SEPARATOR', 'text']).parts).toEqual([1, 1, 1, 1]);
  });

  it('gives a metadata sheet\'s fields to the next part only, a later sheet winning field by field', () => {
    const { decisions } = split(barcode, ['ACERVO:collection=Obras;box=12', 'text', 'ACERVO-SEP', 'ACERVO:box=13', 'text', 'ACERVO-SEP', 'text']);
    const starts = decisions.filter((d) => d.kind === 'keep' && d.startsPart);
    expect(starts.map((d) => d.kind === 'keep' && d.metadata)).toEqual([{ collection: 'Obras', box: '12' }, { box: '13' }, null]);
    expect(starts.map((d) => d.kind === 'keep' && d.separator?.page)).toEqual([1, 3, 6]);
  });

  it('cuts at every blank page with blankPages 1, never making an empty part', () => {
    expect(split({ mode: 'blank', blankPages: 1 }, ['blank', 'text', 'blank', 'blank', 'text', 'text', 'blank']).parts).toEqual([0, 1, 0, 0, 2, 2, 0]);
  });

  it('with blankPages 2 keeps a lone blank page and cuts at two or more', () => {
    expect(split({ mode: 'blank', blankPages: 2 }, ['text', 'blank', 'text', 'blank', 'blank', 'blank', 'text', 'blank']).parts).toEqual([1, 1, 1, 0, 0, 0, 2, 2]);
  });
});

describe('parseSeparatorCode', () => {
  it('reads the plain code and metadata fields in three languages', () => {
    expect(parseSeparatorCode(' acervo-sep ')).toEqual({ text: 'acervo-sep', metadata: null, warnings: [] });
    expect(parseSeparatorCode('ACERVO:coleção=Obras;caixa=12;ano=1987;tipo=alvara;data=1987-03-02;título=Alvará 412')).toEqual({
      text: 'ACERVO:coleção=Obras;caixa=12;ano=1987;tipo=alvara;data=1987-03-02;título=Alvará 412',
      metadata: { collection: 'Obras', box: '12', year: 1987, documentType: 'alvara', date: '1987-03-02', title: 'Alvará 412' },
      warnings: [],
    });
  });

  it('keeps a sheet with bad fields a separator, saying what was not understood', () => {
    const code = parseSeparatorCode('ACERVO:colour=red;year=87;box=');
    expect(code?.metadata).toBeNull();
    expect(code?.warnings).toEqual([expect.stringContaining('unknown field "colour"'), expect.stringContaining('year "87"'), expect.stringContaining('"box" has no value')]);
  });

  it('is not fooled by other barcodes', () => {
    expect(parseSeparatorCode('1873/1987')).toBeNull();
    expect(parseSeparatorCode('ACERVO-SEP-2')).toBeNull();
  });
});
