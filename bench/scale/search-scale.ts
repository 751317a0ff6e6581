/**
 * Search at archive scale (issue 19): for each library size, the library is built through the
 * catalog (cached), indexed by `acervo reindex`, and measured as clerks and IT meet it:
 *
 * - the rebuild's time and peak memory, and the library's bytes on disk against its text;
 * - how long `acervo --version` and `acervo search` take to start, and the first query after
 *   opening the library in a fresh process;
 * - each query class through the search port (p50/p95/p99);
 * - /api/search on a real `acervo serve` with N clerks searching at once, and its memory;
 * - the review queue: its counts, pages of it per filter, and keeping one document's items (review-queue.ts).
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { existingLibrary } from '../../core/library.js';
import { openSearchBackend } from '../../cli/runtime.js';
import { printTable } from '../table.js';
import { archiveLibrary } from './archive-library.js';
import { benchFts5 } from './fts5-baseline.js';
import { loadServe, type HttpPass } from './http-load.js';
import { runMeasured } from './measured-process.js';
import { classedQueries, percentile, QUERY_CLASSES, type ClassedQuery, type QueryClass } from './query-classes.js';
import { benchReviewQueue } from './review-queue.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(DIST, 'cli', 'main.js');
const FIRST_QUERY = path.join(DIST, 'bench', 'scale', 'first-query.js');

export interface ScaleOptions {
  perClass: number;
  clients: number;
  /** Skip `acervo reindex` when the cached library already has an index. */
  reuseIndex: boolean;
  /** Library sizes at which SQLite FTS5 (the engine this index replaced) is measured beside it. */
  compareFts5: readonly number[];
}

export async function benchSearchAtScale(sizes: readonly number[], options: ScaleOptions): Promise<void> {
  for (const pages of sizes) await benchOneSize(pages, options);
}

/** The review queue alone on the same generated libraries (built and cached if needed; no index). */
export async function benchReviewAtScale(sizes: readonly number[]): Promise<void> {
  for (const pages of sizes) {
    const library = await archiveLibrary(pages, (line) => console.log(line));
    await benchReviewQueue(existingLibrary(library.root).catalogFile, library.pages);
  }
}

