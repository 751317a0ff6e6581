/**
 * The numbers records are found by: process and protocol numbers ("Processo nº 1.873/1987",
 * "Protocolo 98.765/90", "expediente Nº 2.087/92"), and the numbers of laws, decrees and the
 * other acts ("Decreto nº 345, de 2 de abril de 1990", "Alvará de Construção nº 412/1987").
 * Each is normalised to `<number>/<four-digit year>` (or the number alone when no year is
 * written), so "1.873/87" and "1873/1987" are the same process.
 *
 * A judicial process in the unified numbering of Brazil's courts (CNJ Resolução 65/2008:
 * NNNNNNN-DD.AAAA.J.TR.OOOO, e.g. 0001234-56.2015.8.26.0100) is found with or without a label,
 * in any spacing, when its check digits hold (ISO 7064 mod 97-10), and kept whole, as courts cite it.
 */
import { findDates } from './dates.js';

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
  ordenanza: 'ordenanza', oficio: 'oficio', memorando: 'memorando', edital: 'edital', edicto: 'edital', alvara: 'alvara',
  certidao: 'certidao', recibo: 'recibo', contrato: 'contrato', parecer: 'parecer', requerimento: 'requerimento',
  processo: 'processo', proc: 'processo', expediente: 'processo', protocolo: 'protocolo',
};

/** A bill, not the act it may become: "Projeto de Lei nº 18/1990" is bill 18/1990, not law 18/1990. */
const BILL_BEFORE = /\b(?:projeto|proyecto|anteprojeto)\s+de\s+$/;

/** nº, n.º, n°, no., nro., número — how a number is announced. */
const NUMBER_SIGN = String.raw`(?:n\s?[ºo°]\.?|n\.\s?[ºo°]|nro\.?|numero|num\.)`;
/** 1.873 · 1873 · 98.765 · 1 873 · 1 8 7 3 (typewriter, a space after every digit) */
const NUMBER = String.raw`(\d(?: \d){2,6}(?![\d.])|\d{1,3}(?:[.\s]\d{3})+|\d{1,7})`;
/** /1987 · /87 · / 1 9 8 7 · / 8 7 */
const YEAR = String.raw`(?:\s*[/-]\s*(\d(?: \d){3}|\d{4}|\d \d|\d{2})(?![\d/]))?`;

/**
 * The act's word, up to four words of its name ("de construção", "administrativo", "municipal"),
 * the number sign (needed when words come between), a colon or dash as forms print them
 * ("Processo: 1873/87", "PROTOCOLO - 98.765/90"), the number and its year.
 */
const ACT_WORDS = Object.keys(ACTS).sort((a, b) => b.length - a.length).join('|');
const IDENTIFIER = new RegExp(
  String.raw`\b(${ACT_WORDS})\b\.?((?:\s+(?!n\s?[ºo°]|nro|numero|(?:${ACT_WORDS})\b)[a-z]{1,14}){0,4})\s*(${NUMBER_SIGN})?\s*(?:[:\-–]\s*)?${NUMBER}${YEAR}`,
  'g',
);

function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text[i]!.normalize('NFD').charAt(0).toLowerCase().charAt(0) || text[i]!;
  return out;
}

function fourDigitYear(year: string, now = new Date()): number {
  const n = Number(year);
  if (year.length === 4) return n;
  return n <= now.getFullYear() % 100 ? 2000 + n : 1900 + n;
}

/** NNNNNNN-DD.AAAA.J.TR.OOOO, its separators as typed or OCR'd (dots, hyphens, spaces, or none). */
const UNIFIED_JUDICIAL = /(?<![\d.-])(\d{7})\s?[-.]?\s?(\d{2})\s?\.?\s?(\d{4})\s?\.?\s?(\d)\s?\.?\s?(\d{2})\s?\.?\s?(\d{4})(?![\d])/g;

