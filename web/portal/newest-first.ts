/**
 * The order the portal lists public acts in, newest first, kept as records come and go (a binary
 * search places one, not a sort of a million).
 */
import type { PublicRecord } from './public-set.js';

/** Newest acts first: by the act's date (else its year), undated last, then the newest added, then the newest id (a total order). */
export function newestFirst(a: PublicRecord, b: PublicRecord): number {
  const da = a.date ?? (a.year === null ? '' : `${a.year}`);
  const db = b.date ?? (b.year === null ? '' : `${b.year}`);
  if (da !== db) return da > db ? -1 : 1;
  const aa = a.addedAt ?? '';
  const ab = b.addedAt ?? '';
  if (aa !== ab) return aa > ab ? -1 : 1;
  return b.documentId - a.documentId;
}

/** Where this record is, or goes, in a list in newestFirst order (binary search). */
export function placeOf(list: readonly PublicRecord[], record: PublicRecord): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (newestFirst(list[middle]!, record) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
