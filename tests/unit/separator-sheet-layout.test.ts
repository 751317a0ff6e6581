/**
 * The separator sheet's printed words (issue 27, point 4): every line inside the page's margins
 * whatever the length of the code and the fields, the code whole, a space after each label, and a
 * sheet that cannot hold its fields refused before anything is written. Read back from the PDF's
 * text by pdf.js, as a viewer or a printer driver sees it.
 */
import { describe, expect, it } from 'vitest';
import { pdfjs } from '../../core/pipeline/decode/pdfjs.js';
import { separatorSheetPdf } from '../../core/separation/separator-sheet.js';

const MM = 72 / 25.4;

/** Text without its spaces: a viewer drops the space a line ends with. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

async function printedLines(pdf: Uint8Array): Promise<Array<{ text: string; x0: number; x1: number; y: number; size: number }>> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: pdfjs.VerbosityLevel.ERRORS }).promise;
  try {
    const content = await (await doc.getPage(1)).getTextContent();
    return content.items.flatMap((item) => ('str' in item && item.str ? [{ text: item.str, x0: item.transform[4] as number, x1: (item.transform[4] as number) + item.width, y: item.transform[5] as number, size: item.transform[0] as number }] : []));
  } finally {
    await doc.destroy();
  }
}

describe('separator sheet text', () => {
  it('keeps a long code and long fields inside the margins, the code whole, a space after each label', async () => {
    const metadata = {
      collection: 'Secretaria Municipal de Obras e Urbanismo',
      series: 'Alvarás de construção, reforma e demolição de edificações residenciais e comerciais',
      title: `Processo administrativo ${'1873/1987-'.repeat(14)}fim e mais palavras que não cabem numa linha só do papel A4 impresso`,
      notes: 'X'.repeat(150),
      year: 1987,
      box: '12',
    };
    const { pdf, code } = await separatorSheetPdf(metadata);
    const lines = await printedLines(pdf);
    for (const line of lines) {
      expect(line.x0, line.text).toBeGreaterThanOrEqual(20 * MM - 0.5);
      expect(line.x1, line.text).toBeLessThanOrEqual(190 * MM + 0.5);
      expect(line.y, line.text).toBeGreaterThanOrEqual(14 * MM);
    }
    const text = lines.map((l) => l.text).join('');
    expect(squeeze(text)).toContain(squeeze(code));
    expect(text).toContain('Ano / Año / Year: 1987');
    expect(text).toContain('Caixa / Caja / Box: 12');
    expect(text).toContain('X'.repeat(150));
    expect(text).toMatch(/Série \/ Serie \/ Series: Alvarás/);
  });

  it('prints a short sheet in full-size type, on one line per field', async () => {
    const lines = await printedLines((await separatorSheetPdf({ collection: 'Obras', box: '12' })).pdf);
    expect(lines.find((l) => l.text === 'ACERVO:collection=Obras;box=12')?.size).toBe(12);
    expect(lines.map((l) => l.text).join('')).toContain('Fundo / Colección / Collection: Obras');
  });

  it('fits the most a code can hold, in smaller type, and refuses more before writing anything', async () => {
    // About the most a QR code at level Q holds (1,663 bytes): the text is as long as it can ever be.
    const { pdf, code } = await separatorSheetPdf({ title: 'Alvará '.repeat(60).trim(), notes: 'palavra '.repeat(140).trim() });
    const lines = await printedLines(pdf);
    for (const line of lines) {
      expect(line.x1, line.text).toBeLessThanOrEqual(190 * MM + 0.5);
      expect(line.y, line.text).toBeGreaterThanOrEqual(14 * MM);
    }
    expect(squeeze(lines.map((l) => l.text).join(''))).toContain(squeeze(code));
    expect(Math.min(...lines.map((l) => l.size))).toBeLessThan(11);
    await expect(separatorSheetPdf({ notes: 'palavra '.repeat(400) })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