/** The unified number's check digits hold: NNNNNNN AAAA J TR OOOO DD is 1 modulo 97. */
export function unifiedJudicialChecks(sequence: string, check: string, year: string, branch: string, court: string, origin: string): boolean {
  return BigInt(`${sequence}${year}${branch}${court}${origin}${check}`) % 97n === 1n;
}

function unifiedJudicialNumbers(text: string): Identifier[] {
  const found: Identifier[] = [];
  for (const m of text.matchAll(UNIFIED_JUDICIAL)) {
    const [, sequence, check, year, branch, court, origin] = m as unknown as [string, string, string, string, string, string, string];
    if (!unifiedJudicialChecks(sequence, check, year, branch, court, origin)) continue;
    const yearNumber = Number(year);
    if (yearNumber < 1800 || yearNumber > new Date().getFullYear()) continue;
    found.push({ kind: 'processo', value: `${sequence}-${check}.${year}.${branch}.${court}.${origin}`, text: m[0], index: m.index! });
  }
  return found;
}

export function findIdentifiers(text: string): Identifier[] {
  const folded = fold(text);
  const found: Identifier[] = [...unifiedJudicialNumbers(text)];
  // Written as a unified number, whether its check digits hold or not (a misread one is no process 1234/87).
  const judicial = [...text.matchAll(UNIFIED_JUDICIAL)].map((m) => [m.index!, m.index! + m[0].length] as const);
  for (const m of folded.matchAll(IDENTIFIER)) {
    const act = ACTS[m[1]!];
    if (!act) continue;
    const kind = BILL_BEFORE.test(folded.slice(Math.max(0, m.index! - 20), m.index!)) ? `projeto-${act}` : act;
    // "Processo nº 0001234-56.2015…": the unified number, not a process 1234/56.
    if (judicial.some(([start, end]) => m.index! + m[0].length > start && m.index! < end)) continue;
    const between = m[2]!.trim();
    const sign = m[3];
    // "Lei 8.666", "Processo 1234/87" need no sign; "Alvará de Construção nº 412" does, with words between.
    if (between && !sign) continue;
    const number = m[4]!.replace(/[.\s]/g, '');
    let year = m[5] ? fourDigitYear(m[5].replace(/\s/g, '')) : null;
    const end = m.index! + m[0].length;
    if (year === null) {
      // "Decreto nº 345, de 2 de abril de 1990": the year from the act's date.
      const next = /^\s*,?\s*(?:de|del)\s+/.exec(folded.slice(end, end + 8));
      if (next) {
        const date = findDates(text.slice(end, end + 40))[0];
        if (date && date.index <= next[0].length + 1) year = date.year;
      }
    }
    if (year !== null && (year < 1800 || year > new Date().getFullYear())) continue;
    const plain = String(Number(number)); // "05" and "5" are the same edital
    found.push({ kind, value: year === null ? plain : `${plain}/${year}`, text: text.slice(m.index!, end).replace(/\s+/g, ' ').trim(), index: m.index! });
  }
  // One per kind and value, at its first place.
  const seen = new Set<string>();
  return found.sort((a, b) => a.index - b.index).filter((id) => {
    const key = `${id.kind}:${id.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The ways a clerk may type an identifier, for the search index: `processo 1873/1987` is also
 * found as 1873/87, 1.873/1987 and 1.873/87.
 */
export function identifierVariants(kind: string, value: string): string {
  // A unified judicial number: as courts write it, and its digits alone.
  if (/^\d{7}-\d{2}\.\d{4}\.\d\.\d{2}\.\d{4}$/.test(value)) return `${kind} ${value} ; ${value.replace(/\D/g, '')}`;
  const [number, year] = value.split('/') as [string, string | undefined];
  const dotted = number.length > 3 ? number.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : number;
  const numbers = [...new Set([number, dotted])];
  const years = year ? [...new Set([year, year.slice(2)])] : [];
  const forms = years.length > 0 ? numbers.flatMap((n) => years.map((y) => `${n}/${y}`)) : numbers;
  return `${kind} ${forms.join(' ; ')}`;
}

