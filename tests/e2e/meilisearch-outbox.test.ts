/**
 * An update Meilisearch refuses for good (a document it will not take) is set aside, through the
 * commands IT runs: `acervo index --sync` applies the others and exits 2 saying so, `acervo status`
 * counts it, and `--retry-refused` tries it again once the cause is fixed. Against the recorded
 * stand-in server (tests/helpers/recorded-meilisearch.ts), over HTTP, from the real CLI.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { RecordedMeilisearch } from '../helpers/recorded-meilisearch.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-meili-outbox-'));
const library = path.join(work, 'library');
const config = path.join(work, 'acervo.yaml');
let server: RecordedMeilisearch;
let ids: number[] = [];

beforeAll(async () => {
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  server = await new RecordedMeilisearch().start();
  writeFileSync(config, `search:\n  backend: meilisearch\n  meilisearch:\n    host: ${server.url}\n    index: acervo\n    taskTimeoutSeconds: 10\n`);
  // The index already holds something (no rebuild from the catalog), and three documents wait in the outbox.
  server.indexes.set('acervo', { settings: {}, documents: new Map([['999-1', { id: '999-1', documentId: 999, pageNo: 1 }]]) });
  const db = new Database(path.join(library, 'catalog.sqlite'));
  ids = (db.prepare("SELECT id FROM documents WHERE status = 'done' ORDER BY id LIMIT 3").all() as Array<{ id: number }>).map((row) => row.id);
  const queue = db.prepare("INSERT INTO outbox (document_id, op, created_at) VALUES (?, 'upsert', '2026-12-05T10:00:00Z')");
  for (const id of ids) queue.run(id);
  db.close();
  server.refuseDocuments.add(ids[1]!);
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const env = { MEILISEARCH_API_KEY: '', MEILISEARCH_SEARCH_KEY: '' };

describe('a document Meilisearch refuses', () => {
  it('is set aside by index --sync, which applies the others and exits 2 saying so', async () => {
    const sync = await runCli(['index', '--sync', '--library', library, '-c', config, '--json'], { env });
    expect(sync.code, sync.stderr).toBe(2);
    const result = parseJsonOutput(sync);
    expect(result).toMatchObject({ applied: 2, pending: 1, refused: 1, error: expect.stringMatching(/invalid_document_fields|cannot take/) });
    const indexed = new Set([...server.indexes.get('acervo')!.documents.values()].map((document) => document.documentId));
    expect([ids[0], ids[2]].every((id) => indexed.has(id))).toBe(true);
    expect(indexed.has(ids[1])).toBe(false);
  });

  it('is counted by status, apart from updates merely waiting', async () => {
    const status = await runCli(['status', '--library', library, '-c', config, '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(parseJsonOutput(status).index).toMatchObject({ backend: 'meilisearch', pendingUpdates: 1, refusedUpdates: 1, version: 'Meilisearch 1.16.0' });
    const human = await runCli(['status', '--library', library, '-c', config], { env });
    expect(human.stdout).toMatch(/1 update\(s\) set aside: the search backend refused them .*--retry-refused/);
    expect(human.stdout).not.toMatch(/update\(s\) waiting/);
  });

  it('is not tried again by a plain sync, and is applied by --retry-refused once the cause is fixed', async () => {
    const before = server.requestsTo('POST', /\/documents$/).length;
    const plain = await runCli(['index', '--sync', '--library', library, '-c', config, '--json'], { env });
    expect(parseJsonOutput(plain)).toMatchObject({ applied: 0, refused: 1 });
    expect(server.requestsTo('POST', /\/documents$/).length).toBe(before);
    server.refuseDocuments.clear();
    const retry = await runCli(['index', '--sync', '--retry-refused', '--library', library, '-c', config, '--json'], { env });
    expect(retry.code, retry.stderr).toBe(0);
    expect(parseJsonOutput(retry)).toMatchObject({ retried: 1, applied: 1, pending: 0, refused: 0, error: null });
  });
});
