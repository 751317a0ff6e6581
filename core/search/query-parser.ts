/**
 * What a clerk typed, as clauses any backend can match. The language clerks expect:
 *
 *     alvará licença          every word (the last one also as a prefix, as results follow the typing)
 *     "tomada de preços"      the words together, in this order
 *     licença OR autorização  either (OU also works); binds closer than the words around it
 *     alvará -cancelado       pages with the first and without the second (also -"a phrase")
 *     12.345/1987             the parts of one typed thing stay together, as a phrase
 *
 * Words are folded as the index folds them (text-folding.ts): case, accents, character widths and
 * invisible characters never matter. Anything else typed — stray symbols, brackets, `*`, `^`, an
 * emoji, a word too long to be a word — is left out and named in `ignored`, so the search runs on
 * what is searchable and the clerk is told what was not. Nothing typed reaches any engine's own
 * syntax.
 */
import { AppError } from '../errors.js';
import { PERSONAL_KEY_PREFIX, queryWithPersonalKeys } from '../privacy/index-privacy.js';
import { characterKind, MAX_WORD_LENGTH, scanWords } from './text-folding.js';

export interface QueryTerm {
  /** Folded words; more than one make a phrase (adjacent, in order). */
  tokens: string[];
  /** The last word also matches as a prefix (the clerk is still typing it). */
  prefix: boolean;
  /** Typed as one bare word, so typo tolerance may apply; quoted text is taken literally. */
  fuzzy: boolean;
}

export interface QueryClause {
  /** Any of these matches (OR); one term for a plain word or phrase. */
  anyOf: QueryTerm[];
  /** Pages matching it are left out. */
  negated: boolean;
}

export interface ParsedQuery {
  /** Every positive clause must match; no negated clause may. At least one is positive. */
  clauses: QueryClause[];
  /** What was typed and left out of the search, as typed (long words shortened). */
  ignored: string[];
  /**
   * The whole personal numbers typed (`cpf:39053344705`), searched as the keys the index holds for
   * them (core/privacy/index-privacy.ts): a hit may show these, since the user typed them.
   */
  personalNumbers: Set<string>;
}

/**
 * Why a query was refused (QUERY_INVALID's `details.reason`), for a page to say it in the clerk's
 * language: empty, no-words (only symbols), only-exclusions, too-many-words, too-many-or.
 */
export type QueryRefusal = 'empty' | 'no-words' | 'only-exclusions' | 'too-many-words' | 'too-many-or';

/** Beyond this, a query is pasted text rather than a search: refuse it instead of running it slowly. */
export const MAX_QUERY_WORDS = 32;

/** Shorter prefixes match most of an archive. */
const MIN_PREFIX_LENGTH = 2;

/** Inside one typed chunk these keep words together (`12.345/1987`, `guarda-chuva`, `d'água`); any other symbol separates. */
const JOINERS = new Set(['.', '/', '-', '\'', '’', '_', '\\', '‐', '‑', '–']);
/** Separators too ordinary to mention when left out. */
const PLAIN_PUNCTUATION = /^[,;:!?¿¡…]$/u;
const OPERATORS_OR = new Set(['OR', 'OU']);

interface Item {
  tokens: string[];
  quoted: boolean;
  /** A quote left open: still being typed. */
  open: boolean;
  negated: boolean;
  /** `OR` / `OU` typed as a word of its own. */
  or: boolean;
}

/**
 * Parse a query. Throws QUERY_INVALID when nothing is left to search for (blank, only symbols, or
 * only exclusions) or when the query is too long to be a search.
 */
export function parseQuery(input: string): ParsedQuery {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('QUERY_INVALID', 'The search is empty: type at least one word to look for.', { details: { reason: 'empty' } });
  }
  const ignored: string[] = [];
  // An operator typed alone is the word it spells.
  const alone = input.trim();
  const keyed = queryWithPersonalKeys(input);
  const items = alone === 'AND' || OPERATORS_OR.has(alone) ? [{ tokens: [alone.toLowerCase()], quoted: false, open: false, negated: false, or: false }] : withoutTypedKeys(lex(keyed.text, ignored), keyed.keys, ignored);
  const words = items.reduce((sum, item) => sum + item.tokens.length, 0);
  if (words > MAX_QUERY_WORDS) {
    throw new AppError(
      'QUERY_INVALID',
      `The search has ${words} words; use at most ${MAX_QUERY_WORDS} (a few distinctive words or a short "quoted phrase" find more).`,
      { details: { query: input, words, reason: 'too-many-words' } },
    );
  }
  const clauses = toClauses(items, ignored);
  if (!clauses.some((clause) => !clause.negated)) {
    const excluded = clauses.length > 0;
    throw new AppError(
      'QUERY_INVALID',
      excluded
        ? `"${input.trim()}" only leaves pages out: type at least one word to look for as well.`
        : `Nothing to search for in "${input.trim()}": type at least one word or number.`,
      { details: { query: input, ignored, reason: excluded ? 'only-exclusions' : 'no-words' } },
    );
  }
  return { clauses: withoutRedundancy(clauses), ignored: [...new Set(ignored)], personalNumbers: keyed.typed };
}

/**
 * Words that look like the index's personal-number keys but were typed as such are left out: only
 * a whole number typed in its own form searches for its key. A key never grows as a prefix.
 */
function withoutTypedKeys(items: Item[], keys: ReadonlySet<string>, ignored: string[]): Item[] {
  return items.flatMap((item) => {
    const tokens = item.tokens.filter((token) => {
      if (!token.startsWith(PERSONAL_KEY_PREFIX) || keys.has(token)) return true;
      ignored.push(token);
      return false;
    });
    return tokens.length > 0 || item.or ? [{ ...item, tokens }] : [];
  });
}

