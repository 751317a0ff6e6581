/**
 * Dates as Portuguese and Spanish records write them, typed, typewritten or read by OCR:
 *
 *     12 de março de 1987 · 1º de março de 1966 · 12 de marzo de 1987 · marzo 12 de 1987
 *     12/03/1987 · 12.3.87 · 12-03-1987 · 12/III/1987 · 12 de  março  de 1 987
 *     aos vinte e dois dias do mês de junho de mil novecentos e noventa e três
 *
 * and which of them is the document's own: the date in its title ("DECRETO Nº 345, DE 2 DE ABRIL
 * DE 1990") or where it was signed ("São João do Ipê, 12 de março de 1987.") wins over a date the
 * body cites ("a Lei nº 1.120, de 5 de dezembro de 1979").
 */
import { plausibleYear } from './path-metadata.js';
import { isNumberWord, parseNumberWords } from './number-words.js';

const MONTHS: Record<string, number> = {
  janeiro: 1, fevereiro: 2, marco: 3, abril: 4, maio: 5, junho: 6, julho: 7, agosto: 8, setembro: 9, outubro: 10, novembro: 11, dezembro: 12,
  enero: 1, febrero: 2, marzo: 3, mayo: 5, junio: 6, julio: 7, septiembre: 9, setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12,
  // abril, agosto are the same in both
  jan: 1, fev: 2, mar: 3, abr: 4, mai: 5, jun: 6, jul: 7, ago: 8, set: 9, out: 10, nov: 11, dez: 12, ene: 1, feb: 2, sep: 9, oct: 10, dic: 12,
};
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10, xi: 11, xii: 12 };

export interface FoundDate {
  /** ISO YYYY-MM-DD. */
  iso: string;
  year: number;
  month: number;
  day: number;
  /** As written. */
  text: string;
  /** Position in the (joined) text. */
  index: number;
  /** Why it is, or is not, the document's own date: higher is likelier. */
  score: number;
}

/** Lower case, accents off, one unit for one unit of the input (so positions stay true). */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text[i]!;
    out += unit.normalize('NFD').charAt(0).toLowerCase().charAt(0) || unit;
  }
  return out;
}

function twoDigitYear(year: number, now = new Date()): number {
  if (year >= 100) return year;
  const century = year <= now.getFullYear() % 100 ? 2000 : 1900;
  return century + year;
}

function valid(day: number, month: number, year: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1 && plausibleYear(year))) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A year typed with spaces between its digits ("1 9 8 7", "19 87"). */
const YEAR = String.raw`(\d\s?\d\s?\d\s?\d|\d{2})`;
const DAY = String.raw`(\d{1,2})\s*(?:º|o|°|\.º)?`;
const MONTH_WORD = String.raw`([a-z]{3,10})\.?`;
const SEP = String.raw`\s*[/.\-]\s*`;

const PATTERNS: Array<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number] | null }> = [
  // 12 de março de 1987, 1º de março de 1966, 12 março 1987, 12 de mar. de 1987
  {
    re: new RegExp(String.raw`\b${DAY}\s+(?:de\s+)?${MONTH_WORD}\s+(?:de\s+|del\s+)?${YEAR}\b`, 'g'),
    parts: (m) => (MONTHS[m[2]!] ? [Number(m[1]), MONTHS[m[2]!]!, Number(m[3]!.replace(/\s/g, ''))] : null),
  },
  // marzo 12 de 1987, marzo 12, 1987
  {
    re: new RegExp(String.raw`\b${MONTH_WORD}\s+(\d{1,2})\s*(?:,|de)\s*${YEAR}\b`, 'g'),
    parts: (m) => (MONTHS[m[1]!] ? [Number(m[2]), MONTHS[m[1]!]!, Number(m[3]!.replace(/\s/g, ''))] : null),
  },
  // 12/03/1987, 12.3.87, 12-03-1987, 12 / 03 / 1987
  {
    re: new RegExp(String.raw`(?<![\d./-])(\d{1,2})${SEP}(\d{1,2})${SEP}(\d{4}|\d{2})(?![\d/]|\.\d)`, 'g'),
    parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])],
  },
  // 12/III/1987, 12.iii.87, 12-XII-1987, 12 III 1987
  {
    re: new RegExp(String.raw`(?<![\d./-])(\d{1,2})(?:${SEP}|\s+)(i{1,3}|iv|v|vi{1,3}|ix|x|xi{1,2})(?:${SEP}|\s+)(\d{4}|\d{2})(?![\d/])`, 'g'),
    parts: (m) => [Number(m[1]), ROMAN[m[2]!]!, Number(m[3])],
  },
];

/**
 * "aos vinte e dois dias do mês de junho de mil novecentos e noventa e três" (atas, certidões):
 * found by its middle ("… de junho de mil …"); the day's words are read back from it, the
 * year's forward.
 */
