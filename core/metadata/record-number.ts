/**
 * A record's number as written after its label, and its one normal form, so that every way of
 * writing the same number finds the same record:
 *
 *     1.873/87 · 1873/1987 · 1 8 7 3 / 8 7             → 1873/1987
 *     4567-M-1985 (Argentine expediente)                → 4567-M/1985
 *     12.345/B/87                                        → 12345-B/1987
 *     SS-1234/87 · (Proc. DAE nº) 456/85 · 12.345/86-SEC → SS-1234/1987 · DAE-456/1985 · 12345-SEC/1986
 *     2019-81-1020-01234 (Uruguayan expediente)          → 2019-81-1020-01234
 *
 * Parts are digits (dotted thousands and typewriter spacing dropped) or an office's capital letters,
 * joined by hyphens in the order written; the year, when there is one, goes last after a slash, in
 * four digits. A lone number loses its leading zeros ("05" is edital 5); a number of several parts
 * keeps them, as the office that issued it wrote them.
 */

interface Part {
  /** Digits alone, or capital letters. */
  value: string;
  letters: boolean;
  /** The separator before it, spaces trimmed ('' for the first). */
  sep: string;
}

/**
 * 1.873 · 1873 · 98.765 · 1 873 · 1 8 7 3 (typewriter, a space after every digit) · 01234; and as
 * OCR misreads a dotted number: "2.1 17/93" (a space between narrow ones), "1. 045" (one after the
 * dot), "3,402/78" (the dot a comma, before a slash only: "nº 12, 345" is a list), "24 1 1/87"
 * (typewriter spacing closed up in places, before a slash only). Not a number: one running on into
 * a dot and more digits ("1.5722", a misread "1.522": no number rather than a wrong one), or into
 * an abbreviation's letters ("1.M.", a misread "I.M.").
 */
const DIGITS = /^(?:\d(?: \d){1,6}(?![\d.])|\d{1,3}(?:(?:\. ?|\s)\d{3}|\.\d(?: \d{2}|\d \d)(?= ?\/)|,\d{3}(?= ?\/))+(?!\d|[.,]\d)|\d{1,2}(?: \d{1,2}){2,5}(?= ?\/ ?\d)|\d{1,10}(?!\d|[.,]\d|\.[A-Za-z]\.))/;
/** An office's letters: M, SEC, DAE, SS. Capitals only: "de" is a word, not an office. */
const LETTERS = /^[A-Z]{1,5}(?![\p{L}\p{N}])/u;
/**
 * A slash may be spaced as typewriters spaced it ("1 8 7 3 / 8 7"); a hyphen inside a number is
 * not (" - SMA" is a dash), but OCR may part a long number after its hyphens ("3301- 001456- 88",
 * a speckled record of the metadata set): a hyphen joined to the digits before it and a space
 * before more digits still joins.
 */
const SEPARATOR = /^(?: ?\/ ?|-(?: (?=\d))?)/;
/** An office's letters after a spaced dash, ending the line: "Ofício nº 318/2009 - DRH" (not "nº 57 - Requerente: …"). */
const OFFICE_AFTER = /^ [-–] (?=[A-Z]{2,5}[ \t]*(?:[.,;)]|$))/m;
/** A date where a number would be ("Protocolo nº 123-12/03/1987", "Entrada: 03/05/1988") is no part of one. */
const DATE_AHEAD = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)/;
const MAX_PARTS = 5;

export interface RecordNumber {
  /** The normal form; null for a number whose year cannot be (`1234/2999`). */
  value: string | null;
  /** True when the value is a number without a year, to which a following date may give one. */
  bare: boolean;
  /** Where the number ends in the text. */
  end: number;
}

