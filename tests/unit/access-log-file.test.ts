/**
 * The access log's file over core/sqlite/ (opened, migrated and its failures translated as the
 * catalog's are): a log written before keeps opening and its hash chain keeps verifying, a new one
 * is laid out exactly as before (owner-only, WAL, user_version 1), readers read while a writer
 * holds the file, and a damaged or unreachable log gets its own codes.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessLog, chainHash, GENESIS_HASH } from '../../core/access/access-log.js';
import { thrown } from '../helpers/thrown.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-access-log-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
const fresh = () => path.join(work, `${++files}`, 'access-log.sqlite');

/**
 * The layout as the access log laid it out when it opened SQLite on its own (before core/sqlite/),
 * copied here as the format of record: a log made then must open now.
 */
const LAYOUT_OF_RECORD = `
CREATE TABLE IF NOT EXISTS access_entries (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  user TEXT,
  role TEXT,
  ip TEXT,
  document_id INTEGER,
  query TEXT,
  outcome TEXT NOT NULL,
  detail TEXT,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_entries_at ON access_entries (at);
CREATE INDEX IF NOT EXISTS access_entries_user ON access_entries (user, at);
CREATE INDEX IF NOT EXISTS access_entries_document ON access_entries (document_id, at) WHERE document_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS access_log_anchor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_id INTEGER NOT NULL,
  pruned_hash TEXT NOT NULL,
  horizon TEXT NOT NULL,
  head_id INTEGER NOT NULL,
  head_hash TEXT NOT NULL
);
INSERT OR IGNORE INTO access_log_anchor (id, pruned_id, pruned_hash, horizon, head_id, head_hash) VALUES (1, 0, '${GENESIS_HASH}', '', 0, '${GENESIS_HASH}');

CREATE TRIGGER IF NOT EXISTS access_entries_no_update BEFORE UPDATE ON access_entries
BEGIN
  SELECT RAISE(ABORT, 'access log entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS access_entries_delete_pruned_only BEFORE DELETE ON access_entries
WHEN OLD.id > (SELECT pruned_id FROM access_log_anchor WHERE id = 1) OR OLD.at >= (SELECT horizon FROM access_log_anchor WHERE id = 1)
BEGIN
  SELECT RAISE(ABORT, 'access log entries newer than the retention horizon cannot be deleted');
END;
CREATE TRIGGER IF NOT EXISTS access_log_anchor_forward_only BEFORE UPDATE ON access_log_anchor
WHEN NEW.id <> OLD.id OR NEW.pruned_id < OLD.pruned_id OR NEW.head_id < OLD.head_id OR NEW.horizon < OLD.horizon
  OR (NEW.horizon <> OLD.horizon AND NEW.horizon > strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
BEGIN
  SELECT RAISE(ABORT, 'the access log anchor only moves forward, and its horizon never past now');
END;
CREATE TRIGGER IF NOT EXISTS access_log_anchor_no_delete BEFORE DELETE ON access_log_anchor
BEGIN
  SELECT RAISE(ABORT, 'the access log anchor cannot be deleted');
END;
`;

/** A log as the earlier code wrote it: WAL, its layout, user_version 1, two chained entries. */
function earlierLog(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(LAYOUT_OF_RECORD);
  db.pragma('user_version = 1');
  let previous = GENESIS_HASH;
  const insert = db.prepare('INSERT INTO access_entries (id, at, action, user, role, ip, document_id, query, outcome, detail, hash) VALUES (@id, @at, @action, @user, @role, @ip, @documentId, @query, @outcome, @detail, @hash)');
  for (const [id, query] of [[1, 'alvará 1987'], [2, 'decreto']] as const) {
    const row = { id, at: `2026-03-0${id}T12:00:00.000Z`, action: 'search', user: 'maria', role: 'clerk', ip: '10.0.0.5', documentId: null, query, outcome: 'ok', detail: '{"hits":1}' };
    previous = chainHash(previous, row);
    insert.run({ ...row, hash: previous });
  }
  db.prepare('UPDATE access_log_anchor SET head_id = 2, head_hash = ? WHERE id = 1').run(previous);
  db.close();
}

const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return { objects: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(), version: db.pragma('user_version', { simple: true }), journal: db.pragma('journal_mode', { simple: true }) };
  } finally {
    db.close();
  }
};

describe('the file', () => {
  it('a log written before opens as it is: its chain verifies and new entries chain on', () => {
    const file = fresh();
    mkdirSync(path.dirname(file));
    earlierLog(file);
    const log = AccessLog.open(file);
    try {
      expect(log.verify()).toEqual({ entries: 2, ok: true, firstBroken: null });
      log.record({ action: 'document.view', user: 'maria', documentId: 41 });
      expect(log.query({}).map((entry) => [entry.id, entry.action])).toEqual([[3, 'document.view'], [2, 'search'], [1, 'search']]);
      expect(log.verify()).toEqual({ entries: 3, ok: true, firstBroken: null });
    } finally {
      log.close();
    }
  });

  it('a new log is laid out exactly as before, in WAL, readable by its owner only', () => {
    const made = fresh();
    AccessLog.open(made).close();
    const before = path.join(path.dirname(made), 'before.sqlite');
    earlierLog(before);
    expect(schemaOf(made)).toEqual(schemaOf(before));
    expect(schemaOf(made)).toMatchObject({ version: 1, journal: 'wal' });
    expect(statSync(made).mode & 0o777).toBe(0o600);
  });

  it('is read while another process holds it for writing (WAL)', () => {
    const file = fresh();
    const writer = AccessLog.open(file);
    writer.record({ action: 'search', user: 'ana', query: 'committed' });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      other.prepare("INSERT INTO access_entries (id, at, action, outcome, hash) VALUES (2, '2026-03-01T00:00:00.000Z', 'search', 'ok', 'x')").run();
      // The writer holds the lock: a reader opens and reads at once, seeing what was committed.
      const reader = AccessLog.open(file, { retentionDays: 30 });
      try {
        expect(reader.query({}).map((entry) => entry.query)).toEqual(['committed']);
        expect(reader.verify()).toEqual({ entries: 1, ok: true, firstBroken: null });
      } finally {
        reader.close();
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
      writer.close();
    }
  });
});

describe('failures, with the access log\'s own codes', () => {
  it('a file that is not a database is ACCESS_LOG_CORRUPT, and left as it was', () => {
    const file = fresh();
    AccessLog.open(file).close();
    writeFileSync(file, 'not a database '.repeat(400));
    const before = readFileSync(file);
    expect(thrown(() => AccessLog.open(file))).toMatchObject({ code: 'ACCESS_LOG_CORRUPT', message: expect.stringContaining(`The access log ${file} is damaged`), details: { file, sqlite: 'SQLITE_NOTADB' } });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a folder that cannot be made is ACCESS_LOG_UNWRITABLE', () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, 'x');
    expect(thrown(() => AccessLog.open(path.join(blocker, 'access-log.sqlite')))).toMatchObject({ code: 'ACCESS_LOG_UNWRITABLE', message: expect.stringContaining('Cannot open the access log') });
  });

  it('a log from a newer Acervo is refused, untouched', () => {
    const file = fresh();
    AccessLog.open(file).close();
    const db = new Database(file);
    db.pragma('user_version = 2');
    db.close();
    const before = readFileSync(file);
    expect(thrown(() => AccessLog.open(file))).toMatchObject({ code: 'ACCESS_LOG_UNWRITABLE', message: expect.stringContaining('newer Acervo') });
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