/** A key, or the start of one: matched exactly, never as a prefix or with typos (either would reach other numbers' keys). */
const nearKey = (token: string) => token.startsWith(PERSONAL_KEY_PREFIX) || PERSONAL_KEY_PREFIX.startsWith(token);

/** The typed text as items: words, phrases, typed chunks, each maybe negated; OR as an item of its own. */
function lex(input: string, ignored: string[]): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/u.test(ch)) {
      i += 1;
      continue;
    }
    // `-` right before a word or a quote, at the start of what is typed, excludes it.
    const negated = ch === '-' && i + 1 < input.length && !/\s/u.test(input[i + 1] as string) && (i === 0 || /\s/u.test(input[i - 1] as string));
    const at = negated ? i + 1 : i;
    if (input[at] === '"') {
      const end = input.indexOf('"', at + 1);
      const body = end === -1 ? input.slice(at + 1) : input.slice(at + 1, end);
      const tokens = words(body, ignored);
      if (tokens.length > 0) items.push({ tokens, quoted: true, open: end === -1, negated, or: false });
      else if (negated) ignored.push('-');
      i = end === -1 ? input.length : end + 1;
      continue;
    }
    let end = at;
    while (end < input.length && input[end] !== '"' && !/\s/u.test(input[end] as string)) end += 1;
    const chunk = input.slice(at, end);
    if (!negated && OPERATORS_OR.has(chunk)) items.push({ tokens: [], quoted: false, open: false, negated: false, or: true });
    else if (!negated && chunk === 'AND') ignored.push('AND');
    else {
      const parts = splitChunk(chunk, ignored);
      if (parts.length === 0 && negated) ignored.push('-');
      // Only the first part carries the `-`: in `-x(y)` the clerk excluded x.
      parts.forEach((tokens, index) => items.push({ tokens, quoted: false, open: false, negated: negated && index === 0, or: false }));
    }
    i = end;
  }
  return items;
}

/** A bare chunk cut at its symbols; each piece's words stay together. */
function splitChunk(chunk: string, ignored: string[]): string[][] {
  const parts: string[][] = [];
  let piece = '';
  for (const char of chunk) {
    if (characterKind(char) === 'separator' && !JOINERS.has(char)) {
      if (!PLAIN_PUNCTUATION.test(char)) ignored.push(char);
      const tokens = words(piece, ignored);
      if (tokens.length > 0) parts.push(tokens);
      piece = '';
    } else piece += char;
  }
  const tokens = words(piece, ignored);
  if (tokens.length > 0) parts.push(tokens);
  return parts;
}

function words(text: string, ignored: string[]): string[] {
  const out: string[] = [];
  scanWords(text, (word, start, end, tooLong) => {
    if (tooLong) ignored.push(`${text.slice(start, start + 12)}… (${end - start} characters)`);
    else out.push(word);
  });
  return out;
}

/** Items as clauses: OR joins its neighbours; the last item, if still being typed, is a prefix. */
function toClauses(items: readonly Item[], ignored: string[]): QueryClause[] {
  const clauses: QueryClause[] = [];
  const terms = items.filter((item) => !item.or);
  const last = terms.at(-1);
  let joinNext = false;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as Item;
    if (item.or) {
      const before = clauses.at(-1);
      const after = items[index + 1];
      if (before && !before.negated && after && !after.or && !after.negated) joinNext = true;
      else ignored.push('OR');
      continue;
    }
    const typing = item === last && !item.negated && (!item.quoted || item.open);
    const lastToken = item.tokens[item.tokens.length - 1] as string;
    const keyLike = item.tokens.some(nearKey);
    const term: QueryTerm = {
      tokens: item.tokens,
      prefix: typing && !keyLike && lastToken.length >= MIN_PREFIX_LENGTH && lastToken.length <= MAX_WORD_LENGTH,
      fuzzy: !item.quoted && !item.negated && !keyLike && item.tokens.length === 1,
    };
    if (joinNext) (clauses.at(-1) as QueryClause).anyOf.push(term);
    else clauses.push({ anyOf: [term], negated: item.negated });
    joinNext = false;
  }
  return clauses;
}

const termKey = (term: QueryTerm) => `${term.tokens.join(' ')}${term.prefix ? '*' : ''}${term.fuzzy ? '~' : ''}`;
const clauseKey = (clause: QueryClause) => `${clause.negated ? '-' : '+'}${clause.anyOf.map(termKey).sort().join('|')}`;

/**
 * Repeated clauses once; a prefix another word already spells (`alvará alv`) dropped: a query
 * costs what its distinct meaning costs, however it was typed.
 */
function withoutRedundancy(clauses: readonly QueryClause[]): QueryClause[] {
  const seen = new Set<string>();
  const unique = clauses.filter((clause) => {
    const key = clauseKey(clause);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const spelledBy = (clause: QueryClause): string | null => {
    const term = clause.anyOf[0] as QueryTerm;
    return !clause.negated && clause.anyOf.length === 1 && term.tokens.length === 1 ? (term.tokens[0] as string) : null;
  };
  return unique.filter((clause) => {
    const term = clause.anyOf[0] as QueryTerm;
    if (clause.negated || clause.anyOf.length !== 1 || !term.prefix || term.tokens.length !== 1) return true;
    const prefix = term.tokens[0] as string;
    // Another clause's word that begins with the prefix already matches only pages the prefix matches.
    return !unique.some((other) => other !== clause && spelledBy(other)?.startsWith(prefix) === true);
  });
}

/** Every distinct folded word of a query's positive clauses (for highlighting and engines that list words). */
export function positiveTerms(query: ParsedQuery): QueryTerm[] {
  return query.clauses.filter((clause) => !clause.negated).flatMap((clause) => clause.anyOf);
}
