/**
 * Dates as Portuguese and Spanish documents write them: "12 de março de 1987",
 * "15 de julio de 1978", "12/03/1987", "12.3.87", "12-03-1987".
 */
import { plausibleYear } from './path-metadata.js';

const MONTHS: Record<string, number> = {
  janeiro: 1, fevereiro: 2, marco: 3, abril: 4, maio: 5, junho: 6, julho: 7, agosto: 8, setembro: 9, outubro: 10, novembro: 11, dezembro: 12,
  enero: 1, febrero: 2, marzo: 3, mayo: 5, junio: 6, julio: 7, septiembre: 9, setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12,
};

export interface FoundDate {
  year: number;
  month: number;
  day: number;
  /** Position in the text, to prefer dates near the top. */
  index: number;
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function twoDigitYear(year: number): number {
  return year < 100 ? (year > 30 ? 1900 + year : 2000 + year) : year;
}

function valid(day: number, month: number, year: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && plausibleYear(year);
}

export function findDates(text: string): FoundDate[] {
  const folded = fold(text);
  const found: FoundDate[] = [];
  const written = /\b(\d{1,2})\s*(?:º|o)?\s+de\s+([a-z]+)\s+de\s+(\d{4})\b/g;
  for (const m of folded.matchAll(written)) {
    const month = MONTHS[m[2]!];
    const day = Number(m[1]);
    const year = Number(m[3]);
    if (month && valid(day, month, year)) found.push({ day, month, year, index: m.index });
  }
  const numeric = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/g;
  for (const m of folded.matchAll(numeric)) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    const year = twoDigitYear(Number(m[3]));
    if (valid(day, month, year)) found.push({ day, month, year, index: m.index });
  }
  return found.sort((a, b) => a.index - b.index);
}
