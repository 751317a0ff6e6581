/**
 * A parsed query (query-parser.ts) as Meilisearch's `q`: words folded as typed, phrases in double
 * quotes, exclusions with Meilisearch's negative operator (`-word`, `-"a phrase"`, Meilisearch
 * ≥ 1.8: `milli/src/search/new/query_term/parse_query.rs`). Nothing else the clerk typed reaches
 * Meilisearch's syntax: every word is made of letters and digits only.
 *
 * Meilisearch has no OR inside `q`; `a OR b` becomes one query per choice, run as one federated
 * multi-search (Meilisearch ≥ 1.10), which merges the hits, counts each page once and computes
 * facets on the union (`crates/meilisearch/src/search/federated/perform.rs`: hits deduplicated by
 * document, `estimated_total_hits = candidates.len()` over the union of every query's candidates).
 */
import { AppError } from '../errors.js';
import type { ParsedQuery, QueryTerm } from './query-parser.js';

/** Federated queries a search may fan out to (choices multiply: `a OR b c OR d` is four). */
export const MAX_OR_QUERIES = 16;
/**
 * Meilisearch takes at most 10 words of a query and silently drops the rest ("Known limitations:
 * maximum number of query words"): a longer query is refused, saying so, instead of searching
 * for less than was typed. (The embedded index takes 32.)
 */
export const MAX_MEILISEARCH_WORDS = 10;

function termText(term: QueryTerm, negated = false): string {
  // A bare word stays bare (typo tolerance, and a prefix when last; an excluded word is matched
  // exactly either way); anything else is a phrase.
  if (term.tokens.length === 1 && (term.fuzzy || negated)) return term.tokens[0] as string;
  // A phrase or an identifier still being typed (`1873/198`): Meilisearch matches no prefix inside
  // a phrase, so its words go bare, the last one a prefix, and the proximity rule ranks pages where
  // they stand together first; once typed (`1873/1987 `) it is a phrase again.
  if (term.prefix && !negated) return term.tokens.join(' ');
  return `"${term.tokens.join(' ')}"`;
}

/** One `q` per combination of OR choices; exclusions first, so the word still being typed stays last (Meilisearch's prefix). */
export function meilisearchQueries(parsed: ParsedQuery): string[] {
  const excluded = parsed.clauses.filter((clause) => clause.negated).flatMap((clause) => clause.anyOf.map((term) => `-${termText(term, true)}`));
  let combinations: string[][] = [[]];
  for (const clause of parsed.clauses) {
    if (clause.negated) continue;
    combinations = combinations.flatMap((words) => clause.anyOf.map((term) => [...words, termText(term)]));
    if (combinations.length > MAX_OR_QUERIES) {
      throw new AppError('QUERY_INVALID', `The search asks for more than ${MAX_OR_QUERIES} combinations of OR: use fewer ORs.`, { details: { combinations: combinations.length, reason: 'too-many-or' } });
    }
  }
  const queries = combinations.map((words) => [...excluded, ...words].join(' '));
  const words = Math.max(...queries.map((query) => query.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length));
  if (words > MAX_MEILISEARCH_WORDS) {
    throw new AppError('QUERY_INVALID', `The search has ${words} words; Meilisearch searches at most ${MAX_MEILISEARCH_WORDS}: keep the most distinctive ones.`, { details: { words, reason: 'too-many-words' } });
  }
  return queries;
}