async function benchOneSize(pages: number, options: ScaleOptions): Promise<void> {
  console.log(`\nSearch at scale: ${pages.toLocaleString('en')} pages (embedded index)`);
  const library = await archiveLibrary(pages, (line) => console.log(line));
  const lib = existingLibrary(library.root);
  console.log(`  library: ${library.documents.toLocaleString('en')} documents, ${(library.textBytes / 1e9).toFixed(2)} GB of text, catalog built in ${library.buildSeconds} s${library.fresh ? '' : ` (cached, ${library.builtAt.slice(0, 10)})`}`);

  const rows: string[][] = [];
  if (!(options.reuseIndex && existsSync(lib.indexFile))) {
    const reindex = await runMeasured(process.execPath, [CLI, 'reindex', '--library', library.root, '--json']);
    if (reindex.code !== 0) throw new Error(`acervo reindex failed: ${reindex.stderr.trim().split('\n').at(-1)}`);
    rows.push(['acervo reindex', `${reindex.seconds.toFixed(1)} s, peak ${reindex.peakRssMB.toFixed(0)} MB`]);
  }
  const catalogBytes = bytesOf([lib.catalogFile, `${lib.catalogFile}-wal`]);
  const indexBytes = bytesOf([path.dirname(lib.indexFile)]);
  rows.push(['catalog on disk', gb(catalogBytes)]);
  rows.push(['index on disk', gb(indexBytes)]);
  rows.push(['library ÷ text', `${((catalogBytes + indexBytes) / library.textBytes).toFixed(2)}× (goal ≤ 2)`]);
  const version = await median(5, () => runMeasured(process.execPath, [CLI, '--version']));
  const search = await median(3, () => runMeasured(process.execPath, [CLI, 'search', 'municipal', '--library', library.root, '--json']));
  rows.push(['acervo --version', `${(version * 1000).toFixed(0)} ms (goal < 300)`]);
  rows.push(['acervo search municipal (whole command)', `${(search * 1000).toFixed(0)} ms`]);
  const cold = dropPageCache();
  const first = await runMeasured(process.execPath, [FIRST_QUERY, library.root, 'municipal']);
  if (first.code !== 0) throw new Error(`first query failed: ${first.stderr.trim()}`);
  const firstQuery = JSON.parse(first.stdout) as { openMs: number; firstQueryMs: number };
  rows.push([`open + first query, facets (${cold ? 'page cache dropped' : 'page cache warm'})`, `${firstQuery.openMs.toFixed(0)} + ${firstQuery.firstQueryMs.toFixed(0)} ms (goal < 1000)`]);
  printTable(['measure', 'value'], rows);

  const config = loadConfig({ env: {}, cwd: library.root, flags: { library: library.root } });
  const backend = await openSearchBackend(config, lib);
  const catalog = Catalog.open(lib.catalogFile);
  let queries;
  let others;
  try {
    queries = await classedQueries(backend, catalog, library.pages, options.perClass);
    others = await classedQueries(backend, catalog, library.pages, options.perClass, 777);
    for (const { query } of queries.slice(0, 20)) await backend.search(query);
    // First pass: the index just opened (the OS's page cache holds little of it, its own caches
    // nothing). Then other queries of the same classes: a library in use for a while.
    const timed = async (list: readonly ClassedQuery[]) => {
      const times = new Map<QueryClass, number[]>(QUERY_CLASSES.map((kind) => [kind, []]));
      const totals = new Map<QueryClass, number[]>(QUERY_CLASSES.map((kind) => [kind, []]));
      for (const { kind, query } of list) {
        const started = performance.now();
        const result = await backend.search(query);
        times.get(kind)!.push(performance.now() - started);
        totals.get(kind)!.push(result.total);
      }
      return { times, totals };
    };
    const first = await timed(queries);
    const steady = await timed(others);
    console.log(`\n  Through the search port, ${options.perClass} queries per class, 20 hits each (goal p95 ≤ 100 ms, beyond that ≤ 50 ms)`);
    console.log('  first pass: just opened, caches cold; then: other queries of each class, on the library in use');
    const fts5 = options.compareFts5.includes(pages) ? await benchFts5(lib.catalogFile, queries) : null;
    const sortedOf = (list: number[]) => [...list].sort((a, b) => a - b);
    printTable(
      ['query class', 'first p50 ms', 'first p95 ms', 'then p50 ms', 'p95 ms', 'p99 ms', 'median hits', ...(fts5 ? ['FTS5 p50 ms', 'FTS5 p95 ms'] : [])],
      QUERY_CLASSES.map((kind) => {
        const cold = sortedOf(first.times.get(kind)!);
        const sorted = sortedOf(steady.times.get(kind)!);
        const hits = sortedOf(first.totals.get(kind)!);
        const theirs = fts5 ? sortedOf(fts5.times.get(kind) ?? []) : [];
        return [kind, ms(percentile(cold, 50)), ms(percentile(cold, 95)), ms(percentile(sorted, 50)), ms(percentile(sorted, 95)), ms(percentile(sorted, 99)), String(percentile(hits, 50)), ...(fts5 ? [ms(percentile(theirs, 50)), ms(percentile(theirs, 95))] : [])];
      }),
    );
    if (fts5) console.log(`  FTS5 beside it: built from the catalog in ${fts5.buildSeconds.toFixed(0)} s by SQL alone (no typo vocabulary), ${gb(fts5.indexBytes)} on disk.`);
  } finally {
    await backend.close();
    catalog.close();
  }

  const load = await loadServe(CLI, library.root, { cold: queries, warm: others }, options.clients);
  console.log(`\n  /api/search on acervo serve, ${options.clients} clients at once, as the page sends them (facets, filters; goal p95 ≤ 300 ms)`);
  const line = (name: string, pass: HttpPass) => [
    name,
    `${ms(pass.p50Ms)} / ${ms(pass.p95Ms)} / ${ms(pass.p99Ms)} / ${ms(pass.maxMs)}`,
    (pass.requests / pass.seconds).toFixed(1),
    String(pass.failed),
    pass.rssAfterMB.toFixed(0),
  ];
  printTable(
    ['pass', 'p50 / p95 / p99 / max ms', 'requests/s', 'failed', 'serve MB after'],
    [line(`just started, ${load.cold.requests} requests`, load.cold), line(`then ${load.warm.requests} others`, load.warm)],
  );
  console.log(`  serve memory: ${load.rssIdleMB.toFixed(0)} MB idle, ${load.rssPeakMB.toFixed(0)} MB at most (its list and clause caches fill, then stay within their budget)`);
  const of = (pass: HttpPass, kind: string) => pass.byClass[kind] ?? [0, 0, 0];
  printTable(
    ['query class', 'just started p95 ms', 'then p50 ms', 'p95 ms', 'p99 ms'],
    QUERY_CLASSES.map((kind) => [kind, ms(of(load.cold, kind)[1]), ms(of(load.warm, kind)[0]), ms(of(load.warm, kind)[1]), ms(of(load.warm, kind)[2])]),
  );
  console.log('  Requests of one class wait behind the others\' at the same threads: at 10 clients, most of a request\'s time is its turn.');
  await benchReviewQueue(lib.catalogFile, library.pages);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Bytes of files, and of every file under folders. */
function bytesOf(paths: readonly string[]): number {
  let total = 0;
  for (const item of paths) {
    if (!existsSync(item)) continue;
    const stat = statSync(item);
    if (stat.isDirectory()) total += bytesOf(readdirSync(item).map((name) => path.join(item, name)));
    else total += stat.size;
  }
  return total;
}

async function median(times: number, run: () => Promise<{ seconds: number; code: number | null; stderr: string }>): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const measured = await run();
    if (measured.code !== 0) throw new Error(`command failed: ${measured.stderr.trim().split('\n').at(-1)}`);
    seconds.push(measured.seconds);
  }
  return seconds.sort((a, b) => a - b)[Math.floor(times / 2)] as number;
}

/** Drops the kernel's page cache when allowed (root, not in a read-only /proc): the first query then reads from disk. */
function dropPageCache(): boolean {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}
