/**
 * The digits of a number however a scan, a PDF or a typist wrote them: any Unicode decimal digit
 * (full-width, Arabic-Indic, mathematical…), read by its numeric value; zero-width characters and
 * soft hyphens ignored; groups of digits joined by a separator (`.`, `,`, `-`, `/`, dashes, a few
 * spaces, one line break); and OCR's usual slips, a letter read for a digit (`O`/`o` for 0,
 * `l`/`I`/`|` for 1), inside a group of digits. Personal-number detection reads runs of such groups
 * (issue 20): a run is what a number could be made of, whoever wrote it and however.
 */

/** A maximal sequence of digit-like characters (slips and zero-width characters among them). */
export interface DigitGroup {
  /** Canonical ASCII digits, one per digit-like character, slips read as the digit they stand for. */
  digits: string;
  /** UTF-16 offset of each digit-like character. */
  at: number[];
  /** UTF-16 offset just past each (a digit outside the BMP takes two units). */
  to: number[];
  /** Slip letters at the group's start and end: a candidate may leave them out (`|390…05|` in a table). */
  lead: number;
  trail: number;
  /** Slip letters in all. */
  slips: number;
}

/** What stands between two groups of a run. */
export interface DigitGap {
  /** Holds whitespace or a line break: the groups may belong to two numbers written side by side. */
  space: boolean;
  /** Its punctuation, normalised to one of `. , - /`, or '' when it has none. */
  punct: string;
}

export interface DigitRun {
  groups: DigitGroup[];
  /** gaps[i] is between groups[i] and groups[i + 1]. */
  gaps: DigitGap[];
  /** Digit-like characters in all. */
  count: number;
}

/** Invisible characters a copy-paste or a PDF may put inside a number: ignored wherever they are. */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]);
/** OCR slips: letters a recogniser reads for digits. D, S, B… are too ambiguous to count. */
const SLIPS = new Map<number, string>([[0x4f, '0'], [0x6f, '0'], [0x6c, '1'], [0x49, '1'], [0x7c, '1']]);
const SPACES = new Set([0x20, 0x09, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000]);
const LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]);
/** Punctuation between groups, each with its normal form. */
const PUNCTUATION = new Map<number, string>([
  [0x2e, '.'], [0xff0e, '.'], [0x2024, '.'], [0xb7, '.'], [0x66b, '.'], [0x2c, ','], [0xff0c, ','], [0x60c, ','], [0x66c, ','], [0x2f, '/'], [0xff0f, '/'], [0x2044, '/'], [0x2215, '/'],
  [0x2d, '-'], [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'], [0x2212, '-'], [0xfe58, '-'], [0xfe63, '-'], [0xff0d, '-'],
]);
/** A gap longer than this is layout, not a separator. */
const MAX_GAP_SPACES = 6;

const ANY_DIGIT = /\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;
const IS_LETTER = /^\p{L}$/u;
const values = new Map<number, number>();

/** The numeric value of a Unicode decimal digit, -1 for anything else. */
export function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x660) return -1;
  let value = values.get(cp);
  if (value === undefined) {
    // Unicode lays every decimal digit out in runs of ten, 0 to 9: the value is the distance from the run's start.
    if (!IS_DIGIT.test(String.fromCodePoint(cp))) value = -1;
    else {
      let first = cp;
      while (IS_DIGIT.test(String.fromCodePoint(first - 1))) first -= 1;
      value = (cp - first) % 10;
    }
    values.set(cp, value);
  }
  return value;
}

export function isZeroWidth(code: number): boolean {
  return ZERO_WIDTH.has(code);
}

export function isSlip(code: number): boolean {
  return SLIPS.has(code);
}

function letterAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const cp = text.codePointAt(index)!;
  // A low surrogate: look at the whole character.
  if (cp >= 0xdc00 && cp <= 0xdfff && index > 0) return IS_LETTER.test(String.fromCodePoint(text.codePointAt(index - 1)!));
  return cp < 0x80 ? (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a : IS_LETTER.test(String.fromCodePoint(cp));
}

