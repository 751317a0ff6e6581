/**
 * Specks read as punctuation at a word's end (repair-speck-punctuation.ts): taken off after
 * articles and prepositions and, for a full stop, before a word in small letters; quote marks that
 * open or close nothing taken off; typed punctuation stays, after conjunctions, abbreviations,
 * names, at a sentence's end and around a quotation. With the
 * real dictionaries, through the whole mending of a page's words (repairWords).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { letterRepair } from '../../core/ocr/repair-letters.js';
import { withoutSpeckPunctuation } from '../../core/ocr/repair-speck-punctuation.js';
import { accentRepair, repairWords, type AccentRepair } from '../../core/ocr/restore-accents.js';
import { lexiconFor, type Lexicon } from '../../core/ocr/spelling-lexicon.js';

let lexicon: Lexicon;
let accents: AccentRepair;
const mended = (text: string, language = 'por') => withoutSpeckPunctuation(text.split(' '), (word) => lexicon.knows(word, language)).join(' ');

beforeAll(async () => {
  lexicon = (await lexiconFor(['por', 'spa', 'eng']))!;
  expect(lexicon).not.toBeNull();
  accents = accentRepair(lexicon);
});

describe('specks read as punctuation at the end of a word', () => {
  it.each([
    // As the speckled ata of the hard pages read them.
    ['aos dezoito dias do mês de, abril. de mil', 'aos dezoito dias do mês de abril de mil'],
    ['a certidão negativa. do. INPS, sendo. inabilitada', 'a certidão negativa do INPS, sendo inabilitada'],
    ['reuniu-se na’ sala da. firma', 'reuniu-se na sala da firma'],
    ['às. 14 horas', 'às 14 horas'],
    ['pela: Comissão', 'pela Comissão'],
    ['el plazo de los; diez días', 'el plazo de los diez días'],
    ['a Comissão Permanente. de Licitação', 'a Comissão Permanente de Licitação'],
    ['no prazo de 5 (cinco). dias úteis', 'no prazo de 5 (cinco) dias úteis'],
    // Quote marks that open or close nothing.
    ['verificou-se que a ‘segunda firma não apresentou', 'verificou-se que a segunda firma não apresentou'],
    ['de habilitação. “Abertas as propostas, a de menor', 'de habilitação. Abertas as propostas, a de menor'],
    ['a Comissão. sendo” lhe concedido', 'a Comissão sendo lhe concedido'],
  ])('%s → %s', (read, expected) => {
    expect(mended(read)).toBe(expected);
  });

  it.each([
    // Typed so: commas after conjunctions, colons of a memorandum's heading, abbreviations, numbers.
    'que, no caso de recusa',
    'e, por fim, o Prefeito',
    'Do: Chefe de Gabinete',
    'Ao: Senhor Secretário',
    'conforme o art. 71 da Lei',
    'Corrêa & Cia. e Irmãos',
    'em 12 dez. de 1987',
    'nas fls. dos autos',
    // A full stop before a capital, or at the end of the page.
    'fica revogado. Publique-se.',
    'e dá outras providências.',
    // Lists are labelled with "a." and "b.": left as typed.
    'a. os documentos',
    // A word the dictionary does not know, or a short one, keeps its full stop.
    'o senhor Fulanovski. de Souza',
    'o ano. de',
    'o Sr. de Souza',
    // Quotations typed on the page, on one line or over several, with punctuation after them.
    'no loteamento “Jardim das Acácias” na Quadra C',
    'requerer o “habite-se” após a conclusão',
    'o loteamento ‘Jardim das Acácias’ na Quadra C',
    'the Workers’ Union',
    'dizem que la plaza es “una vergüenza para todos”, y agregan',
    'com a inscrição "Prefeitura Municipal de São João do Ipê" na porta',
    '« Fica proibido » diz o aviso',
  ])('%s stays', (typed) => {
    expect(mended(typed)).toBe(typed);
  });

  it('is part of the mending of a page\'s words, before the accents are put back', () => {
    const read = 'reuniu-se na’ sala de reunioes da. Prefeitura'.split(' ');
    expect(repairWords(read, accents, letterRepair(lexicon)).join(' ')).toBe('reuniu-se na sala de reuniões da Prefeitura');
  });
});
