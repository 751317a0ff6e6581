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

/** Meilisearch filter expressions; strings quoted, so nothing a user picks can change the expression. */
export function filterExpression(filters: SearchFilters): string[] {
  const clauses: string[] = [];
  if (filters.documentIds !== undefined) {
    if (!Array.isArray(filters.documentIds) || !filters.documentIds.every((id) => Number.isSafeInteger(id))) throw new AppError('QUERY_INVALID', 'The documentIds filter must be a list of whole numbers.');
    if (filters.documentIds.length > 0) clauses.push(`documentId IN [${filters.documentIds.join(', ')}]`);
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
