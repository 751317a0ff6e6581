/**
 * The numbers records are found by: process and protocol numbers ("Processo nº 1.873/1987",
 * "Protocolo 98.765/90", "expediente Nº 2.087/92"), and the numbers of laws, decrees and the
 * other acts ("Decreto nº 345, de 2 de abril de 1990", "Alvará de Construção nº 412/1987"), in
 * Spanish too ("Expte. Nº 4567-M-1985", "Nota Nº 123/85", "Dictamen Nº 12/87"). Each number is
 * normalised as record-number.ts says (`<number>/<four-digit year>`, office letters kept), so
 * "1.873/87" and "1873/1987" are the same process.
 *
 * A judicial process in the unified numbering of Brazil's courts (CNJ Resolução 65/2008:
 * NNNNNNN-DD.AAAA.J.TR.OOOO, e.g. 0001234-56.2015.8.26.0100) is found with or without a label,
 * in any spacing, when its check digits hold (ISO 7064 mod 97-10), and kept whole, as courts cite it.
 */
import { findDates } from './dates.js';
import { foldKeepingPlaces } from './fold.js';
import { closeLetterSpacingMapped } from './letter-spacing.js';
import { restoreMisreadDigits } from './misread-digits.js';
import { readRecordNumber, recordNumberVariants, type RecordNumber } from './record-number.js';

export interface Identifier {
  /** 'processo', 'protocolo', or the act's type key ('lei', 'decreto', 'alvara', …); a bill's 'projeto-lei', 'projeto-resolucao'…. */
  kind: string;
  value: string;
  /** As written. */
  text: string;
  index: number;
}

/** Words that name a numbered act, accent-folded, and the kind each gives. */
const ACTS: Record<string, string> = {
  lei: 'lei', ley: 'lei', decreto: 'decreto', 'decreto-lei': 'decreto', portaria: 'portaria', resolucao: 'resolucao', resolucion: 'resolucao',
  ordenanza: 'ordenanza', oficio: 'oficio', nota: 'oficio', memorando: 'memorando', memorandum: 'memorando', edital: 'edital', edicto: 'edital',
  alvara: 'alvara', certidao: 'certidao', certificado: 'certidao', recibo: 'recibo', contrato: 'contrato', convenio: 'convenio',
  parecer: 'parecer', dictamen: 'parecer', requerimento: 'requerimento',
  processo: 'processo', proc: 'processo', expediente: 'processo', expte: 'processo', exp: 'processo', actuacion: 'processo', protocolo: 'protocolo',
  // "ENTRADA Nº 4.512": the number the registry (mesa de entradas) gave a paper on arrival
  entrada: 'protocolo',
  // "nos autos nº 245/85": a court case; "Of. nº 088/79-CM"
  autos: 'processo', of: 'oficio',
};
/** Words too common to name an act unless its number follows at once: "nota fiscal nº 12" is no note. */
const NUMBER_FOLLOWS = new Set(['nota', 'exp', 'entrada']);
/** …and with its sign: "Fecha de entrada: 03/05/1988" is no entry number. */
const SIGN_NEEDED = new Set(['entrada', 'autos']);
/** Abbreviations that are labels only with their dot ("Of. nº 12", not the English "of 12"). */
const DOT_NEEDED = new Set(['of']);

/** A bill, not the act it may become: "Projeto de Lei nº 18/1990" is bill 18/1990, not law 18/1990. */
const BILL_BEFORE = /\b(?:projeto|proyecto|anteprojeto|anteproyecto)\s+de\s+$/;

/**
 * nº, n.º, n°, no., nro., número — how a number is announced; and as OCR reads "Nº" in a small
 * face: "Ne", "N*".
 */
const NUMBER_SIGN = String.raw`(?:n(?:\s?[ºo°]|e(?![a-z])|\*)\.?|n\.\s?[ºo°]|nro\.?|numero|num\.)`;
const ACT_WORDS = Object.keys(ACTS).sort((a, b) => b.length - a.length).join('|');
/** The act's word; OCR may close up the space before its sign ("DECRETONº 118"). */
const LABEL = new RegExp(String.raw`\b(${ACT_WORDS})(?:\b|(?=n[º°]))\.?`, 'g');
/** Right after the label: the number sign and a colon or dash, as forms print them ("Processo: 1873/87", "PROTOCOLO - 98.765/90"). */
const SIGNED = new RegExp(String.raw`^\s*(?:(${NUMBER_SIGN})\s*)?(?:[:\-–][ \t]*)?`);
/**
 * Up to four words of the act's name between ("de construção", "de habite-se"), or an issuer's
 * abbreviation ("Ord.", "H.C.D.", "I.M.", its I read by OCR as 1: "1.M."), on the label's line,
 * then the sign (which they make necessary), perhaps on the next ("Processo Administrativo\nnº
 * 4.418/2009"). `wrapped`: the words may go on over line breaks too, as a page wraps a sentence
 * ("conforme Processo\nDER nº 2.214/83", "pelo Alvará de\nConstrução nº 119/81").
 */
