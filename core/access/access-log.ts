/**
 * The access log (LGPD accountability): who searched, opened, downloaded or signed in, when, from
 * where, and what. One SQLite file per library (`access-log.sqlite`, WAL): `serve` and
 * `acervo search` write it, `acervo access-log` reads it while they do.
 *
 * Append-only and tamper-evident:
 * - each entry's `hash` is sha256(previous entry's hash + canonical JSON of this entry), where the
 *   canonical JSON is `JSON.stringify` of an object with exactly these keys in this order:
 *   action, at, detail (the stored JSON text, or null), documentId, id, ip, outcome, query, role,
 *   user. The first entry follows the anchor's `pruned_hash` (64 zeros in a new log). Anyone can
 *   re-check the chain with sqlite3 and sha256sum;
 * - the one-row anchor table keeps the hash and id of the last pruned entry (so pruning keeps the
 *   chain verifiable), the retention horizon, and the head (id and hash of the newest entry, so a
 *   cut-off tail shows too);
 * - triggers refuse any UPDATE of an entry, any DELETE of an entry newer than the horizon or past
 *   the pruned id, moving the anchor backwards or the horizon into the future, and deleting it.
 *
 * What this does not stop: someone who can write the file can drop the triggers and rewrite the
 * whole chain from the point they changed (there is no secret key). `verify()` catches edits made
 * without rewriting every later hash and the head.
 *
 * Several processes may write at once: each insert is its own BEGIN IMMEDIATE transaction that
 * reads the head and appends after it, so the chain stays one chain.
 *
 * Opened, migrated and its SQLite failures translated by core/sqlite/, as the catalog is: a log
 * that cannot be written (disk full, read-only, locked longer than 10 s) is ACCESS_LOG_UNWRITABLE,
 * a damaged one ACCESS_LOG_CORRUPT (sqlite-errors.ts, ACCESS_LOG_ROLE).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { openDatabase } from '../sqlite/database.js';
import { runMigrations } from '../sqlite/migrations.js';
import { ACCESS_LOG_ROLE } from '../sqlite/sqlite-errors.js';
import { Statements } from '../sqlite/statements.js';

export type AccessAction =
  | 'search'
  | 'document.view'
  | 'document.edit'
  | 'document.revert'
  | 'bulk.preview'
  | 'bulk.edit'
  | 'bulk.revert'
  | 'pdf.view'
  | 'pdf.download'
  | 'sign-in'
  | 'sign-in.failed'
  | 'sign-out'
  | 'status'
  | 'reindex'
  | 'denied'
  | 'cli.search'
  | 'redaction.review'
  | 'redaction.mark'
  | 'redaction.copy'
  | 'cli.redact'
  | 'review.list'
  | 'review.accept'
  | 'review.revert'
  | 'cli.review'
  | 'portal.withhold'
  | 'portal.release';

export const ACCESS_ACTIONS: readonly AccessAction[] = [
  'search',
  'document.view',
  'document.edit',
  'document.revert',
  'bulk.preview',
  'bulk.edit',
  'bulk.revert',
  'pdf.view',
  'pdf.download',
  'sign-in',
  'sign-in.failed',
  'sign-out',
  'status',
  'reindex',
  'denied',
  'cli.search',
  'redaction.review',
  'redaction.mark',
  'redaction.copy',
  'cli.redact',
  'review.list',
  'review.accept',
  'review.revert',
  'cli.review',
  'portal.withhold',
  'portal.release',
];

export type AccessOutcome = 'ok' | 'denied' | 'failed';

export interface AccessEvent {
  action: AccessAction;
  /** Who (null: unknown, e.g. a failed sign-in names the attempted account in `detail`). */
  user: string | null;
  role?: string | null;
  /** From where (the client's address). */
  ip?: string | null;
  documentId?: number | null;
  /** What was searched, as typed: accountability needs it. */
  query?: string | null;
  /** Default 'ok'. */
  outcome?: AccessOutcome;
  /** Hits count, page, filters, personal data shown or masked, channel ('web' | 'api' | 'cli')… stored as JSON. */
  detail?: Record<string, unknown> | null;
  /** Default now. */
  at?: Date;
}

export interface AccessEntry extends Required<Omit<AccessEvent, 'at' | 'detail'>> {
  id: number;
  /** ISO 8601, UTC, milliseconds. */
  at: string;
  detail: Record<string, unknown> | null;
}

export interface AccessFilter {
  user?: string;
  documentId?: number;
  action?: AccessAction;
  /** Inclusive. */
  since?: Date;
  /** Inclusive. */
  until?: Date;
  limit?: number;
}