/** The group starting at `from` (slips, zero-width characters and digits), or null if it holds no true digit. */
function readGroup(text: string, from: number): { group: DigitGroup; end: number } | null {
  const group: DigitGroup = { digits: '', at: [], to: [], lead: 0, trail: 0, slips: 0 };
  let trueDigits = 0;
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      group.digits += text[i];
      group.at.push(i);
      group.to.push(i + 1);
      group.trail = 0;
      trueDigits += 1;
      i += 1;
      continue;
    }
    const slip = SLIPS.get(code);
    if (slip !== undefined) {
      group.digits += slip;
      group.at.push(i);
      group.to.push(i + 1);
      group.slips += 1;
      if (trueDigits === 0) group.lead += 1;
      group.trail += 1;
      i += 1;
      continue;
    }
    if (ZERO_WIDTH.has(code)) {
      i += 1;
      continue;
    }
    const cp = code >= 0xd800 && code <= 0xdbff ? text.codePointAt(i)! : code;
    const value = digitValue(cp);
    if (value < 0) break;
    const width = cp > 0xffff ? 2 : 1;
    group.digits += String.fromCharCode(0x30 + value);
    group.at.push(i);
    group.to.push(i + width);
    group.trail = 0;
    trueDigits += 1;
    i += width;
  }
  if (trueDigits === 0) return null;
  // Slips touching a word are that word's letters (`no`, `Ofício`), not digits.
  if (group.trail > 0 && letterAt(text, i)) dropSlips(group, 'trail');
  return { group, end: i };
}

function dropSlips(group: DigitGroup, side: 'lead' | 'trail'): void {
  const n = group[side];
  if (side === 'lead') {
    group.digits = group.digits.slice(n);
    group.at.splice(0, n);
    group.to.splice(0, n);
  } else {
    group.digits = group.digits.slice(0, group.digits.length - n);
    group.at.length -= n;
    group.to.length -= n;
  }
  group.slips -= n;
  group[side] = 0;
}

/** The gap starting at `from`, or null if it is not one a number's groups could be written with. */
function readGap(text: string, from: number): { gap: DigitGap; end: number } | null {
  let spaces = 0;
  let breaks = 0;
  let punct = '';
  let i = from;
  for (; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (ZERO_WIDTH.has(code)) continue;
    if (SPACES.has(code)) spaces += 1;
    else if (LINE_BREAKS.has(code)) {
      if (!(code === 0x0a && text.charCodeAt(i - 1) === 0x0d)) breaks += 1;
    } else {
      const p = PUNCTUATION.get(code);
      if (p === undefined) break;
      if (punct !== '') return null;
      punct = p;
    }
    if (spaces > MAX_GAP_SPACES || breaks > 1) return null;
  }
  if (i === from) return null;
  return { gap: { space: spaces + breaks > 0, punct }, end: i };
}

/**
 * Every run of digit groups in `text` holding at least `minDigits` digit-like characters, in order.
 * Text between runs is skipped by one regex search, so a page of prose costs little.
 */
export function digitRuns(text: string, minDigits: number): DigitRun[] {
  const runs: DigitRun[] = [];
  let from = 0;
  for (;;) {
    ANY_DIGIT.lastIndex = from;
    const found = ANY_DIGIT.exec(text);
    if (!found) break;
    let start = found.index;
    while (start > from && (SLIPS.has(text.charCodeAt(start - 1)) || ZERO_WIDTH.has(text.charCodeAt(start - 1)))) start -= 1;
    const first = readGroup(text, start)!;
    if (first.group.lead > 0 && letterAt(text, start - 1)) dropSlips(first.group, 'lead');
    const run: DigitRun = { groups: [first.group], gaps: [], count: first.group.digits.length };
    let end = first.end;
    for (;;) {
      const gap = readGap(text, end);
      if (!gap || gap.end >= text.length) break;
      const next = readGroup(text, gap.end);
      if (!next) break;
      run.gaps.push(gap.gap);
      run.groups.push(next.group);
      run.count += next.group.digits.length;
      end = next.end;
    }
    if (run.count >= minDigits) runs.push(run);
    from = end;
  }
  return runs;
}
