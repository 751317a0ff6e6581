/**
 * Dates as Portuguese and Spanish records write them, typed, typewritten or read by OCR:
 *
 *     12 de março de 1987 · 1º de março de 1966 · 12 de marzo de 1987 · marzo 12 de 1987
 *     12/03/1987 · 12.3.87 · 12-03-1987 · 12/III/1987 · 15-VII-1978 · 12 de  março  de 1 987
 *     1 2 de março de 1 9 8 7 · 1 2 / 0 3 / 1 9 8 7 (typewriter, a space after every digit)
 *     Aos 17 dias do mês de agosto de 1993 · a los 15 días del mes de mayo del año 1987
 *     aos vinte e dois dias do mês de junho de mil novecentos e noventa e três
 *     a los quince días del mes de mayo de mil novecientos ochenta y siete
 *
 * and which of them is the document's own: the date in its title ("DECRETO Nº 345, DE 2 DE ABRIL
 * DE 1990"), where it was signed ("São João do Ipê, 12 de março de 1987.") or the opening of an
 * ata or termo ("Aos dezessete dias do mês de agosto…", the meeting it records) wins over a date
 * the body cites ("a Lei nº 1.120, de 5 de dezembro de 1979") or a later one it sets ("próxima
 * reunião marcada para o dia 24 de agosto de 1993").
 */
import { foldKeepingPlaces } from './fold.js';
import { plausibleYear } from './path-metadata.js';
import { restoreMisreadDigits } from './misread-digits.js';
import { isNumberWord, parseNumberWords } from './number-words.js';
import { topLines } from './page-top.js';

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


function twoDigitYear(year: number, now = new Date()): number {
  if (year >= 100) return year;
  const century = year <= now.getFullYear() % 100 ? 2000 : 1900;
  return century + year;
}

function valid(day: number, month: number, year: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1 && plausibleYear(year))) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Typewriters put a space after every digit ("1 2", "1 9 8 7"); a year may also break once ("19 87"). */
const SPACED_2 = String.raw`\d ?\d`;
/**
 * A year of two digits is one only where it ends: not the start of a longer one OCR misread ("de
 * 1 9 6 B", "de 19€": 1968, not 2019), which leaves the date unread rather than wrong.
 */
const YEAR = String.raw`(\d\s?\d\s?\d\s?\d|${SPACED_2}(?! ?\d)(?![€£$¢%&@#*§]))`;
/** "17", "1º", "1 2", and the day in words beside it ("17 (dezessete)"), as certidões repeat it. */
const DAY = String.raw`(${SPACED_2}|\d)\s*(?:º|o|°|\.º)?(?:\s*\([a-z\s]+\))?`;
/** "dias do mês de", "días del mes de": how atas and termos name the day (read after the day). */
const DAYS_OF_MONTH = String.raw`(?:dias?\s+d(?:o|el|e)\s+(?:mes\s+)?)?`;
/** "de 1987", "del año 1987", "do ano de 1993". */
const OF_YEAR = String.raw`(?:(?:de|del|do)\s+)?(?:ano\s+(?:de\s+)?)?`;
const MONTH_WORD = String.raw`([a-z]{3,10})\.?`;
const SEP = String.raw`\s*[/.\-]\s*`;
const digits = (spaced: string) => Number(spaced.replace(/\s/g, ''));