export interface AccessLogVerification {
  entries: number;
  ok: boolean;
  /** Id of the first entry that does not match its hash (or of the first missing one at the end). */
  firstBroken: number | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Migration 1 (`PRAGMA user_version` 1): a log made before core/sqlite/ had exactly this, so it opens as it is. */
const SCHEMA = `
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

interface EntryRow {
  id: number;
  at: string;
  action: string;
  user: string | null;
  role: string | null;
  ip: string | null;
  documentId: number | null;
  query: string | null;
  outcome: string;
  detail: string | null;
  hash: string;
}

interface AnchorRow {
  prunedId: number;
  prunedHash: string;
  horizon: string;
  headId: number;
  headHash: string;
}

const ENTRY_COLUMNS = 'id, at, action, user, role, ip, document_id AS documentId, query, outcome, detail, hash';
const ANCHOR_COLUMNS = 'pruned_id AS prunedId, pruned_hash AS prunedHash, horizon, head_id AS headId, head_hash AS headHash';
const DAY_MS = 86_400_000;
/** How long a write waits for another process's (serve, acervo search) before the access is refused. */
const BUSY_TIMEOUT_MS = 10_000;

export class AccessLog {
  private readonly statements: Statements;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly retentionDays: number | null,
  ) {
    this.statements = new Statements(db, ACCESS_LOG_ROLE);
  }

  private anchor(): AnchorRow {
    return this.statements.get(`SELECT ${ANCHOR_COLUMNS} FROM access_log_anchor WHERE id = 1`).get() as AnchorRow;
  }

  /**
   * Opens (creating it if needed, readable by its owner only) the access log at `file`.
   * `retentionDays`: how long entries are kept; without it `prune()` keeps everything.
   */
  static open(file: string, options: { retentionDays?: number } = {}): AccessLog {
    const retentionDays = options.retentionDays ?? null;
    if (retentionDays !== null && !(Number.isInteger(retentionDays) && retentionDays > 0)) {
      throw new AppError('CONFIG_INVALID', `The access log's retention must be a whole number of days, at least 1 (not ${retentionDays}).`);
    }
    // WAL (openDatabase): `acervo access-log` reads while serve writes. Synchronous NORMAL survives
    // a crash of the process; an OS crash or power cut may lose the last moments (never half an entry).
    const db = openDatabase(file, {
      role: ACCESS_LOG_ROLE,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      // Who searched what is personal data: the file (and SQLite's -wal/-shm, which copy its mode) is the owner's only.
      createMode: 0o600,
      // SQLite's default page size: its one migration frees no pages, so nothing is ever compacted.
      schema: (opened) => runMigrations(opened, [SCHEMA], { role: ACCESS_LOG_ROLE, pageSize: 4096 }),
    });
    return new AccessLog(db, file, retentionDays);
  }

  /**
   * Appends one entry (a prepared INSERT in its own transaction). Throws
   * AppError('ACCESS_LOG_UNWRITABLE') when it cannot be written (disk full, read-only, locked
   * longer than 10 s…), ACCESS_LOG_CORRUPT when the file is damaged: the caller refuses the
   * access, since an access not recorded is not allowed.
   */
  record(event: AccessEvent): void {
    const at = event.at instanceof Date && !Number.isNaN(event.at.getTime()) ? event.at : new Date();
    const row: Omit<EntryRow, 'id' | 'hash'> = {
      at: at.toISOString(),
      action: event.action,
      user: event.user ?? null,
      role: event.role ?? null,
      ip: event.ip ?? null,
      documentId: event.documentId ?? null,
      query: event.query ?? null,
      outcome: event.outcome ?? 'ok',
      detail: event.detail == null ? null : canonicalJson(event.detail),
    };
    this.statements.transaction(
      () => {
        const anchor = this.anchor();
        const id = anchor.headId + 1;
        const hash = chainHash(anchor.headHash, { ...row, id });
        this.statements
          .get('INSERT INTO access_entries (id, at, action, user, role, ip, document_id, query, outcome, detail, hash) VALUES (@id, @at, @action, @user, @role, @ip, @documentId, @query, @outcome, @detail, @hash)')
          .run({ ...row, id, hash });
        this.statements.get('UPDATE access_log_anchor SET head_id = ?, head_hash = ? WHERE id = 1').run(id, hash);
      },
      { immediate: true },
    );
  }

  /** Entries matching every filter given, newest first. */
  query(filter: AccessFilter = {}): AccessEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.user !== undefined) {
      where.push('user = @user');
      params.user = filter.user;
    }
    if (filter.documentId !== undefined) {
      where.push('document_id = @documentId');
      params.documentId = filter.documentId;
    }
    if (filter.action !== undefined) {
      where.push('action = @action');
      params.action = filter.action;
    }
    if (filter.since !== undefined) {
      where.push('at >= @since');
      params.since = filter.since.toISOString();
    }
    if (filter.until !== undefined) {
      where.push('at <= @until');
      params.until = filter.until.toISOString();
    }
    let sql = `SELECT ${ENTRY_COLUMNS} FROM access_entries${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC`;
    if (filter.limit !== undefined) {
      sql += ' LIMIT @limit';
      params.limit = Math.max(0, Math.floor(filter.limit));
    }
    return (this.statements.get(sql).all(params) as EntryRow[]).map(toEntry);
  }

  /**
   * Deletes the entries older than `retentionDays` before `now` and returns how many. Only the
   * oldest run of entries goes (the chain's prefix): an entry logged with a clock set back waits
   * until everything before it has expired. The anchor takes the last pruned entry's hash first.
   */
  prune(now: Date = new Date()): number {
    if (this.retentionDays === null) return 0;
    const horizon = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    const statement = (sql: string) => this.statements.get(sql);
    return this.statements.transaction(
      () => {
        const firstKept = (statement('SELECT min(id) AS id FROM access_entries WHERE at >= ?').get(horizon) as { id: number | null }).id;
        const last = (
          firstKept === null
            ? statement('SELECT id, hash FROM access_entries ORDER BY id DESC LIMIT 1').get()
            : statement('SELECT id, hash FROM access_entries WHERE id < ? ORDER BY id DESC LIMIT 1').get(firstKept)
        ) as { id: number; hash: string } | undefined;
        if (last === undefined) return 0;
        const anchor = this.anchor();
        statement('UPDATE access_log_anchor SET pruned_id = ?, pruned_hash = ?, horizon = ? WHERE id = 1').run(last.id, last.hash, horizon > anchor.horizon ? horizon : anchor.horizon);
        return statement('DELETE FROM access_entries WHERE id <= ?').run(last.id).changes;
      },
      { immediate: true },
    );
  }

  /** Walks the chain from the anchor: every entry's hash, then the head. */
  verify(): AccessLogVerification {
    return this.statements.transaction(() => {
      const anchor = this.anchor();
      const entries = (this.statements.get('SELECT count(*) AS n FROM access_entries').get() as { n: number }).n;
      let previous = anchor.prunedHash;
      let lastId = anchor.prunedId;
      for (const row of this.statements.get(`SELECT ${ENTRY_COLUMNS} FROM access_entries ORDER BY id`).iterate() as IterableIterator<EntryRow>) {
        if (chainHash(previous, row) !== row.hash) return { entries, ok: false, firstBroken: row.id };
        previous = row.hash;
        lastId = row.id;
      }
      if (lastId !== anchor.headId || previous !== anchor.headHash) {
        // Entries cut off the end (or a head that was moved): the first one missing.
        return { entries, ok: false, firstBroken: Math.min(lastId, anchor.headId) + 1 };
      }
      return { entries, ok: true, firstBroken: null };
    });
  }

  close(): void {
    this.db.close();
  }
}

/** Reads a library's access log if it has one; null when it has none (nothing was ever recorded). */
export function openExistingAccessLog(file: string, options: { retentionDays?: number } = {}): AccessLog | null {
  return existsSync(file) ? AccessLog.open(file, options) : null;
}

function toEntry(row: EntryRow): AccessEntry {
  return {
    id: row.id,
    at: row.at,
    action: row.action as AccessAction,
    user: row.user,
    role: row.role,
    ip: row.ip,
    documentId: row.documentId,
    query: row.query,
    outcome: row.outcome as AccessOutcome,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

/** sha256(previous hash + canonical JSON of the entry), hex. */
export function chainHash(previous: string, row: Omit<EntryRow, 'hash'>): string {
  const canonical = JSON.stringify({
    action: row.action,
    at: row.at,
    detail: row.detail,
    documentId: row.documentId,
    id: row.id,
    ip: row.ip,
    outcome: row.outcome,
    query: row.query,
    role: row.role,
    user: row.user,
  });
  return createHash('sha256').update(previous).update(canonical).digest('hex');
}

/** JSON with object keys sorted at every level (bigints as strings), so equal details store equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((key) => [key, (v as Record<string, unknown>)[key]]));
    }
    return v;
  });
}
