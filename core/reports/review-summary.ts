/**
 * How much is left to review (core/catalog/review-queue.ts), said the same way by `acervo status`
 * and the run report: the items per reason, in words, and what to run next.
 */
import type { ReviewCounts, ReviewReason } from '../catalog/catalog.js';

const WORDS: Record<ReviewReason, (n: number) => string> = {
  'low-confidence': (n) => `${n} page(s) read with low confidence`,
  'no-date': (n) => `${n} document(s) without a date`,
  'no-type': (n) => `${n} without a type`,
  'several-dates': (n) => `${n} with several candidate dates`,
  'personal-data-unexpected': (n) => `${n} with personal data where none is expected`,
};

/** "12 item(s) to review: 3 page(s) read with low confidence, … (acervo review)", or that none are. */
export function reviewSummary(counts: ReviewCounts): string {
  if (counts.total === 0) return 'nothing to review';
  const parts = (Object.keys(WORDS) as ReviewReason[]).filter((reason) => counts.reasons[reason] > 0).map((reason) => WORDS[reason](counts.reasons[reason]));
  return `${counts.total} item(s) to review: ${parts.join(', ')} (acervo review, or the Revisão page)`;
}
