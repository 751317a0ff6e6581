/**
 * The portal's public set at archive scale (issue 26): a catalog of N one-page documents built by
 * SQL (half public by collection or type), then what a citizen's request waits for on the
 * server's thread: the first read, a request after staff withheld a document or corrected a
 * collection into a restricted one, and requests while an ingest adds documents (the longest
 * block of the thread while the set catches up). Numbers, not assertions.
 *
 *     npm run bench -- --portal-set-only --portal-set-documents 1000000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Catalog } from '../core/catalog/catalog.js';
import { PublicSet } from '../web/portal/public-set.js';
import { printTable } from './table.js';

const COLLECTIONS = ['Leis', 'Decretos', 'Obras', 'Saúde', 'Gabinete', 'Pessoal'];
const TYPES = ['lei', 'decreto', 'portaria', 'oficio', 'processo', 'requerimento'];
const RULES = { publicCollections: ['Leis', 'Decretos'], publicTypes: ['portaria', 'edital'], restrictedCollections: ['Pessoal'] };

/** N done documents, with public ids for those already public (as a running portal leaves them), in one transaction. */
export function buildPortalCatalog(file: string, documents: number): void {
  Catalog.open(file).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO documents (id, source_path, relative_path, output_path, title, collection, year, page_count, status, created_at, updated_at, converted_at, document_type, doc_date, language)
       SELECT i, '/scans/' || i || '.tif', 'c/' || i || '.tif', 'documents/' || i || '.pdf', 'Documento nº ' || i || '/' || (1950 + i % 70),
         json_extract(?, '$[' || (i % 6) || ']'), 1950 + i % 70, 1, 'done', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
         strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i, 'unixepoch'), json_extract(?, '$[' || ((i / 6) % 6) || ']'),
         printf('%04d-%02d-%02d', 1950 + i % 70, 1 + i % 12, 1 + i % 28), 'pt'
       FROM n`,
    ).run(documents, JSON.stringify(COLLECTIONS), JSON.stringify(TYPES));
  })();
  db.close();
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function benchPortalSet(documents: number): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-portal-set-'));
  try {
    const file = path.join(work, 'catalog.sqlite');
    let started = performance.now();
    buildPortalCatalog(file, documents);
    console.log(`\n  The portal's public set, ${documents.toLocaleString('en')} documents (built by SQL in ${ms(performance.now() - started)})`);
    const catalog = Catalog.open(file);
    const writer = Catalog.open(file);
    try {
      const set = new PublicSet(catalog, RULES);
      const rows: string[][] = [];
      started = performance.now();
      const size = set.all().length;
      rows.push(['first read (startup; assigns public ids)', ms(performance.now() - started), `${size.toLocaleString('en')} public`]);
      started = performance.now();
      set.all();
      rows.push(['a request, nothing changed', ms(performance.now() - started), '']);
      /** The request that comes right after a change: what it waits for on the server's thread. */
      const after = (label: string, change: () => void, check: () => string) => {
        change();
        const start = performance.now();
        set.all();
        rows.push([label, ms(performance.now() - start), check()]);
      };
      const first = set.all()[0]!;
      after('a request after staff withheld a document (same process)', () => {
        catalog.portal().withhold(first.documentId, 'ana', null);
        set.invalidate();
      }, () => (set.ofDocument(first.documentId) === undefined ? 'gone at once' : 'STILL SHOWN'));
      const second = set.all()[0]!;
      after('a request after another process withheld one', () => writer.portal().withhold(second.documentId, 'ana', null), () => (set.ofDocument(second.documentId) === undefined ? 'gone at once' : 'STILL SHOWN'));
      const third = set.all()[0]!;
      after('a request after a correction moved one into a restricted collection', () => {
        writer.corrections().save(third.documentId, [{ field: 'collection', value: 'Pessoal', basedOn: null }], 'ana');
      }, () => (set.ofDocument(third.documentId) === undefined ? 'gone at once' : 'STILL SHOWN'));
      // An ingest adds documents in another process, one transaction each; a request comes between each.
      const waits: number[] = [];
      const db = new Database(file);
      const insert = db.prepare(`INSERT INTO documents (id, source_path, relative_path, output_path, title, collection, year, page_count, status, created_at, updated_at, converted_at, document_type, doc_date, language)
        VALUES (?, ?, ?, ?, 'Lei nova', 'Leis', 2026, 1, 'done', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-12-01T00:00:00Z', 'lei', '2026-12-01', 'pt')`);
      const loopStarted = performance.now();
      for (let i = 1; i <= 20; i++) {
        const id = documents + i;
        insert.run(id, `/scans/new-${id}.tif`, `c/new-${id}.tif`, `documents/new-${id}.pdf`);
        const start = performance.now();
        set.all();
        waits.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The new documents show once the set caught up.
      await waitFor(() => set.ofDocument(documents + 20) !== undefined, 60_000);
      const caughtUp = performance.now() - loopStarted;
      db.close();
      waits.sort((a, b) => a - b);
      rows.push([`requests during an ingest (20 documents, one each 100 ms): median / worst`, `${ms(waits[10]!)} / ${ms(waits[19]!)}`, `the 20th shown ${ms(caughtUp)} after the 1st was added`]);
      // A full read in the background (what a rule change, or a document converted again in place, calls for):
      // how long the thread is held at most while it runs in slices, and how long it takes.
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      started = performance.now();
      set.setRules({ ...RULES });
      await set.settled();
      delay.disable();
      rows.push(['full read in the background (rule change, re-ingest in place): p99 / longest hold of the thread', `${ms(delay.percentile(99) / 1e6)} / ${ms(delay.max / 1e6)}`, `the read took ${ms(performance.now() - started)}`]);
      printTable(['', 'wait on the server thread', ''], rows);
    } finally {
      catalog.close();
      writer.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitFor(test: () => boolean, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > until) throw new Error('the public set never caught up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
