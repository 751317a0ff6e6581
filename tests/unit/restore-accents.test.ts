/**
 * Putting back misread accents: against the real Portuguese, Spanish and English dictionaries the
 * project ships, the accents Tesseract drops or confuses come back, while words the dictionaries
 * know, older spellings, capitals, names and ambiguous words are left exactly as read; the page's
 * text and its words agree afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcrPage } from '../../core/model.js';
import type { OcrEngine } from '../../core/ocr/ocr-engine.js';
import { withAccentsRestored } from '../../core/ocr/accent-restoring-engine.js';
import { accentRepair, restoreAccents, type AccentRepair } from '../../core/ocr/restore-accents.js';
import { knowsWord, lexiconFor } from '../../core/ocr/spelling-lexicon.js';

let accents: AccentRepair;
const repair = (word: string, language = 'por') => accents.repair(word, language);

beforeAll(async () => {
  const lexicon = await lexiconFor(['por', 'spa', 'eng']);
  expect(lexicon).not.toBeNull();
  accents = accentRepair(lexicon!);
});

describe('one word, against the shipped dictionaries', () => {
  it.each([
    ['vacinacáo', 'vacinação'],
    ['Servicos', 'Serviços'],
    ['providéncias', 'providências'],
    ['deveráo', 'deverão'],
    ['Capáo', 'Capão'],
    ['tambem', 'também'],
    ['Joao', 'João'],
    ['Jose', 'José'],
    ['nao', 'não'],
    ['vígente', 'vigente'],
    ['(publicacáo).', '(publicação).'],
    ['Licitacoes:', 'Licitações:'],
    ['pronto-atendimento,', 'pronto-atendimento,'],
    ['Secretaria-Geral', 'Secretaria-Geral'],
  ])('%s → %s', (read, expected) => {
    expect(repair(read)).toBe(expected);
  });

  it('reads a Spanish page against the Spanish dictionary', () => {
    expect(repair('informacion', 'spa')).toBe('información');
    expect(repair('ségún', 'spa')).toBe('según');
    expect(repair('nao', 'spa')).toBe('nao');
    expect(repair('Jose', 'eng')).toBe('Jose');
  });

  it('keeps the words the dictionary knows, even where another accent would make another word', () => {
    for (const word of ['Oficio', 'publica', 'secretaria', 'de', 'as', 'ferias']) expect(repair(word)).toBe(word);
    for (const word of ['pena', 'Fijase', 'de']) expect(repair(word, 'spa')).toBe(word);
  });

  it('takes no accent away that leaves the word bare, so the spellings of older records stay as typed', () => {
    for (const word of ['idéia', 'freqüente', 'sôbre', 'assembléia', 'vôo', 'heróico', 'sòmente']) expect(repair(word)).toBe(word);
    expect(repair('fué', 'spa')).toBe('fué');
  });

  it('puts back the accents of capitals only for a page that shows accented capitals', () => {
    // Photocopy 02 of the hard pages: "LOCAÇÃO" read with its accents, other capitals without.
    // "CLAUSULA" stays: the dictionary knows it as read (a form of "clausular").
    const read = ['CONTRATO', 'DE', 'LOCAÇÃO', 'CLAUSULA', 'MUNICIPIO', 'LOCATARIO,', 'CPF', 'ASSUNCAO', 'SERVICOS'];
    expect(accents.accentsCapitals(read, 'por')).toBe(true);
    expect(read.map((word) => accents.repair(word, 'por', true))).toEqual(['CONTRATO', 'DE', 'LOCAÇÃO', 'CLAUSULA', 'MUNICÍPIO', 'LOCATÁRIO,', 'CPF', 'ASSUNÇÃO', 'SERVIÇOS']);
    // Lower-case words are repaired as on any page.
    expect(accents.repair('vacinacáo', 'por', true)).toBe('vacinação');
    // Not a name ("Nélson" is in the dictionary, "nélson" is not a word), nor the letters of a code.
    expect(accents.repair('NELSON', 'por', true)).toBe('NELSON');
    expect(accents.repair('12.345/86-SEC', 'por', true)).toBe('12.345/86-SEC');
    expect(accents.repair('MOVIMENTACAO', 'por', true)).toBe('MOVIMENTAÇÃO');
    // A page whose capitals are all plain; a capital accent no dictionary knows ("ASSUNÇAO") is no evidence.
    expect(accents.accentsCapitals(['CONTRATO', 'DE', 'LOCACAO', 'CLAUSULA'], 'por')).toBe(false);
    expect(accents.accentsCapitals(['ASSUNÇAO', 'CLAUSULA', 'Cláusula'], 'por')).toBe(false);
  });

  it('leaves capitals (typed without accents), numbers, codes and words it cannot place', () => {
    for (const word of ['ASSUNCAO', 'SERVICOS', 'CPF', '1.873/86', 'n.º', 'reparticdes', 'Xyzwq', 'a']) expect(repair(word)).toBe(word);
  });
});

describe('the language of a page', () => {
  it('is the language whose dictionary knows most of its words', () => {
    expect(accents.languageOf(['A', 'Secretaria', 'Municipal', 'de', 'Saúde', 'informa', 'que'])).toBe('por');
    expect(accents.languageOf(['La', 'Dirección', 'de', 'Rentas', 'informa', 'que', 'según'])).toBe('spa');
    expect(accents.languageOf(['The', 'board', 'approved', 'the', 'budget'])).toBe('eng');
  });
});

describe('a page', () => {
  const word = (text: string, x0: number) => ({ text, box: { x0, y0: 0, x1: x0 + 10 * text.length, y1: 20 }, confidence: 80 });
  const page: OcrPage = {
    lines: [
      { box: { x0: 0, y0: 0, x1: 500, y1: 20 }, words: [word('Campanha', 0), word('de', 90), word('vacinacáo', 120)] },
      { box: { x0: 0, y0: 30, x1: 500, y1: 50 }, words: [word('Secretaria', 0), word('de', 110), word('Servicos', 140)] },
      { box: { x0: 0, y0: 80, x1: 500, y1: 100 }, words: [word('ASSUNCAO', 0)] },
    ],
    text: 'Campanha de vacinacáo\nSecretaria de Servicos\n\nASSUNCAO',
    confidence: 80,
  };

  it('repairs its words and its text alike, leaving boxes, confidences and layout as they were', () => {
    const { page: repaired, restored } = restoreAccents(page, accents);
    expect(restored).toBe(2);
    expect(repaired.text).toBe('Campanha de vacinação\nSecretaria de Serviços\n\nASSUNCAO');
    expect(repaired.lines.map((line) => line.words.map((w) => w.text).join(' '))).toEqual(['Campanha de vacinação', 'Secretaria de Serviços', 'ASSUNCAO']);
    expect(repaired.lines[0]!.words[2]!.box).toEqual(page.lines[0]!.words[2]!.box);
    expect(repaired.confidence).toBe(80);
  });

  it('is the same page when nothing needed repair', () => {
    const clean: OcrPage = { ...page, lines: [page.lines[2]!], text: 'ASSUNCAO' };
    expect(restoreAccents(clean, accents)).toEqual({ page: clean, restored: 0 });
  });
});

describe('choosing among spellings', () => {
  const fixWith = (...words: string[]) => accentRepair({ languages: ['por'], knows: (w) => words.includes(w) });

  it('takes the spelling with the fewest changes', () => {
    expect(fixWith('cao', 'cão', 'çãó').repair('cao', 'por')).toBe('cao');
    expect(fixWith('cão', 'çãó').repair('cao', 'por')).toBe('cão');
  });

  it('changes nothing when two spellings are equally near', () => {
    expect(fixWith('pé', 'pê').repair('pe', 'por')).toBe('pe');
  });

  it('swaps a misread accent for another; drops one only from an í or beside another accent', () => {
    expect(fixWith('você').repair('vocé', 'por')).toBe('você');
    expect(fixWith('voce').repair('vocé', 'por')).toBe('vocé');
    expect(fixWith('ainda').repair('aínda', 'por')).toBe('ainda');
    expect(fixWith('según').repair('ségún', 'por')).toBe('según');
  });
});

/** The page as an engine that reads it would give it, through the real dictionary thread. */
async function mendedWithTheDictionaries(page: OcrPage): Promise<OcrPage> {
  const engine = { languages: ['por', 'spa', 'eng'], concurrency: 1, counters: { replaced: 0, retried: 0 }, recognize: async () => page, close: async () => {} } as unknown as OcrEngine;
  const wrapped = withAccentsRestored(engine);
  try {
    return await wrapped.recognize({ png: Buffer.alloc(0), dpi: 300 });
  } finally {
    await wrapped.close();
  }
}

