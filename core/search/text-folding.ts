/**
 * Words as search sees them, the same for the text indexed and the query typed: case, accents
 * and the width of characters never matter (`CERTIDÃO`, `certidao`, `ｃｅｒｔｉｄａｏ` are one word),
 * digits of other scripts read as digits (`١٩٨٧` is 1987), and invisible characters — zero-width
 * spaces, soft hyphens, joiners, direction marks — never split a word. Anything else that is not
 * a letter or a digit separates words.
 *
 * One scanner serves indexing (folded words, in order), snippets (where each word lies in the
 * original text) and the query parser. Latin text is folded through a lookup table built once
 * from Unicode normalization, so indexing a million pages does not normalize every character.
 */

/** Longer runs of letters are OCR noise or pasted garbage, not words: they are neither indexed nor searched. */
export const MAX_WORD_LENGTH = 64;

/** A character's folded form: '' for an invisible one (skipped), null for a separator. */
type Folded = string | null;

const WORD_CHAR = /^[\p{L}\p{N}\p{Co}]$/u;
const INVISIBLE = /^[\p{Cf}\u00AD]$/u;
const MARKS = /\p{M}+/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** The folded form of one character (a code point), from Unicode normalization. */
function foldCharacter(char: string): Folded {
  if (INVISIBLE.test(char)) return '';
  // NFKC: full-width and other compatibility forms become their plain letters and digits.
  const compatible = char.normalize('NFKC');
  let out = '';
  for (const part of compatible) {
    if (DECIMAL_DIGIT.test(part)) {
      out += digitValue(part);
      continue;
    }
    if (!WORD_CHAR.test(part)) {
      // A mark left alone after NFKC (a combining accent typed on its own) belongs to the letter before it.
      if (/^\p{M}$/u.test(part)) continue;
      return out === '' ? null : out;
    }
    // Lower-case first: some capitals only decompose into letter + mark once lowered (İ → i̇).
    out += part.toLowerCase().normalize('NFD').replace(MARKS, '');
  }
  return out === '' && /^\p{M}+$/u.test(compatible) ? '' : out === '' ? null : out;
}

/** Unicode encodes each script's digits 0–9 in runs of ten: a digit's value is its place in its run. */
function digitValue(digit: string): string {
  const code = digit.codePointAt(0) as number;
  if (code < 0x80) return digit;
  let start = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return String((code - start) % 10);
}

/**
 * Folded forms of the first 0x2000 code points (every Latin script, Greek, Cyrillic, punctuation),
 * filled as characters are first met: ASCII at once, the rest on demand (building the whole
 * table at start cost `acervo search` 30 ms of its start).
 */
const TABLE_SIZE = 0x2000;
const UNSET = Symbol('unset');
const TABLE: Array<Folded | typeof UNSET> = new Array(TABLE_SIZE).fill(UNSET);
/** 1 where a character folds to itself (a-z, 0-9): words of only these are sliced, not rebuilt; 2 not yet known. */
const IDENTITY = new Uint8Array(TABLE_SIZE).fill(2);
for (let code = 0; code < 0x80; code += 1) learn(code);
const OTHERS = new Map<number, Folded>();

function learn(code: number): Folded {
  const fold = code >= 0xd800 && code <= 0xdfff ? null : foldCharacter(String.fromCharCode(code));
  TABLE[code] = fold;
  IDENTITY[code] = fold === String.fromCharCode(code) ? 1 : 0;
  return fold;
}

function folded(code: number): Folded {
  if (code < TABLE_SIZE) {
    const known = TABLE[code] as Folded | typeof UNSET;
    return known === UNSET ? learn(code) : known;
  }
  let found = OTHERS.get(code);
  if (found === undefined) {
    found = foldCharacter(String.fromCodePoint(code));
    if (OTHERS.size < 100_000) OTHERS.set(code, found);
  }
  return found;
}

/**
 * Calls `visit` for each word of `text`, in order: its folded form and where it lies in `text`
 * (`start` inclusive, `end` exclusive, in UTF-16 units). Words longer than MAX_WORD_LENGTH are
 * reported with `tooLong` set and an empty word (the caller decides what to do with them).
 */
export function scanWords(text: string, visit: (word: string, start: number, end: number, tooLong: boolean) => void): void {
  // A word is sliced from the text while every character folds to itself; built up only once one does not.
  let built: string | null = null;
  let start = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (code < TABLE_SIZE && IDENTITY[code] === 2) learn(code);
    if (code < TABLE_SIZE && IDENTITY[code] === 1) {
      if (start < 0) start = i;
      else if (built !== null && built.length <= MAX_WORD_LENGTH) built += text[i];
      i += 1;
      continue;
    }
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const fold = folded(code);
    if (fold === null) {
      if (start >= 0) {
        emit(built ?? text.slice(start, i), start, i, visit);
        built = null;
        start = -1;
      }
    } else {
      if (start < 0) {
        start = i;
        built = '';
      } else if (built === null) built = text.slice(start, i);
      if (built.length <= MAX_WORD_LENGTH) built += fold;
    }
    i += width;
  }
  if (start >= 0) emit(built ?? text.slice(start, length), start, length, visit);
}

function emit(word: string, start: number, end: number, visit: (word: string, start: number, end: number, tooLong: boolean) => void): void {
  if (word === '') return; // only invisible characters
  if (word.length > MAX_WORD_LENGTH) visit('', start, end, true);
  else visit(word, start, end, false);
}

/** What a character is to search: part of a word, invisible (skipped), or a separator. */
export function characterKind(char: string): 'word' | 'invisible' | 'separator' {
  const fold = folded(char.codePointAt(0) as number);
  return fold === null ? 'separator' : fold === '' ? 'invisible' : 'word';
}

/** The folded words of a text, in order (words too long to be words left out). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  scanWords(text, (word, _start, _end, tooLong) => {
    if (!tooLong) out.push(word);
  });
  return out;
}

/** A text folded as words are: lower case, no accents, compatibility forms and other scripts' digits made plain, invisible characters gone. */
export function foldText(text: string): string {
  let out = '';
  for (const char of text) {
    const fold = folded(char.codePointAt(0) as number);
    out += fold === null ? char : fold;
  }
  return out;
}

/** Text as it is shown and stored: NFC, without invisible characters (which would split words in other tools). */
export function visibleText(text: string): string {
  return text.normalize('NFC').replace(/[\p{Cf}\u00AD]/gu, '');
}