const PATTERNS: Array<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number] | null }> = [
  // 12 de março de 1987, 1º de março de 1966, 12 março 1987, 12 de mar. de 1987, Aos 17 dias do mês de agosto de 1993
  {
    re: new RegExp(String.raw`\b${DAY}\s+${DAYS_OF_MONTH}(?:de\s+)?${MONTH_WORD}\s+${OF_YEAR}${YEAR}\b`, 'g'),
    parts: (m) => (MONTHS[m[2]!] ? [digits(m[1]!), MONTHS[m[2]!]!, digits(m[3]!)] : null),
  },
  // marzo 12 de 1987, marzo 12, 1987
  {
    re: new RegExp(String.raw`\b${MONTH_WORD}\s+(\d{1,2})\s*(?:,|de)\s*${YEAR}\b`, 'g'),
    parts: (m) => (MONTHS[m[1]!] ? [Number(m[2]), MONTHS[m[1]!]!, digits(m[3]!)] : null),
  },
  // 12/03/1987, 12.3.87, 12-03-1987, 12 / 03 / 1987, 1 2 / 0 3 / 1 9 8 7
  {
    re: new RegExp(String.raw`(?<![\d./-])(${SPACED_2}|\d)${SEP}(${SPACED_2}|\d)${SEP}(\d ?\d ?\d ?\d|${SPACED_2})(?![\d/]|\.\d)`, 'g'),
    parts: (m) => [digits(m[1]!), digits(m[2]!), digits(m[3]!)],
  },
  // 12/III/1987, 12.iii.87, 15-VII-1978, 12 III 1987
  {
    re: new RegExp(String.raw`(?<![\d./-])(\d{1,2})(?:${SEP}|\s+)(i{1,3}|iv|v|vi{1,3}|ix|x|xi{1,2})(?:${SEP}|\s+)(\d{4}|\d{2})(?![\d/])`, 'g'),
    parts: (m) => [Number(m[1]), ROMAN[m[2]!]!, Number(m[3])],
  },
];

/**
 * "aos vinte e dois dias do mês de junho de mil novecentos e noventa e três" (atas, certidões),
 * "a los quince días del mes de mayo de 1987": found by its middle ("… de junho de mil …"); the
 * day's words are read back from it, the year's (in words or digits) forward.
 */
const WRITTEN = new RegExp(String.raw`\b(?:dias?\s+(?:do|del|de)\s+mes\s+de|de|del)\s+([a-z]{4,10})\s+${OF_YEAR}(?=(?:mil|dois mil|dos mil)\b|\d)`, 'g');
/** The day's words just before: "vinte e dois ", "quince ", "dezessete (17) ". */
const DAY_WORDS = /(?:^|[^a-z])((?:[a-z]+\s+){1,5})(?:\(\s*\d{1,2}\s*\)\s*)?$/d;

/** The year of a written-out date: in words ("mil novecentos e noventa e três") or digits; where it ends. */
function yearAt(folded: string, start: number): { value: number; end: number } | null {
  const typed = new RegExp(String.raw`^${YEAR}(?!\d)`).exec(folded.slice(start, start + 8));
  if (typed) return { value: digits(typed[1]!), end: start + typed[0].length };
  const words = [...folded.slice(start, start + 80).matchAll(/[a-z]+/g)];
  let last = 0;
  while (last < words.length && isNumberWord(words[last]![0]) && last < 10) last++;
  while (last > 0 && (words[last - 1]![0] === 'e' || words[last - 1]![0] === 'y')) last--; // a trailing "e" is not part of the year
  const value = parseNumberWords(words.slice(0, last).map((w) => w[0]).join(' '));
  return value === null ? null : { value, end: start + words[last - 1]!.index! + words[last - 1]![0].length };
}

