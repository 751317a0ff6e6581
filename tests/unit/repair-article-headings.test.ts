import { describe, expect, it } from 'vitest';
import { repairArticleHeadings } from '../../core/ocr/repair-article-headings.js';

const words = (text: string) => text.split(' ');
const repaired = (text: string) => repairArticleHeadings(words(text)).join(' ');

describe("the numbers of a statute's articles", () => {
  it('puts back the º read as a 2 where the articles follow each other', () => {
    // bleed-through 03 of the hard pages, as Tesseract read it.
    const read = 'RESUELVE: Artículo 12.- Fijase la tasa. Artículo 22.- El pago. Artículo 3º.- Los importes. Artículo 42.- Comuníquese.';
    expect(repaired(read)).toBe('RESUELVE: Artículo 1º.- Fijase la tasa. Artículo 2º.- El pago. Artículo 3º.- Los importes. Artículo 4º.- Comuníquese.');
    expect(repaired('DECRETA: Art. 1º Fica criado. Art. 22 Os servidores.')).toBe('DECRETA: Art. 1º Fica criado. Art. 2º Os servidores.');
  });

  it('leaves numbers that are what they read', () => {
    for (const text of [
      'Art. 11 Fica. Art. 12 Os. Art. 13 Este.',
      // A page that starts at article 12: the next one is 13, not the second.
      'Art. 12 Fica. Art. 13 Os.',
      // The first article alone: nothing confirms it is the first.
      'Artículo 12.- Fijase la tasa.',
      'Art. 9º Fica. Art. 10 Os. Art. 102 Este.',
    ]) {
      expect(repaired(text)).toBe(text);
    }
  });
});

describe('the sentence before a heading', () => {
  it('ends with a period, not a comma read for one', () => {
    // phone-photo 01 of the hard pages.
    expect(repaired('de novembro de 1999, Art. 2º Designar os servidores')).toBe('de novembro de 1999. Art. 2º Designar os servidores');
    expect(repaired('conforme a lei, Artículo 2º.- El pago')).toBe('conforme a lei. Artículo 2º.- El pago');
  });

  it('keeps the comma between articles cited in a sentence', () => {
    for (const text of ['previsto no Art. 5º, Art. 6º e Art. 7º da Lei', 'nos termos, Art. 5º da Lei', 'etc.,, Art. 2º Designar']) {
      expect(repaired(text)).toBe(text);
    }
  });
});
