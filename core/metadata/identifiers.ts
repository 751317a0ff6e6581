/**
 * The numbers records are found by: process and protocol numbers ("Processo nº 1.873/1987",
 * "Protocolo 98.765/90", "expediente Nº 2.087/92"), and the numbers of laws, decrees and the
 * other acts ("Decreto nº 345, de 2 de abril de 1990", "Alvará de Construção nº 412/1987").
 * Each is normalised to `<number>/<four-digit year>` (or the number alone when no year is
 * written), so "1.873/87" and "1873/1987" are the same process.
 */
import { findDates } from './dates.js';

export interface Identifier {
  /** 'processo', 'protocolo', or the act's type key ('lei', 'decreto', 'alvara', …). */
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

/** nº, n.º, n°, no., nro., número — how a number is announced. */
const NUMBER_SIGN = String.raw`(?:n\s?[ºo°]\.?|n\.\s?[ºo°]|nro\.?|numero|num\.)`;
/** 1.873 · 1873 · 98.765 · 1 873 (typewriter) */
const NUMBER = String.raw`(\d{1,3}(?:[.\s]\d{3})+|\d{1,7})`;
const YEAR = String.raw`(?:\s*[/-]\s*(\d{4}|\d{2})(?![\d/]))?`;

/**
 * The act's word, up to four words of its name ("de construção", "administrativo", "municipal"),
 * the number sign (needed when words come between), the number and its year.
 */
const ACT_WORDS = Object.keys(ACTS).sort((a, b) => b.length - a.length).join('|');
const IDENTIFIER = new RegExp(
  String.raw`\b(${ACT_WORDS})\b\.?((?:\s+(?!n\s?[ºo°]|nro|numero|(?:${ACT_WORDS})\b)[a-z]{1,14}){0,4})\s*(${NUMBER_SIGN})?\s*${NUMBER}${YEAR}`,
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

export function findIdentifiers(text: string): Identifier[] {
  const folded = fold(text);
  const found: Identifier[] = [];
  for (const m of folded.matchAll(IDENTIFIER)) {
    const kind = ACTS[m[1]!];
    if (!kind) continue;
    const between = m[2]!.trim();
    const sign = m[3];
    // "Lei 8.666", "Processo 1234/87" need no sign; "Alvará de Construção nº 412" does, with words between.
    if (between && !sign) continue;
    const number = m[4]!.replace(/[.\s]/g, '');
    let year = m[5] ? fourDigitYear(m[5]) : null;
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
  return found.filter((id) => {
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
  const [number, year] = value.split('/') as [string, string | undefined];
  const dotted = number.length > 3 ? number.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : number;
  const numbers = [...new Set([number, dotted])];
  const years = year ? [...new Set([year, year.slice(2)])] : [];
  const forms = years.length > 0 ? numbers.flatMap((n) => years.map((y) => `${n}/${y}`)) : numbers;
  return `${kind} ${forms.join(' ; ')}`;
}

