/**
 * The review queue at archive scale (issue 25): on a generated library (archive-library.ts), how
 * long opening the catalog takes when it must first list what an older catalog held (migration
 * 14, once), and then what archivists and `acervo status` wait for — the counts, a page of the
 * queue from its start and from deep inside it, per filter, a walk of 20 pages, and the write that
 * keeps one document's items (done in every conversion and correction). Each page's plan is
 * printed: it must walk an index, never sort.
 */
import Database from 'better-sqlite3';
import { Catalog, type ReviewFilter, type ReviewScope } from '../../core/catalog/catalog.js';
import { encodeCursor } from '../../core/catalog/review-queue.js';
import { printTable } from '../table.js';
import { percentile } from './query-classes.js';

const EVERYONE: ReviewScope = { maySeeCollection: () => true, personalData: true, personalDataCollections: [] };
const RUNS = 30;

export async function benchReviewQueue(catalogFile: string, pages: number): Promise<void> {
  console.log(`\n  Review queue, ${pages.toLocaleString('en')} pages (one connection, as serve reads it; ${RUNS} runs each)`);
  const version = new Database(catalogFile, { readonly: true }).pragma('user_version', { simple: true }) as number;
  let started = performance.now();
  const catalog = Catalog.open(catalogFile);
  const openMs = performance.now() - started;
  try {
    const queue = catalog.review();
    const counts = queue.counts([]);
    const rows: string[][] = [[version < 14 ? 'open + migration 14 (lists what the catalog held, once)' : 'open', ms(openMs), '', `${counts.total.toLocaleString('en')} items`]];
    const time = (run: () => unknown) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        started = performance.now();
        run();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return [ms(percentile(times, 50)), ms(percentile(times, 95))];
    };
    rows.push(['counts per reason (status, run report)', ...time(() => queue.counts([])), Object.entries(counts.reasons).map(([reason, n]) => `${reason} ${n}`).join(', ')]);
    const overview = queue.overview({}, EVERYONE);
    const collection = overview.collections.reduce((a, b) => (b.items > a.items ? b : a), overview.collections[0]!).collection ?? '';
    const box = queue.overview({ collection }, EVERYONE).boxes[0]?.box ?? '';
    const filters: Array<[string, ReviewFilter]> = [
      ['no filter', {}],
      [`collection ${collection}`, { collection }],
      [`collection and box ${box}`, { collection, box }],
      ['reason low-confidence', { reason: 'low-confidence' }],
      ['reason several-dates', { reason: 'several-dates' }],
    ];
    for (const [name, filter] of filters) {
      rows.push([`page of 50, from the start: ${name}`, ...time(() => queue.list(filter, EVERYONE, { limit: 50 })), queue.plan(filter, EVERYONE, true)[0] ?? '']);
    }
    rows.push([
      'a page as GET /api/review answers it (items, counts, each item\'s details)',
      ...time(() => {
        const page = queue.list({ collection }, EVERYONE, { limit: 50 });
        queue.overview({ collection }, EVERYONE);
        queue.details(page.items);
      }),
      '',
    ]);
    // Deep in the queue: a cursor half-way along it, as after hundreds of pages.
    const middle = halfway(catalogFile);
    if (middle) rows.push(['page of 50, half-way along the queue', ...time(() => queue.list({}, EVERYONE, { limit: 50, after: middle })), '']);
    rows.push([
      'walk of 20 pages of 50, one after the other',
      ...time(() => {
        let next: string | null | undefined;
        for (let i = 0; i < 20; i += 1) next = queue.list({}, EVERYONE, { limit: 50, ...(next ? { after: next } : {}) }).next;
      }),
      '',
    ]);
    const ids = catalog.convertedDocumentIds(0, 200);
    let turn = 0;
    rows.push(['refresh one document\'s items (every conversion and correction does)', ...time(() => queue.refresh(ids[turn++ % ids.length]!)), '']);
    printTable(['measure', 'p50 ms', 'p95 ms', 'note'], rows);
  } finally {
    catalog.close();
  }
}

/** The cursor of the item half-way along the queue (found once, by SQL, outside the timing). */
function halfway(catalogFile: string): string | null {
  const db = new Database(catalogFile, { readonly: true });
  try {
    const total = (db.prepare('SELECT COUNT(*) AS n FROM review_items').get() as { n: number }).n;
    if (total < 2) return null;
    const row = db.prepare('SELECT collection, box, document_id AS d, page_no AS p, reason FROM review_items ORDER BY collection, box, document_id, page_no, reason LIMIT 1 OFFSET ?').get(Math.floor(total / 2)) as
      | { collection: string; box: string; d: number; p: number; reason: string }
      | undefined;
    return row ? encodeCursor([row.collection, row.box, row.d, row.p, row.reason]) : null;
  } finally {
    db.close();
  }
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}