const ABBREVIATION = String.raw`(?:[a-z][a-z1]{0,3}\.|1\.(?=[a-z]))(?:[a-z1]{1,4}\.){0,3}`;
const namedAct = (wrapped: boolean) =>
  new RegExp(String.raw`^((?:${wrapped ? String.raw`\s+` : String.raw`[ \t]+`}(?!n\s?[ºo°]|ne\b|n\*|nro|numero|(?:${ACT_WORDS})\b)(?:[a-z]{1,14}(?:-[a-z]{1,8})?|${ABBREVIATION})){1,4})\s*${NUMBER_SIGN}\s*(?:[:\-–][ \t]*)?`);
const NAMED = namedAct(false);
const NAMED_WRAPPED = namedAct(true);
/** An issuer's abbreviation, alone between the label and the sign. */
const ISSUER = /^(?:[A-Za-z][A-Za-z1]{0,3}\.|1\.(?=[A-Za-z]))(?:[A-Za-z1]{1,4}\.){0,3}$/;
/** Short words in capitals that are no office's letters ("ALVARÁ DE Nº…" is no office DE). */
const NOT_AN_OFFICE = new Set(['DE', 'DO', 'DA', 'DOS', 'DAS', 'DEL', 'LA', 'LAS', 'LOS', 'EL', 'E', 'Y', 'O', 'A', 'NO', 'NA', 'EM', 'EN']);

/** NNNNNNN-DD.AAAA.J.TR.OOOO, its separators as typed or OCR'd (dots, hyphens, spaces, or none). */
const UNIFIED_JUDICIAL = /(?<![\d.-])(\d{7})\s?[-.]?\s?(\d{2})\s?\.?\s?(\d{4})\s?\.?\s?(\d)\s?\.?\s?(\d{2})\s?\.?\s?(\d{4})(?![\d])/g;

/** The unified number's check digits hold: NNNNNNN AAAA J TR OOOO DD is 1 modulo 97. */
export function unifiedJudicialChecks(sequence: string, check: string, year: string, branch: string, court: string, origin: string): boolean {
  return BigInt(`${sequence}${year}${branch}${court}${origin}${check}`) % 97n === 1n;
}

function unifiedJudicialNumbers(text: string): Array<Omit<Identifier, 'text'> & { end: number }> {
  const found: Array<Omit<Identifier, 'text'> & { end: number }> = [];
  for (const m of text.matchAll(UNIFIED_JUDICIAL)) {
    const [, sequence, check, year, branch, court, origin] = m as unknown as [string, string, string, string, string, string, string];
    if (!unifiedJudicialChecks(sequence, check, year, branch, court, origin)) continue;
    const yearNumber = Number(year);
    if (yearNumber < 1800 || yearNumber > new Date().getFullYear()) continue;
    found.push({ kind: 'processo', value: `${sequence}-${check}.${year}.${branch}.${court}.${origin}`, index: m.index!, end: m.index! + m[0].length });
  }
  return found;
}

/**
 * An office's letters between the label and the number ("Proc. DAE nº 456/85", "Processo SAR
 * 4471/2006"): capitals in a label that is not itself in capitals ("PROTOCOLO GERAL Nº" is a
 * heading's word, not an office).
 */
function officeLetters(word: string, label: string): string | undefined {
  return /^[A-Z]{2,5}$/.test(word) && !NOT_AN_OFFICE.has(word) && label !== label.toUpperCase() ? word : undefined;
}