/** Every date in the text, in order of position, with a score for being the document's own. */
export function findDates(text: string): FoundDate[] {
  const folded = foldKeepingPlaces(restoreMisreadDigits(text));
  const found = new Map<number, FoundDate>();
  // Where each date ends in the text (its `text` has its spaces closed up).
  const ends = new Map<FoundDate, number>();
  // Which places are read, in 64-unit blocks, so overlaps are checked among neighbours only.
  const blocks = new Map<number, FoundDate[]>();
  const add = (index: number, length: number, day: number, month: number, rawYear: number) => {
    const year = twoDigitYear(rawYear);
    if (!valid(day, month, year) || found.has(index)) return;
    const first = index >> 6;
    const last = (index + length - 1) >> 6;
    // A later pattern never takes a place an earlier one already read.
    for (let block = first; block <= last; block++) {
      for (const other of blocks.get(block) ?? []) if (index < ends.get(other)! && other.index < index + length) return;
    }
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const date = { iso, year, month, day, text: text.slice(index, index + length).replace(/\s+/g, ' ').trim(), index, score: 0 };
    found.set(index, date);
    ends.set(date, index + length);
    for (let block = first; block <= last; block++) blocks.set(block, [...(blocks.get(block) ?? []), date]);
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
    const from = Math.max(0, m.index! - 80);
    const spoken = DAY_WORDS.exec(folded.slice(from, m.index!));
    if (!spoken) continue;
    const dayWords = [...spoken[1]!.matchAll(/[a-z]+/g)];
    let first = dayWords.length;
    while (first > 0 && isNumberWord(dayWords[first - 1]![0])) first--;
    if (first === dayWords.length) continue;
    const day = parseNumberWords(dayWords.slice(first).map((w) => w[0]).join(' '));
    const yearStart = m.index! + m[0].length;
    const year = yearAt(folded, yearStart);
    if (day === null || year === null) continue;
    const start = from + spoken.indices![1]![0] + dayWords[first]!.index!;
    add(start, year.end - start, day, month, year.value);
  }
  for (const date of [...found.values()]) {
    const from = Math.max(0, date.index - 40);
    const range = RANGE_START.exec(folded.slice(from, date.index));
    const month = range?.[3] === undefined ? date.month : MONTHS[range[3]];
    if (range && month) add(from + range.index!, range[1]!.length, Number(range[2]), month, date.year);
  }
  const dates = [...found.values()].sort((a, b) => a.index - b.index);
  const title = titleLineStart(text);
  for (const date of dates) date.score = scoreOf(date, ends.get(date)!, folded, title);
  return dates;
}

/**
 * The first day of a range, its month and year from the date that closes it: "de 4 a 15 de março
 * de 1996", "de 15 de agosto a 20 de dezembro de 1994", "1º a 31 de julho de 1976".
 */
const RANGE_START = /(?<![\d/.,])((\d{1,2})\s*(?:º|o|°|\.º)?(?:\s+(?:de\s+)?([a-z]{3,10}))?)\s+(?:a|ao|al|e|y|ate|hasta)\s+$/;

/** Words a title opens with when it carries the act's own date ("DECRETO Nº 345, DE 2 DE ABRIL DE 1990"). */
const DATED_TITLE = /^\s*(?:decreto|lei|portaria|resolucao|resolucion|ordenanza|ata|acta|edital)\b/;

/** Where the title line starts: the first line at the page's top that opens with an act's name; -1 if none. */
function titleLineStart(text: string): number {
  return topLines(text).find((line) => DATED_TITLE.test(foldKeepingPlaces(line.text)))?.start ?? -1;
}

/**
 * Words just before a date that mean it is cited, not the document's own, or set for later: the
 * next meeting, a deadline, the day these minutes were approved.
 */
const CITATION = /(?:\b(?:lei|leis|decreto|decretos|portaria|resolucao|resolucion|ordenanza|edital|oficio|processo|protocolo|diario oficial|publicad[oa]s?|datad[oa]s?|ata|contrato|nascid[oa]|nacid[oa]|desde|ate|hasta|periodo|entre|vigor|prazo|proxim[oa]s?|marcad[oa]s?|designad[oa]s?|convocad[oa]s?|agendad[oa]s?|fixad[oa]s?|fijad[oa]s?|aprovad[oa]s?|aprobad[oa]s?|anterior|vencimento|vencimiento|validade|a partir)\b[^\n]{0,45}|\bde\s+\d{1,2}\s+de\s+\w+\s+de\s+\d{4}\s+a\s+)$/;