/** The number written at `at` in `text` (original case), or null when none is. `prefix`: an office's letters written before the number sign. */
export function readRecordNumber(text: string, at: number, prefix?: string, now = new Date()): RecordNumber | null {
  const parts: Part[] = prefix ? [{ value: prefix, letters: true, sep: '' }] : [];
  let pos = at;
  let end = at;
  let sep = prefix ? '-' : '';
  while (parts.length < MAX_PARTS) {
    const rest = text.slice(pos, pos + 40);
    const digits = DIGITS.exec(rest);
    const letters = digits ? null : LETTERS.exec(rest);
    const found = digits ?? letters;
    if (!found) break;
    // Letters are joined to the number without spaces (but for an office closing the line); a date is not part of it.
    if (letters && ((sep.includes(' ') && !/[-–]/.test(sep)) || parts.at(-1)?.letters)) break;
    if (digits && DATE_AHEAD.test(rest)) break;
    parts.push({ value: digits ? found[0].replace(/[.,\s]/g, '') : found[0], letters: !digits, sep: sep.trim() });
    pos += found[0].length;
    end = pos;
    const next = SEPARATOR.exec(text.slice(pos, pos + 3)) ?? OFFICE_AFTER.exec(text.slice(pos, pos + 10));
    if (!next) break;
    sep = next[0];
    pos += next[0].length;
  }
  officeLetterReadAsDigit(parts, now);
  const numeric = parts.filter((part) => !part.letters);
  if (numeric.length === 0) return null;
  const year = yearPart(parts, numeric, now);
  if (year === null) return { value: null, bare: false, end };
  const rest = parts.filter((part) => part !== year?.part);
  const lone = rest.filter((part) => !part.letters).length === 1;
  // "05" and "5" are the same edital; "01234" in a number of several parts is as the office wrote it.
  const body = rest.map((part) => (!part.letters && lone ? String(Number(part.value)) : part.value)).join('-');
  return { value: year ? `${body}/${year.value}` : body, bare: !year && rest.length === 1, end };
}

/** What OCR reads for an office's single letter in a typed face: O as 0, I as 1. */
const LETTER_READ_AS_DIGIT: Record<string, string> = { '0': 'O', '1': 'I' };

/**
 * "1.044-0-2004", "3.318-1-1988": an Argentine expediente (number, office letter, year) whose
 * letter OCR read as a digit. A lone 0 or 1 between hyphens, after a number and before a four-digit
 * year, is taken for the letter; numbers of digits only are otherwise kept as written.
 */
function officeLetterReadAsDigit(parts: Part[], now: Date): void {
  if (parts.length !== 3 || parts.some((part) => part.letters)) return;
  const [number, middle, year] = parts as [Part, Part, Part];
  const letter = LETTER_READ_AS_DIGIT[middle.value];
  const yearValue = Number(year.value);
  if (!letter || middle.sep !== '-' || year.sep !== '-' || number.value.length < 2) return;
  if (year.value.length !== 4 || yearValue < 1800 || yearValue > now.getFullYear()) return;
  parts[1] = { value: letter, letters: true, sep: '-' };
}

/**
 * The year among the parts: the last number, of two or four digits, after a slash ("1873/87"),
 * or after a hyphen when the rest is one number or has letters ("1873-87", "4567-M-1985"); a
 * run of hyphenated numbers (a Uruguayan expediente) has none. Null: a year out of range.
 */
function yearPart(parts: Part[], numeric: Part[], now: Date): { part: Part; value: number } | undefined | null {
  const last = numeric.at(-1)!;
  if (numeric.length < 2 || !/^(?:\d{2}|\d{4})$/.test(last.value)) return undefined;
  if (!(last.sep === '/' || (last.sep === '-' && (numeric.length === 2 || parts.some((part) => part.letters))))) return undefined;
  const n = Number(last.value);
  const value = last.value.length === 4 ? n : n <= now.getFullYear() % 100 ? 2000 + n : 1900 + n;
  return value < 1800 || value > now.getFullYear() ? null : { part: last, value };
}

/**
 * The ways a clerk may type a number, for the search index: 1873/1987 is also 1873/87, 1.873/1987
 * and 1.873/87; 4567-M/1985 also 4567-M/85 and, without the office's letters, 4567/1985; a
 * number of several parts also its digits run together.
 */
export function recordNumberVariants(value: string): string[] {
  const slash = value.lastIndexOf('/');
  const body = slash === -1 ? value : value.slice(0, slash);
  const year = slash === -1 ? null : value.slice(slash + 1);
  const parts = body.split('-');
  const dot = (part: string) => (/^[1-9]\d{3,}$/.test(part) ? part.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : part);
  const numbers = parts.filter((part) => /^\d+$/.test(part));
  const bodies = [body];
  // Thousands dotted in a lone number only ("1.873"); a number of several parts is typed as issued.
  if (numbers.length === 1) bodies.push(parts.map(dot).join('-'));
  if (numbers.length === 1 && parts.length > 1) bodies.push(numbers[0]!, dot(numbers[0]!));
  if (numbers.length > 1 && numbers.length === parts.length && !year) bodies.push(numbers.join(''));
  const years = year ? [year, year.slice(2)] : [];
  const forms = years.length > 0 ? bodies.flatMap((b) => years.map((y) => `${b}/${y}`)) : bodies;
  return [...new Set(forms)];
}
