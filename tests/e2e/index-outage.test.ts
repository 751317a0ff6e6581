/**
 * The outbox when the search backend is down, against a backend that really fails: Meilisearch
 * configured on a loopback port where nothing listens (connection refused), not a mocked client.
 * Ingest still succeeds, the updates wait in the outbox with their error, status and index --sync
 * say so with exit code 3, and once a backend answers, index --sync drains them.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCli, type CliResult } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-outage-'));
const library = path.join(work, 'library');
const downConfig = path.join(work, 'down.yaml');
const embeddedConfig = path.join(work, 'embedded.yaml');
let port: number;
let ingest: CliResult;

/** A loopback port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: found } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return found;
}

function outbox(): Array<{ document_id: number; attempts: number; last_error: string | null }> {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT document_id, attempts, last_error FROM outbox ORDER BY id').all() as Array<{ document_id: number; attempts: number; last_error: string | null }>;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  port = await closedPort();
  writeFileSync(downConfig, JSON.stringify({ library, search: { backend: 'meilisearch', meilisearch: { host: `http://127.0.0.1:${port}`, requestTimeoutSeconds: 5 } } }));
  writeFileSync(embeddedConfig, JSON.stringify({ library }));
  const inbox = path.join(work, 'scans');
  cpSync(path.join(SAMPLES_DIR, 'Gabinete', '2003'), path.join(inbox, 'Gabinete', '2003'), { recursive: true });
  cpSync(path.join(SAMPLES_DIR, 'Saude', '2001'), path.join(inbox, 'Saude', '2001'), { recursive: true });
  ingest = await runCli(['ingest', inbox, '--config', downConfig, '--json']);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('search backend down (connection refused)', () => {
  it('ingest still converts and catalogs every document, and says the index updates are waiting', () => {
    expect(ingest.code, ingest.stderr).toBe(0);
    const report = parseJsonOutput(ingest);
    expect(report.totals).toMatchObject({ documents: 2, indexed: 2, failed: 0 });
    expect(report.indexPending).toBe(2);
    expect(report.documents.every((d: { indexPending: boolean }) => d.indexPending)).toBe(true);
  });

  it('keeps the updates in the outbox with their attempts and the error', () => {
    const waiting = outbox();
    expect(waiting.map((row) => row.document_id).sort()).toEqual([1, 2]);
    for (const row of waiting) {
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.last_error).toMatch(new RegExp(`Meilisearch at http://127\\.0\\.0\\.1:${port} could not .*ECONNREFUSED`));
    }
  });

  it('status reports the backend unreachable, with exit code 3, and the updates waiting', async () => {
    const run = await runCli(['status', '--config', downConfig, '--json']);
    expect(run.code).toBe(3);
    const status = parseJsonOutput(run);
    expect(status.catalog).toMatchObject({ done: 2, pendingIndexUpdates: 2 });
    expect(status.index).toMatchObject({ backend: 'meilisearch', reachable: false, version: null, documents: null, inStep: false, pendingUpdates: 2 });
    expect(status.index.location).toBe(`http://127.0.0.1:${port} (index acervo)`);
    expect(status.index.error).toMatch(/ECONNREFUSED/);
  });

  it('search fails with one clear line and exit code 3', async () => {
    const run = await runCli(['search', 'certidão', '--config', downConfig]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^acervo: error SEARCH_UNAVAILABLE: Meilisearch at http:\/\/127\.0\.0\.1:\d+ could not .*is it running/);
  });

  it('index --sync leaves the updates waiting while the backend is down, and says so', async () => {
    const before = outbox();
    const run = await runCli(['index', '--sync', '--config', downConfig]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/SEARCH_UNAVAILABLE: The search index could not take the updates; they stay in the outbox \(2 waiting\)/);
    const after = outbox();
    expect(after.map((row) => row.document_id)).toEqual(before.map((row) => row.document_id));
    expect(after[0]!.attempts).toBe(before[0]!.attempts + 1);
  });

  it('once a backend answers, index --sync drains the outbox and every document is found', async () => {
    const run = await runCli(['index', '--sync', '--config', embeddedConfig, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonOutput(run)).toMatchObject({ backend: 'embedded', waiting: 2, applied: 2, pending: 0, error: null });
    expect(outbox()).toEqual([]);
    const search = parseJsonOutput(await runCli(['search', 'certidão', '--config', embeddedConfig, '--json']));
    expect(search.hits.map((h: { documentType: string }) => h.documentType)).toContain('certidao');
    const status = parseJsonOutput(await runCli(['status', '--config', embeddedConfig, '--json']));
    expect(status.index).toMatchObject({ reachable: true, documents: 2, inStep: true, pendingUpdates: 0 });
  });
});
