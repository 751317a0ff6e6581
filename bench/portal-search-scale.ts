/**
 * The portal's search at archive scale (issue 26): what one citizen's search costs because of the
 * public set's filter, with N catalog documents (built by SQL, as portal-set.ts does) of which five
 * in six are public (1,200,000: a million public), 50 withheld and 200 waiting in the index outbox.
 * The index itself is small (a few thousand pages of public documents): the cost measured is the
 * filter's, which grows with the public set, not the index's.
 *
 * - Embedded index, on the server's thread (the port called directly) and through the search
 *   threads `acervo serve` uses (search-threads.ts: the query is keyed for the answer cache and
 *   posted to a thread): milliseconds per search, median and p95, each search a new one.
 * - Meilisearch (no server here): the filter expression and the JSON body the adapter would send
 *   for the same search, and the time to build them.
 *
 *     npm run bench -- --portal-search-only --portal-search-documents 1200000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../core/catalog/catalog.js';
import { openEmbeddedIndex } from '../core/search/embedded/embedded-backend.js';
import { searchOnThreads } from '../core/search/embedded/search-threads.js';
import { filterExpression } from '../core/search/meilisearch-filters.js';
import type { IndexChange, SearchBackend, SearchQuery, SearchResult } from '../core/search/search-backend.js';
import { portalSearch, PortalQuery } from '../web/portal/portal-search.js';
import { PublicSet } from '../web/portal/public-set.js';
import Database from 'better-sqlite3';
import { buildPortalCatalog } from './portal-set.js';
import { printTable } from './table.js';

const ms = (value: number) => `${value.toFixed(2)} ms`;
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
/** Five collections of six public, one restricted (portal-set.ts files documents in six in turn). */
const RULES = { publicCollections: ['Leis', 'Decretos', 'Obras', 'Saúde', 'Gabinete'], publicTypes: ['portaria'], restrictedCollections: ['Pessoal'] };
const WORDS = ['alvara', 'construcao', 'decreto', 'licenca', 'obra', 'portaria', 'nomeacao', 'servidor'];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** `runs` searches, each with other words (no answer cache helps), timed one after another. */
async function timed(runs: number, search: (query: PortalQuery) => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const query = PortalQuery.parse({ q: `${WORDS[i % WORDS.length]} ${WORDS[(i + 3) % WORDS.length]}`, pagina: String(1 + (i % 5)) });
    const started = performance.now();
    await search(query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

export async function benchPortalSearchScale(documents: number, options: { runs?: number; indexedDocuments?: number } = {}): Promise<void> {
  const runs = options.runs ?? 40;
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-portal-search-'));
  try {
    const catalogFile = path.join(work, 'catalog.sqlite');
    let started = performance.now();
    buildPortalCatalog(catalogFile, documents);
    // Index updates waiting (the Meilisearch filter lists them), every 5,000th document.
    const db = new Database(catalogFile);
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT 5000 UNION ALL SELECT i + 5000 FROM n WHERE i + 5000 <= ?) INSERT INTO outbox (document_id, op, created_at) SELECT i, 'upsert', '2026-01-01T00:00:00Z' FROM n`).run(Math.min(documents, 1_000_000));
    db.close();
    const catalog = Catalog.open(catalogFile);
    for (let id = 7; id <= 7 * 50; id += 7) catalog.portal().withhold(id, 'ana', null);
    const set = new PublicSet(catalog, RULES);
    const publicDocuments = set.all().length;
    console.log(`\n  The portal's search, ${documents.toLocaleString('en')} documents, ${publicDocuments.toLocaleString('en')} public (catalog and set built in ${(performance.now() - started).toFixed(0)} ms)`);
    // A small index of public documents, spread over the set (every twentieth public one, up to the count asked).
    const indexFile = path.join(work, 'index.sqlite');
    const writer = openEmbeddedIndex(indexFile, { buildThreads: 0 });
    const chosen = set.all().filter((_, i) => i % 20 === 0).slice(0, options.indexedDocuments ?? 5_000);
    const changes: IndexChange[] = chosen.map((record, i) => ({
      op: 'upsert',
      documentId: record.documentId,
      pages: [{
        documentId: record.documentId, pageNo: 1, title: record.title, source: `/s/${record.documentId}.tif`, pdf: `${record.documentId}.pdf`,
        collection: record.collection, year: record.year, documentType: record.documentType, date: record.date, language: 'pt', personalData: false,
        text: `${WORDS[i % WORDS.length]} ${WORDS[(i + 3) % WORDS.length]} de construção na rua ${i}, licença de obra e nomeação do servidor`, identifiers: '',
      }],
    }));
    for (let i = 0; i < changes.length; i += 1000) await writer.apply(changes.slice(i, i + 1000));
    const none = () => new Set<number>();
    const rows: string[][] = [];
    try {
      // Embedded, on this thread.
      await portalSearch(PortalQuery.parse({ q: 'alvara' }), set, writer, none);
      const direct = await timed(runs, (query) => portalSearch(query, set, writer, none));
      rows.push([`embedded, on the server's thread (${chosen.length.toLocaleString('en')} pages indexed)`, `${ms(direct.median)} / ${ms(direct.p95)}`]);
      // The first search after the set changed (staff withheld a document): whatever the set makes again is paid here, once.
      const afterChange: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        catalog.portal().withhold(set.all()[i]!.documentId, 'ana', null);
        set.invalidate();
        const begun = performance.now();
        await portalSearch(PortalQuery.parse({ q: `obra ${WORDS[i]}` }), set, writer, none);
        afterChange.push(performance.now() - begun);
      }
      afterChange.sort((a, b) => a - b);
      rows.push(['embedded, the first search after staff withheld a document (median of 5)', ms(afterChange[2]!)]);
      // Embedded, through serve's search threads.
      const threaded = searchOnThreads(writer, { indexFile, catalogFile: null, threads: 1, budgetMs: 2_000, hardLimitMs: 60_000, warmWords: 0 });
      try {
        await threaded.ready(30_000);
        await portalSearch(PortalQuery.parse({ q: 'alvara' }), set, threaded, none);
        const viaThreads = await timed(runs, (query) => portalSearch(query, set, threaded, none));
        rows.push(['embedded, through the search threads of acervo serve', `${ms(viaThreads.median)} / ${ms(viaThreads.p95)}`]);
      } finally {
        await threaded.close();
      }
    } finally {
      await writer.close();
    }
    // Meilisearch: what the adapter would send, from the query the portal hands the port.
    let sent: SearchQuery | null = null;
    const recording: SearchBackend = {
      name: 'recording',
      apply: async () => {},
      search: async (query): Promise<SearchResult> => {
        sent = query;
        return { query: query.text, total: 0, hits: [] };
      },
      clear: async () => {},
      rebuild: async () => {},
      stats: async () => ({ documents: 0, pages: 0 }),
      health: async () => ({ reachable: true, location: '', version: null, error: null }),
      close: async () => {},
    };
    let filter: string[] = [];
    let body = '';
    const building = await timed(runs, async (query) => {
      await portalSearch(query, set, recording, none);
      filter = filterExpression(sent!.filters ?? {});
      body = JSON.stringify({ q: sent!.text, filter, hitsPerPage: 20, page: 1 });
    });
    rows.push(['Meilisearch: the portal search up to the request body (no server)', `${ms(building.median)} / ${ms(building.p95)}`]);
    printTable(['per search (median / p95)', 'time'], rows);
    const longest = filter.reduce((a, b) => (b.length > a.length ? b : a), '');
    printTable(['Meilisearch request', 'size'], [
      ['filter expression (all clauses)', kb(filter.reduce((sum, clause) => sum + Buffer.byteLength(clause), 0))],
      ['JSON body of one search', kb(Buffer.byteLength(body))],
      [`longest clause: ${longest.slice(0, 60)}${longest.length > 60 ? '…' : ''}`, kb(Buffer.byteLength(longest))],
    ]);
    catalog.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
