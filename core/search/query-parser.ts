/**
 * What a clerk typed, as terms an index can match: bare words (all must match), "quoted
 * phrases", and the last bare word also as a prefix so results follow the typing.
 *
 * Folding and splitting mirror SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer (the
 * embedded index's), so the terms built here are the ones the index holds: case and accents
 * never matter, and anything that is not a letter or digit separates words. Nothing the user
 * types reaches FTS5 unquoted, so its syntax characters can never cause a syntax error.
 */
import { AppError } from '../errors.js';

export interface QueryTerm {
  /** Folded tokens; more than one make a phrase (adjacent, in order). */
  tokens: string[];
  /** The last token also matches as a prefix. */
  prefix: boolean;
  /** Typed as one bare word, so typo tolerance may apply; quoted text is taken literally. */
  fuzzy: boolean;
}

/** Beyond this, a query is pasted text rather than a search: refuse it instead of running it slowly. */
export const MAX_QUERY_WORDS = 32;

/** Shorter prefixes match most of an archive and the index keeps no prefix entries for them. */
const MIN_PREFIX_LENGTH = 2;

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const MARKS = /\p{M}+/gu;

/** Lower case without diacritics, as unicode61 remove_diacritics 2 folds: `Certidão` → `certidao`. */
export function foldText(text: string): string {
  // Lower-case first: some capitals only decompose into letter + mark once lowered (İ → i̇).
  return text.toLowerCase().normalize('NFD').replace(MARKS, '');
}

/** Folded words of a text: runs of letters, digits and private-use characters. */
export function tokenize(text: string): string[] {
  return foldText(text).match(TOKEN) ?? [];
}

interface Chunk {
  tokens: string[];
  quoted: boolean;
  closed: boolean;
}

function chunks(input: string): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === '"') {
      const end = input.indexOf('"', i + 1);
      const body = end === -1 ? input.slice(i + 1) : input.slice(i + 1, end);
      out.push({ tokens: tokenize(body), quoted: true, closed: end !== -1 });
      i = end === -1 ? input.length : end + 1;
    } else if (/\s/u.test(ch)) {
      i += 1;
    } else {
      let end = i;
      while (end < input.length && input[end] !== '"' && !/\s/u.test(input[end] as string)) end += 1;
      // `12.345/1987` or `guarda-chuva` are one thing typed: keep their parts together as a phrase.
      out.push({ tokens: tokenize(input.slice(i, end)), quoted: false, closed: true });
      i = end;
    }
  }
  return out.filter((chunk) => chunk.tokens.length > 0);
}

/**
 * Parse a query. Throws QUERY_INVALID when there is nothing to search for (blank, or only
 * punctuation) or when the query is too long to be a search.
 */
export function parseQuery(input: string): QueryTerm[] {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('QUERY_INVALID', 'The search is empty: type at least one word to look for.');
  }
  const found = chunks(input);
  if (found.length === 0) {
    throw new AppError('QUERY_INVALID', `Nothing to search for in "${input.trim()}": type at least one word or number.`, {
      details: { query: input },
    });
  }
  const words = found.reduce((sum, chunk) => sum + chunk.tokens.length, 0);
  if (words > MAX_QUERY_WORDS) {
    throw new AppError(
      'QUERY_INVALID',
      `The search has ${words} words; use at most ${MAX_QUERY_WORDS} (a few distinctive words or a short "quoted phrase" find more).`,
      { details: { query: input, words } },
    );
  }
  return found.map((chunk, index) => {
    const isLast = index === found.length - 1;
    const lastToken = chunk.tokens[chunk.tokens.length - 1] as string;
    // A quote left open is still being typed; a closed one was meant literally.
    const typing = !chunk.quoted || !chunk.closed;
    return {
      tokens: chunk.tokens,
      prefix: isLast && typing && lastToken.length >= MIN_PREFIX_LENGTH,
      fuzzy: !chunk.quoted && chunk.tokens.length === 1,
    };
  });
}

/** One FTS5 string: tokens are quoted, so operators and punctuation inside them are plain text. */
export function ftsString(tokens: readonly string[]): string {
  return `"${tokens.join(' ').replaceAll('"', '""')}"`;
}

/**
 * An FTS5 MATCH expression: every term must match. `alternatives[i]`, when given, lists further
 * whole words any of which may stand in for term i (typo expansions).
 */
export function ftsMatchExpression(terms: readonly QueryTerm[], alternatives: readonly (readonly string[])[] = []): string {
  return terms
    .map((term, index) => {
      const exact = ftsString(term.tokens) + (term.prefix ? '*' : '');
      const others = alternatives[index] ?? [];
      if (others.length === 0) return exact;
      return `(${[exact, ...others.map((word) => ftsString([word]))].join(' OR ')})`;
    })
    .join(' AND ');
}
