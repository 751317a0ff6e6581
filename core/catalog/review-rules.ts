/**
 * What the review queue lists (issue 25): the pages and documents where the machine was unsure,
 * each for a reason with a stable code that scripts and the page rely on. Which documents need a
 * person's eye is said once, in SQL, by the catalog's `review_candidates` view (review-schema.ts),
 * from the effective_* views: a field a person set (even to empty) is decided and leaves the queue.
 *
 *     low-confidence            a page OCR read with a confidence under LOW_CONFIDENCE (or read nothing on)
 *     no-date                   no date found for the document
 *     no-type                   no document type found
 *     several-dates             another date weighed about as much as the one chosen (core/metadata/dates.ts)
 *     personal-data-unexpected  a person's number found in a collection not expected to hold them
 *                               (config access.personalDataCollections)
 *
 * An archivist who finds the machine right accepts the item (review-decisions.ts); the decision
 * keeps a fingerprint of what the machine read (`readingOf`), and the item stays out of the queue
 * as long as the machine reads the same: a re-ingest that reads a page, the dates or the numbers
 * otherwise brings it back, one that reads the same does not.
 */
import { createHash } from 'node:crypto';
import { foldText } from '../search/text-folding.js';
import type { Statements } from '../sqlite/statements.js';

export const REVIEW_REASONS = ['low-confidence', 'no-date', 'no-type', 'several-dates', 'personal-data-unexpected'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * A page read with less confidence than this is listed. The pipeline already reads again any page
 * under 91 (core/pipeline/read-page.ts, POOR_READING) and keeps the surest reading; measured on the
 * 27 hard pages read by `acervo ingest` (samples/hard-pages, character error rate against their
 * truth): the 3 pages left under 85 had 15–26 % of their characters wrong; the 7 from 86 to 91
 * 1.7–21 % (readable carbons and dot matrix, and stamped pages whose stamps' own words count as
 * errors); every page from 91 up 6.6 % or less, clean typed pages about 0.3 %. So under 85 is a
 * page a person must read again, and the queue is not flooded with readable ones. Written into
 * review_candidates (review-schema.ts): another value needs a migration that makes the view again.
 */
export const LOW_CONFIDENCE = 85;

/** The reasons an item of a page has; the others are a document's (page 0). */
export const PAGE_REASONS: ReadonlySet<ReviewReason> = new Set(['low-confidence']);

/**
 * A reason as the catalog stores it. A document holding personal data is kept under
 * `personal-data` whatever its collection: which collections expect them is the config's, read
 * when the queue is (a change of the setting needs no rebuild).
 */
export function storedReason(reason: ReviewReason): string {
  return reason === 'personal-data-unexpected' ? 'personal-data' : reason;
}

export function publicReason(stored: string): ReviewReason {
  return stored === 'personal-data' ? 'personal-data-unexpected' : (stored as ReviewReason);
}

export function isReviewReason(value: string): value is ReviewReason {
  return (REVIEW_REASONS as readonly string[]).includes(value);
}

const fold = (name: string) => foldText(name.trim()).toLowerCase();

/** The stored collection names that the configured ones name (case and accents aside, as access rules match). */
export function collectionsNamed(stored: readonly string[], configured: readonly string[]): string[] {
  const wanted = new Set(configured.map(fold));
  return stored.filter((name) => name !== '' && wanted.has(fold(name)));
}

const TAX_NUMBER_KINDS = `('cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo')`;

/**
 * (`+kind`: SQLite, without statistics, would walk the (kind, value) index over every date of the
 * library instead of the document's few facts: 100 ms a call at a million pages instead of 0.1.)
 *
 * What the machine read that an item is about, as a fingerprint (sha256): a page's text; the date
 * chosen and its rivals; the people's numbers found (never stored themselves: a decision must not
 * become another copy of personal data). A document without a date or a type reads "none" for as
 * long as it has none.
 */
export function readingOf(statements: Statements, documentId: number, pageNo: number, stored: string): string {
  let material: string;
  if (stored === 'low-confidence') {
    material = (statements.get('SELECT text FROM pages WHERE document_id = ? AND page_no = ?').pluck().get(documentId, pageNo) as string | undefined) ?? '';
  } else if (stored === 'several-dates') {
    const dates = statements
      .get(`SELECT value || IIF(main = 1, '*', '') FROM document_facts WHERE document_id = ? AND +kind = 'date' AND (main = 1 OR rival = 1) ORDER BY value`)
      .pluck()
      .all(documentId) as string[];
    material = [...new Set(dates)].join(' ');
  } else if (stored === 'personal-data') {
    const numbers = statements.get(`SELECT kind || ':' || value FROM document_facts WHERE document_id = ? AND +kind IN ${TAX_NUMBER_KINDS} ORDER BY kind, value`).pluck().all(documentId) as string[];
    material = [...new Set(numbers)].join(' ');
  } else {
    material = 'none';
  }
  return createHash('sha256').update(`${stored}\n${material}`).digest('hex');
}