describe('the engine wrapper', () => {
  it('repairs what the engine read and passes everything else through', async () => {
    const page: OcrPage = { lines: [{ box: { x0: 0, y0: 0, x1: 90, y1: 20 }, words: [{ text: 'Servicos', box: { x0: 0, y0: 0, x1: 90, y1: 20 }, confidence: 70 }] }], text: 'Servicos', confidence: 70 };
    let closed = false;
    const engine: OcrEngine = {
      languages: ['por'],
      concurrency: 1,
      counters: { replaced: 0, retried: 0 },
      recognize: async () => page,
      detectOrientation: async () => ({ degrees: 90, confidence: 12 }),
      readingConfidence: async () => 55,
      close: async () => void (closed = true),
    };
    const wrapped = withAccentsRestored(engine);
    const input = { png: Buffer.alloc(0), dpi: 300 };
    const read = await wrapped.recognize(input);
    expect(read.text).toBe('Serviços');
    // Each word marked with whether the page's dictionary knows it, as mended (merge-readings.ts).
    expect(read.lines[0]!.words[0]).toMatchObject({ text: 'Serviços', known: true });
    expect(await wrapped.detectOrientation(input)).toEqual({ degrees: 90, confidence: 12 });
    expect(await wrapped.readingConfidence(input)).toBe(55);
    await wrapped.close();
    expect(closed).toBe(true);
  });

  it('leaves out a line of gibberish (the back of the sheet read through it), after repairing the words', async () => {
    const box = { x0: 0, y0: 0, x1: 90, y1: 20 };
    const line = (words: Array<[string, number]>) => ({ box, words: words.map(([text, confidence]) => ({ text, box, confidence })) });
    // As the engine read the show-through page of the hard samples (bleed-through/02).
    const page: OcrPage = {
      lines: [
        line([['Excelentissimo', 95], ['Senhor', 96], ['Prefeito', 96]]),
        line([['OADAXLIIAJRIA', 31], ['AA"', 75], ['HOT?', 19], ['O', 96], ['ANMAOIV', 15]]),
        // Faint, but a known word read surely vouches for it.
        line([['Geraldo', 30], ['Xqzt', 12], ['casado,', 60]]),
      ],
      text: 'Excelentissimo Senhor Prefeito\nOADAXLIIAJRIA AA" HOT? O ANMAOIV\n\nGeraldo Xqzt casado,',
      confidence: 71,
    };
    const read = await mendedWithTheDictionaries(page);
    expect(read.text).toBe('Excelentíssimo Senhor Prefeito\n\nGeraldo Xqzt casado,');
    expect(read.lines.map((l) => l.words[0]!.text)).toEqual(['Excelentíssimo', 'Geraldo']);
    // How surely the page read stays the engine's: read-page.ts chooses between preparations by it.
    expect(read.confidence).toBe(71);
  });

  it("leaves out the gibberish far from a line's text, and keeps the line", async () => {
    const word = (text: string, x0: number, confidence: number) => ({ text, box: { x0, y0: 0, x1: x0 + 25 * text.length, y1: 47 }, confidence });
    // bleed-through/02 of the hard pages, as the engine read it: the back of the sheet joins the line's end.
    const words = [word('Nestes', 298, 92), word('termos,', 509, 90), word('es', 975, 0), word('12049', 1049, 0), word('9b', 1273, 93), word('lso:', 1368, 26)];
    const page: OcrPage = {
      lines: [{ box: { x0: 298, y0: 0, x1: 1468, y1: 47 }, words, textSize: 47 }, { box: { x0: 298, y0: 60, x1: 700, y1: 107 }, words: [word('Pede', 298, 96), word('deferimento.', 420, 95)], textSize: 47 }],
      text: 'Nestes termos, es 12049 9b lso:\nPede deferimento.',
      confidence: 90,
    };
    const read = await mendedWithTheDictionaries(page);
    expect(read.text).toBe('Nestes termos,\nPede deferimento.');
    expect(read.lines.map((l) => l.words.map((w) => w.text))).toEqual([['Nestes', 'termos,'], ['Pede', 'deferimento.']]);
  });

  it("marks a word known only in the page's own language: a Spanish word on a Portuguese page is not", async () => {
    const words = ['O', 'prazo', 'de', 'entrega', 'das', 'obras', 'é', 'de', 'brazo', 'dias', 'úteis'];
    const box = { x0: 0, y0: 0, x1: 90, y1: 20 };
    const page: OcrPage = { lines: [{ box, words: words.map((text) => ({ text, box, confidence: 70 })) }], text: words.join(' '), confidence: 70 };
    const read = await mendedWithTheDictionaries(page);
    const known = Object.fromEntries(read.lines[0]!.words.map((w) => [w.text, w.known]));
    expect(known).toMatchObject({ prazo: true, entrega: true, brazo: false });
  });

  it('leaves the reading alone when a language has no dictionary (its words would look misspelled)', async () => {
    expect(await lexiconFor(['por', 'fra'])).toBeNull();
    const page: OcrPage = { lines: [], text: 'Servicos', confidence: 70 };
    const engine = { languages: ['por', 'fra'], concurrency: 1, counters: { replaced: 0, retried: 0 }, recognize: async () => page } as unknown as OcrEngine;
    expect(await withAccentsRestored(engine).recognize({ png: Buffer.alloc(0), dpi: 300 })).toBe(page);
  });
});

describe('a word a dictionary knows', () => {
  it('is known in any of the languages, as read or in small letters, its punctuation aside', async () => {
    const lexicon = (await lexiconFor(['por', 'spa', 'eng']))!;
    for (const word of ['casa', 'HOT?', '(según)', 'pronto-atendimento', 'Prefeitura,']) expect(knowsWord(lexicon, word), word).toBe(true);
    for (const word of ['OADAXLIIAJRIA', '12049', '9b', 'Xqzt', '1987.', '-', 'casa-xqzt', '3casa']) expect(knowsWord(lexicon, word), word).toBe(false);
  });

  it('is known in the languages asked about: "brazo" is Spanish, a misread "prazo" on a Portuguese page', async () => {
    const lexicon = (await lexiconFor(['por', 'spa', 'eng']))!;
    expect(knowsWord(lexicon, 'brazo', ['spa'])).toBe(true);
    expect(knowsWord(lexicon, 'brazo', ['por'])).toBe(false);
    expect(knowsWord(lexicon, 'prazo,', ['por'])).toBe(true);
  });
});
