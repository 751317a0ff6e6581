/**
 * Meilisearch filter expressions for Acervo's search filters.
 *
 * Where the backends differ by design: Meilisearch compares filter strings trimmed, lowercased and
 * in Unicode compatibility form (milli's `normalize_facet`: NFKD, then lowercase), so
 * `collection IN ["obras"]` finds `Obras`; the embedded index matches names exactly as stored. The
 * names a filter gets come from the facets the backend itself returned, so both find what a clerk
 * picked; and the restricted collections a search leaves out are matched without case by the
 * access policy anyway (core/access/policy.ts).
 */
import { AppError } from '../errors.js';
import { documentSetIds, isDocumentSet, type DocumentRule, type DocumentSet } from './document-set.js';
import type { SearchFilters } from './search-backend.js';

/**
 * A string in double quotes, as Meilisearch's filter parser reads it: it ends the string at the
 * first quote not preceded by a backslash, and of the escapes it removes only `\"` (filter-parser
 * src/value.rs, `quoted_by` and `unescape`); any other backslash stays as written. So quotes are
 * escaped and backslashes are not, and a value with a backslash before a quote or at its end
 * cannot be written at all: it is refused rather than matched wrongly.
 */
export function quoted(value: string): string {
  if (/\\(?="|$)/.test(value)) {
    throw new AppError('QUERY_INVALID', `Meilisearch cannot filter on "${value}": a backslash before a quote or at the end of a name cannot be written in its filters. Rename it in the catalog.`);
  }
  return `"${value.replaceAll('"', '\\"')}"`;
}

/**
 * The most document ids a filter lists (about 70 KB of filter at 7-digit ids). Why a bound: the
 * filter travels in every search's JSON body, which the server refuses past its payload limit
 * (`--http-payload-size-limit`, default "100 MB": crates/meilisearch/src/option.rs
 * DEFAULT_HTTP_PAYLOAD_SIZE_LIMIT, applied to JSON bodies by web::JsonConfig in
 * crates/meilisearch/src/lib.rs; an OR search sends the filter once per query of its multi-search,
 * up to 16), and the server parses it and evaluates `documentId IN [a, b, …]` as one `= a` facet
 * lookup per value, unioned (crates/milli/src/search/facet/filter/index_filter.rs,
 * `IndexFilterCondition::In`; `NOT IN` is the universe minus the same union), on every search:
 * the cost grows with the list, on the server, per query. Read at meilisearch/meilisearch 5cb2f2e
 * (July 2026); the same in v1.10.0. A million public ids listed made an 8 MB filter per search.
 */
export const MAX_LISTED_IDS = 10_000;

/** Meilisearch filter expressions; strings quoted, so nothing a user picks can change the expression. */
export function filterExpression(filters: SearchFilters, limits: { listedIds: number } = { listedIds: MAX_LISTED_IDS }): string[] {
  const clauses: string[] = [];
  if (filters.documentIds !== undefined) {
    if (!Array.isArray(filters.documentIds) || !filters.documentIds.every((id) => Number.isSafeInteger(id))) throw new AppError('QUERY_INVALID', 'The documentIds filter must be a list of whole numbers.');
    if (filters.documentIds.length > 0) clauses.push(`documentId IN [${filters.documentIds.join(', ')}]`);
  }
  if (filters.documentSet !== undefined) {
    if (!isDocumentSet(filters.documentSet)) throw new AppError('QUERY_INVALID', 'The documentSet filter must be a document set (core/search/document-set.ts).');
    clauses.push(...documentSetClauses(filters.documentSet, limits.listedIds));
  }
  for (const [key, field] of [['collections', 'collection'], ['documentTypes', 'documentType'], ['languages', 'language']] as const) {
    const values = filters[key];
    if (values === undefined) continue;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new AppError('QUERY_INVALID', `The ${key} filter must be a list of names (strings).`);
    if (values.length > 0) clauses.push(`${field} IN [${values.map(quoted).join(', ')}]`);
  }
  // NOT IN keeps documents without a collection: since v0.29 "NOT returns all documents that do
  // not satisfy a condition … and all documents missing a field" (docs: filter expression reference,
  // meilisearch/documentation#1869).
  if (filters.excludeCollections !== undefined) {
    const values = filters.excludeCollections;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new AppError('QUERY_INVALID', 'The excludeCollections filter must be a list of names (strings).');
    if (values.length > 0) clauses.push(`collection NOT IN [${values.map(quoted).join(', ')}]`);
  }
  for (const [key, op] of [['yearFrom', '>='], ['yearTo', '<=']] as const) {
    const value = filters[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) throw new AppError('QUERY_INVALID', `The year filter ${key} must be a number, not ${String(value)}.`);
    clauses.push(`year ${op} ${value}`);
  }
  if (filters.personalData !== undefined) {
    if (typeof filters.personalData !== 'boolean') throw new AppError('QUERY_INVALID', 'The personalData filter must be true or false.');
    clauses.push(`personalData = ${filters.personalData}`);
  }
  return clauses;
}

/**
 * A prepared document set (document-set.ts) as filter clauses of bounded size:
 * - a set of at most `listed` documents: its ids, `documentId IN […]` (exact; `IN []` parses and
 *   matches nothing: filter-parser `parse_value_list`, since v1.10);
 * - a bigger one: its owner's rule, the members named by collection and type, with the ids it
 *   lists (the documents the names would take in wrongly: withheld, with a drawn box, not yet
 *   indexed as the catalog has them; and members the index does not yet hold as the catalog has
 *   them) — when those ids are at most `listed` and Meilisearch's comparison of names cannot mix
 *   the rule's names up (ruleUsable);
 * - else the ids, all of them: exact, and as costly as before (the safe side).
 *
 * What can differ from the ids, and why nothing outside the set is counted: the rule is evaluated
 * by Meilisearch on the values the index holds; its owner lists every document whose indexed
 * values may differ from the catalog's (an index update waiting in the outbox, or set aside) and
 * every document the index may hold outside the set. A document that entered the set and waits in
 * the outbox is listed to be let in, as an id filter would find it. What remains is the moment
 * between the owner's reading of the catalog and Meilisearch's answer (another process correcting
 * and indexing a document just then): an id filter read at the same moment has the same window.
 */
export function documentSetClauses(set: DocumentSet, listed: number): string[] {
  if (set.size <= listed) return [`documentId IN [${documentSetIds(set).join(', ')}]`];
  const rule = set.rule;
  if (rule !== null && rule.exceptIds.length + rule.alsoIds.length <= listed && ruleUsable(rule)) {
    try {
      return ruleClauses(rule);
    } catch (error) {
      // A name Meilisearch's filters cannot write (quoted): the ids, exact.
      if (!(error instanceof AppError && error.code === 'QUERY_INVALID')) throw error;
    }
  }
  return [`documentId IN [${documentSetIds(set).join(', ')}]`];
}

/**
 * The rule as Meilisearch filters: only listed names let a document in (a collection the rule does
 * not name keeps it out, even of a public type); a document without a collection is left out of
 * the page by `toDocument` (meilisearch-documents.ts), so "no collection" is `collection NOT EXISTS`
 * (filter-parser: `value "NOT" WS+ "EXISTS"`, v1.10 and since).
 */
export function ruleClauses(rule: DocumentRule): string[] {
  const list = (names: readonly string[]) => names.map(quoted).join(', ');
  const named = `collection IN [${list(rule.collections)}] OR (documentType IN [${list(rule.documentTypes)}] AND (collection IN [${list(rule.otherCollections)}] OR collection NOT EXISTS))`;
  const clauses = [rule.alsoIds.length === 0 ? named : `${named} OR documentId IN [${rule.alsoIds.join(', ')}]`];
  if (rule.exceptIds.length > 0) clauses.push(`documentId NOT IN [${rule.exceptIds.join(', ')}]`);
  return clauses;
}

/**
 * A name as Meilisearch's filters compare it: trimmed, compatibility-decomposed (NFKD), lower-cased
 * (milli `normalize_facet`, crates/milli/src/lib.rs, applied to filter values in
 * search/facet/filter/value_bounds.rs and to indexed values in update/new/extract/faceted/
 * extract_facets.rs). Accents are kept: `Saúde` and `Saude` are two names to it.
 */
export function meilisearchName(name: string): string {
  return name.trim().normalize('NFKD').toLowerCase();
}

/**
 * Whether Meilisearch, comparing names its way, reads the rule as written: no name that lets
 * documents in (a collection, a type) compares equal to one that does not (an excluded or other
 * collection, an other type), and no excluded collection to an other one. The rule's owner folds
 * names more coarsely than this (accents too), so in practice it always holds; if it did not, the
 * ids are listed instead.
 */
export function ruleUsable(rule: DocumentRule): boolean {
  const names = [rule.collections, rule.excludeCollections, rule.otherCollections, rule.documentTypes, rule.otherTypes];
  if (!names.every((group) => Array.isArray(group) && group.every((name) => typeof name === 'string'))) return false;
  if (![rule.exceptIds, rule.alsoIds].every((ids) => Array.isArray(ids) && ids.every((id) => Number.isSafeInteger(id)))) return false;
  const disjoint = (...groups: ReadonlyArray<readonly string[]>) => {
    const seen = new Map<string, number>();
    for (const [index, group] of groups.entries()) {
      for (const name of group) {
        // Meilisearch keeps a facet string's first MAX_FACET_VALUE_LENGTH bytes only (511 − 32,
        // crates/milli/src/lib.rs): longer names alike that far are one name to it. Compared on
        // 150 UTF-16 units (at most 450 bytes), shorter still: more names seen alike, never fewer.
        const key = meilisearchName(name).slice(0, 150);
        if ((seen.get(key) ?? index) !== index) return false;
        seen.set(key, index);
      }
    }
    return true;
  };
  return disjoint(rule.collections, rule.excludeCollections, rule.otherCollections) && disjoint(rule.documentTypes, rule.otherTypes);
}