/** "Aos ", "En Río Yaguarí, a los ", "En la ciudad de …,\na los ": how an ata or termo opens, at a sentence's start. */
const OPENING = /(?:^|[\n.;:])\s*(?:(?:em|en|na|no)\s+[^.;:]{1,100}?,\s*)?(?:aos|ao|a\s+los|al|a\s+el)\s+$/;

function scoreOf(date: FoundDate, end: number, folded: string, titleStart: number): number {
  const lineStart = folded.lastIndexOf('\n', date.index - 1) + 1;
  const lineEnd = folded.indexOf('\n', date.index) === -1 ? folded.length : folded.indexOf('\n', date.index);
  const before = folded.slice(lineStart, date.index);
  const after = folded.slice(end, lineEnd);
  let score = 0;
  const closesLine = /^\s*[.,]?\s*$/.test(after);
  // "São João do Ipê, 12 de março de 1987." / "… Gabinete do Prefeito, / em 2 de abril de 1990.": where it was signed.
  if ((/^[\p{L}\s.'’-]{3,60},\s*(?:em\s+|en\s+|a\s+|aos\s+)?$/u.test(before) || /^\s*(?:em|en)\s+$/.test(before)) && closesLine) score += 4;
  // A form's date field: "Data: 14/11/1990", "FECHA: 17/03/2003", "Data de autuação: 04/06/1986" (not a birth date).
  if (/^\s*(?:data|fecha)\b[^:\n]{0,30}:\s*$/.test(before) && !/nasc|nacim|obito|falec/.test(before)) score += 4;
  // The title's own date: "DECRETO Nº 345, DE 2 DE ABRIL DE 1990", "ATA … REALIZADA EM 17 DE AGOSTO DE 1993".
  const title = lineStart === titleStart && /\b(?:de|del|em|en)\s+$/.test(before);
  if (title) score += 3;
  const position = date.index / Math.max(1, folded.length);
  // The opening of an ata or termo, "Aos dezessete dias do mês de agosto de 1993, reuniu-se…": the
  // meeting it records, over the later dates it sets and its closing lines.
  const sentence = folded.slice(Math.max(0, date.index - 200), date.index);
  if (OPENING.test(sentence) && /\bdias?\b/.test(folded.slice(date.index, end)) && position < 0.5) score += 6;
  // A date alone on its line is a letterhead or closing date.
  if (/^\s*$/.test(before) && closesLine) score += 2;
  // A date that opens a line continues the sentence above ("nomeada pela Portaria nº 412/94, de\n26 de setembro…").
  const previous = folded.slice(folded.lastIndexOf('\n', lineStart - 2) + 1, Math.max(0, lineStart - 1));
  const cited = /^\s*$/.test(before) && !/[.;:]\s*$/.test(previous) ? `${previous} ${before}` : before;
  if (!title && CITATION.test(cited)) score -= 3;
  // Dates near the top or the end are more often the document's own than those in the middle.
  if (position < 0.15 || position > 0.7) score += 1;
  return score;
}

/** The document's own date: the best score; among equals, the last (signature dates close a record). */
export function mainDate(dates: readonly FoundDate[]): FoundDate | null {
  let best: FoundDate | null = null;
  for (const date of dates) if (!best || date.score >= best.score) best = date;
  return best;
}

/**
 * How far below the chosen date's score another date may be and still rival it. One point is the
 * weakest cue (near the top or the end of the text), so a rival differs from the chosen date by
 * where it stands at most: the choice was close, and the review queue (core/catalog/review-rules.ts)
 * asks a person. Measured on the metadata test set's 155 records (tests/fixtures/metadata-set): any
 * two dates found would flag 117 of them, mostly acts citing other acts; rivals flag 2.
 */
const RIVAL_MARGIN = 1;

/** Another day whose score comes within RIVAL_MARGIN of the chosen date's: the machine was unsure which is the document's. */
export function isRival(date: FoundDate, main: FoundDate | null): boolean {
  return main !== null && date.iso !== main.iso && date.score >= main.score - RIVAL_MARGIN;
}