/** The number after a label (which ends at `at`), with an office's letters written before it. */
function numberAfterLabel(text: string, folded: string, start: number, at: number, label: string): RecordNumber | null {
  const labelText = text.slice(start, at);
  const signed = SIGNED.exec(folded.slice(at, at + 24))!;
  // "DECRETO\n1.– Llámase…": a heading over an article; a number on the next line needs its sign
  // (perhaps after the act's name, below).
  const signNeeded = (signed[0].includes('\n') || SIGN_NEEDED.has(label)) && !signed[1];
  if (!signNeeded) {
    const direct = readRecordNumber(text, at + signed[0].length);
    if (direct) return direct;
    const spaced = /^([A-Za-z]{2,5}) (?=\d)/.exec(text.slice(at + signed[0].length, at + signed[0].length + 8));
    const spacedOffice = spaced && !signed[1] ? officeLetters(spaced[1]!, labelText) : undefined;
    if (spacedOffice) return readRecordNumber(text, at + signed[0].length + spaced![0].length, spacedOffice);
  }
  // A label that ends a line of running text was wrapped, and the act's name goes on below; one
  // alone on its line is a heading over another ("EDICTO\nLICITACIÓN PÚBLICA Nº 04/97").
  const lineStart = folded.lastIndexOf('\n', start - 1) + 1;
  const wrapped = /\S/.test(folded.slice(lineStart, start));
  const named = (wrapped ? NAMED_WRAPPED : NAMED).exec(folded.slice(at, at + 90));
  if (!named) return null;
  const between = text.slice(at, at + named[1]!.length).trim();
  // "nota fiscal nº 12" is no note, "Nota I.M. Nº 88/93" is: only an issuer's abbreviation may come between.
  if (NUMBER_FOLLOWS.has(label) && !ISSUER.test(between)) return null;
  return readRecordNumber(text, at + named[0].length, officeLetters(between, labelText));
}

export function findIdentifiers(written: string): Identifier[] {
  // "D E C R E T O  Nº 118" is read as DECRETO Nº 118, and reported where it was written.
  const closed = closeLetterSpacingMapped(written);
  // "Processo nº 1.O73/87": read as the digits it has (the text reported is still as written).
  const text = restoreMisreadDigits(closed.text);
  const origin = closed.origin;
  const folded = foldKeepingPlaces(text);
  const found: Array<Omit<Identifier, 'text'> & { end: number }> = unifiedJudicialNumbers(text);
  // Written as a unified number, whether its check digits hold or not (a misread one is no process 1234/87).
  const judicial = [...text.matchAll(UNIFIED_JUDICIAL)].map((m) => [m.index!, m.index! + m[0].length] as const);
  for (const m of folded.matchAll(LABEL)) {
    const label = m[1]!;
    const act = ACTS[label];
    if (!act || (DOT_NEEDED.has(label) && !m[0].endsWith('.'))) continue;
    const number = numberAfterLabel(text, folded, m.index!, m.index! + m[0].length, label);
    if (!number || number.value === null) continue;
    const end = number.end;
    // "Processo nº 0001234-56.2015…": the unified number, not a process 1234/56.
    if (judicial.some(([start, stop]) => end > start && m.index! < stop)) continue;
    const kind = BILL_BEFORE.test(folded.slice(Math.max(0, m.index! - 20), m.index!)) ? `projeto-${act}` : act;
    let value = number.value;
    if (number.bare) {
      // "Decreto nº 345, de 2 de abril de 1990", "Ordenanza Nº 789, de fecha 10 de diciembre de 1968": the year from the act's date.
      // OCR may read a speck between "de" and the day as a hyphen ("nº 8.069,de-13 de julho de 1990").
      const next = /^\s*,?\s*(?:de|del)(?:\s+|\s*[-–]\s*)(?:(?:fecha|data)\s+(?:de\s+)?)?/.exec(folded.slice(end, end + 16));
      const date = next ? findDates(text.slice(end, end + 50))[0] : undefined;
      if (date && date.index <= next![0].length + 1) value = `${value}/${date.year}`;
    }
    found.push({ kind, value, index: m.index!, end });
  }
  // One per kind and value, at its first place.
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.index - b.index)
    .filter((id) => {
      const key = `${id.kind}:${id.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ kind, value, index, end }) => ({ kind, value, index: origin(index), text: written.slice(origin(index), origin(end - 1) + 1).replace(/\s+/g, ' ').trim() }));
}

/**
 * The ways a clerk may type an identifier, for the search index: `processo 1873/1987` is also
 * found as 1873/87, 1.873/1987 and 1.873/87.
 */
export function identifierVariants(kind: string, value: string): string {
  // A unified judicial number: as courts write it, and its digits alone.
  if (/^\d{7}-\d{2}\.\d{4}\.\d\.\d{2}\.\d{4}$/.test(value)) return `${kind} ${value} ; ${value.replace(/\D/g, '')}`;
  return `${kind} ${recordNumberVariants(value).join(' ; ')}`;
}
