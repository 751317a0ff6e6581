/** What every backend does the same way with a search's input and output. */
import { AppError } from '../errors.js';
import { visibleText } from './text-folding.js';
import type { SearchQuery } from './search-backend.js';

/** Match delimiters from the private-use area, stripped from stored text so they only ever mean "match". */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/**
 * Text as an index stores it: NFC, so a word typed or scanned in either Unicode form is one word;
 * without invisible characters (a zero-width space or a soft hyphen inside a word would split it
 * in another engine's tokenizer); no match delimiters.
 */
export function storedText(text: string): string {
  return visibleText(text).replace(/[\uE000\uE001]/g, '\uFFFD');
}

export function checkPaging(query: SearchQuery): void {
  for (const key of ['limit', 'offset'] as const) {
    const value = query[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new AppError('QUERY_INVALID', `The search ${key} must be a whole number of 0 or more, not ${String(value)}.`, {
        details: { [key]: value },
      });
    }
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A snippet with match delimiters as escaped HTML with <mark>…</mark> around the matches. */
export function snippetHtml(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string)
    .replaceAll(MARK_OPEN, '<mark>')
    .replaceAll(MARK_CLOSE, '</mark>');
}
