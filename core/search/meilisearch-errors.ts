/**
 * What a failed call to Meilisearch means for Acervo: one coded error (SEARCH_UNAVAILABLE), saying
 * what could not be done and why, and whether the server refused this change (an error code about
 * the request: the outbox sets it aside) or could not be reached (everything waits).
 */
import { AppError } from '../errors.js';

/** The error code of Meilisearch's answer (`ResponseError.code`), if it answered. */
export function apiErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** `error` from the client as SEARCH_UNAVAILABLE: what could not be done (`what`), why, and a hint. */
export function meilisearchError(error: unknown, host: string, what: string): AppError {
  if (error instanceof AppError) return error;
  const code = apiErrorCode(error);
  const hint = /api_key|authorization/.test(code ?? '')
    ? 'check the key (in the variable search.meilisearch.apiKeyEnv names, MEILISEARCH_API_KEY by default)'
    : code
      ? 'see Meilisearch\'s own log'
      : 'is it running, at that address?';
  // An answer with an error code about the request itself (too large, invalid) refuses this change,
  // not every change; the server's own trouble (keys, a missing index, disk, limits) is not the change's.
  const refused = code !== undefined && !/api_key|authorization|index_not_found|internal|io_error|no_space|database_size_limit|too_many|unavailable/.test(code);
  return new AppError('SEARCH_UNAVAILABLE', `Meilisearch at ${host} could not ${what} (${rootCause(error)}); ${hint}`, {
    cause: error,
    details: { host, code, ...(refused ? { refused: true } : {}) },
  });
}

/** What really went wrong, at the bottom of the chain ("connect ECONNREFUSED 127.0.0.1:7700", not "fetch failed"). */
function rootCause(error: unknown): string {
  let deepest: unknown = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  const top = error instanceof Error ? error.message : String(error);
  return deepest === error ? top : `${top.replace(/: fetch failed$/, '')}: ${message}`;
}