const WRITTEN = /\b(?:dias?\s+(?:do|del)\s+mes\s+de|de|del)\s+([a-z]{4,10})\s+(?:de|del)\s+(?=(?:mil|dois mil|dos mil)\b)/g;

/** Every date in the text, in order of position, with a score for being the document's own. */
export function findDates(text: string): FoundDate[] {
  const folded = fold(text);
  const found = new Map<number, FoundDate>();
  const add = (index: number, length: number, day: number, month: number, rawYear: number) => {
    const year = twoDigitYear(rawYear);
    if (!valid(day, month, year) || found.has(index)) return;
    // A later pattern never takes a place an earlier one already read.
    for (const other of found.values()) if (index < other.index + other.text.length && other.index < index + length) return;
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    found.set(index, { iso, year, month, day, text: text.slice(index, index + length).replace(/\s+/g, ' ').trim(), index, score: 0 });
  };
  for (const { re, parts } of PATTERNS) {
    for (const m of folded.matchAll(re)) {
      const value = parts(m as RegExpExecArray);
      if (value) add(m.index!, m[0].length, ...value);
    }
  }
  for (const m of folded.matchAll(WRITTEN)) {
    const month = MONTHS[m[1]!];
    if (!month) continue;
    const dayWords = [...folded.slice(Math.max(0, m.index! - 60), m.index!).matchAll(/[a-z]+/g)];
    let first = dayWords.length;
    while (first > 0 && isNumberWord(dayWords[first - 1]![0]) && dayWords.length - first < 5) first--;
    const yearStart = m.index! + m[0].length;
    const yearWords = [...folded.slice(yearStart, yearStart + 80).matchAll(/[a-z]+/g)];
    let last = 0;
    while (last < yearWords.length && isNumberWord(yearWords[last]![0]) && last < 10) last++;
    while (last > 0 && (yearWords[last - 1]![0] === 'e' || yearWords[last - 1]![0] === 'y')) last--; // a trailing "e" is not part of the year
    const day = parseNumberWords(dayWords.slice(first).map((w) => w[0]).join(' '));
    const year = parseNumberWords(yearWords.slice(0, last).map((w) => w[0]).join(' '));
    if (day === null || year === null || first === dayWords.length) continue;
    const start = Math.max(0, m.index! - 60) + dayWords[first]!.index!;
    const end = yearStart + yearWords[last - 1]!.index! + yearWords[last - 1]![0].length;
    add(start, end - start, day, month, year);
  }
  const dates = [...found.values()].sort((a, b) => a.index - b.index);
  for (const date of dates) date.score = scoreOf(date, folded);
  return dates;
}

/** Words just before a date that mean it is cited, not the document's own. */
const CITATION = /(?:\b(?:lei|leis|decreto|decretos|portaria|resolucao|resolucion|ordenanza|edital|oficio|processo|protocolo|diario oficial|publicad[oa]s?|datad[oa]s?|ata|contrato|nascid[oa]|nacid[oa]|desde|ate|hasta|periodo|entre|vigor|prazo)\b[^\n]{0,45}|\bde\s+\d{1,2}\s+de\s+\w+\s+de\s+\d{4}\s+a\s+)$/;

function scoreOf(date: FoundDate, folded: string): number {
  const lineStart = folded.lastIndexOf('\n', date.index - 1) + 1;
  const lineEnd = folded.indexOf('\n', date.index) === -1 ? folded.length : folded.indexOf('\n', date.index);
  const before = folded.slice(lineStart, date.index);
  const after = folded.slice(date.index + date.text.length, lineEnd);
  let score = 0;
  const closesLine = /^\s*[.,]?\s*$/.test(after);
  // "São João do Ipê, 12 de março de 1987." / "… Gabinete do Prefeito, / em 2 de abril de 1990.": where it was signed.
  if ((/^[\p{L}\s.'’-]{3,60},\s*(?:em\s+|en\s+|a\s+)?$/u.test(before) || /^\s*(?:em|en)\s+$/.test(before)) && closesLine) score += 4;
  // The title's own date: "DECRETO Nº 345, DE 2 DE ABRIL DE 1990".
  const title = /^\s*(?:decreto|lei|portaria|resolucao|resolucion|ordenanza|ata|edital)\b[^\n]*\b(?:de|del)\s+$/.test(before) && folded.slice(0, lineStart).split('\n').length <= 12;
  if (title) score += 3;
  // A date alone on its line is a letterhead or closing date.
  if (/^\s*$/.test(before) && closesLine) score += 2;
  if (!title && CITATION.test(before)) score -= 3;
  // Dates near the top or the end are more often the document's own than those in the middle.
  const position = date.index / Math.max(1, folded.length);
  if (position < 0.15 || position > 0.7) score += 1;
  return score;
}

/** The document's own date: the best score; among equals, the last (signature dates close a record). */
export function mainDate(dates: readonly FoundDate[]): FoundDate | null {
  let best: FoundDate | null = null;
  for (const date of dates) if (!best || date.score >= best.score) best = date;
  return best;
}
