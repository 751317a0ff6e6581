/**
 * The access log (LGPD accountability), on real SQLite files and through the built CLI: recording
 * and filtering by user, document, action and period; table, CSV (quoting, formula guard) and JSON;
 * retention; the triggers that refuse edits; tampering caught by --verify; and two processes
 * writing at once keeping one chain.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessLog, type AccessEntry, type AccessEvent } from '../../core/access/access-log.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { isAppError } from '../../core/errors.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-access-log-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** São Paulo has had no daylight saving since 2019: UTC-3 all year, so local days are certain. */
const env = { ACERVO_CONFIG: '/dev/null', TZ: 'America/Sao_Paulo' };

let libraries = 0;
/** An empty library (a catalog and nothing else) and its access log file. */
function newLibrary(): { root: string; logFile: string } {
  const root = path.join(work, `library-${++libraries}`);
  mkdirSync(root, { recursive: true });
  Catalog.open(path.join(root, 'catalog.sqlite')).close();
  return { root, logFile: path.join(root, 'access-log.sqlite') };
}

function withLog<T>(file: string, use: (log: AccessLog) => T, options: { retentionDays?: number } = {}): T {
  const log = AccessLog.open(file, options);
  try {
    return use(log);
  } finally {
    log.close();
  }
}

const cli = (root: string, ...args: string[]) => runCli(['access-log', '--library', root, ...args], { env });

const EVENTS: AccessEvent[] = [
  { action: 'sign-in', user: 'maria', role: 'clerk', ip: '10.0.0.5', at: new Date('2026-03-01T12:00:00.000Z'), detail: { channel: 'web' } },
  { action: 'search', user: 'maria', role: 'clerk', ip: '10.0.0.5', query: 'alvará 1987', at: new Date('2026-03-02T02:30:00.000Z'), detail: { hits: 12, page: 1, channel: 'web' } },
  { action: 'document.view', user: 'maria', role: 'clerk', ip: '10.0.0.5', documentId: 41, at: new Date('2026-03-02T03:30:00.000Z'), detail: { personalData: 'masked' } },
  { action: 'pdf.download', user: 'joao', role: 'admin', ip: '10.0.0.9', documentId: 41, at: new Date('2026-03-02T15:00:00.000Z') },
  { action: 'document.view', user: 'joao', role: 'admin', ip: '10.0.0.9', documentId: 7, at: new Date('2026-03-03T02:59:59.999Z') },
  { action: 'sign-in.failed', user: null, ip: '203.0.113.7', outcome: 'failed', at: new Date('2026-03-03T03:00:00.000Z'), detail: { attempted: 'admin' } },
];

describe('recording and reading back', () => {
  const { root, logFile } = newLibrary();
  withLog(logFile, (log) => EVENTS.forEach((event) => log.record(event)));

  it('creates the log readable by its owner only, and returns entries newest first with every field', () => {
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    const entries = withLog(logFile, (log) => log.query({}));
    expect(entries.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(entries[4]).toEqual({
      id: 2, at: '2026-03-02T02:30:00.000Z', action: 'search', user: 'maria', role: 'clerk', ip: '10.0.0.5', documentId: null, query: 'alvará 1987', outcome: 'ok', detail: { channel: 'web', hits: 12, page: 1 },
    } satisfies AccessEntry);
    expect(entries[0]).toMatchObject({ action: 'sign-in.failed', user: null, role: null, outcome: 'failed', detail: { attempted: 'admin' } });
  });

  it('filters by user, document, action and period (local days, --until to the end of its day) in JSON', async () => {
    const ids = async (...args: string[]) => {
      const result = await cli(root, '--format', 'json', ...args);
      expect(result.code, result.stderr).toBe(0);
      return parseJsonOutput<AccessEntry[]>(result).map((e) => e.id);
    };
    expect(await ids('--user', 'maria')).toEqual([3, 2, 1]);
    expect(await ids('--user', 'mari')).toEqual([]);
    expect(await ids('--document', '41')).toEqual([4, 3]);
    expect(await ids('--action', 'document.view')).toEqual([5, 3]);
    expect(await ids('--user', 'joao', '--document', '41')).toEqual([4]);
    // 2 March in São Paulo is 03:00Z on the 2nd to 02:59:59.999Z on the 3rd.
    expect(await ids('--since', '2026-03-02', '--until', '2026-03-02')).toEqual([5, 4, 3]);
    expect(await ids('--until', '2026-03-01')).toEqual([2, 1]);
    expect(await ids('--since', '2026-03-02T15:00:00Z')).toEqual([6, 5, 4]);
    expect(await ids('--since', '2026-03-02T12:00', '--until', '2026-03-02T12:00:00.000-03:00')).toEqual([4]);
    // --json is --format json; the JSON is exactly the entries.
    const all = parseJsonOutput<AccessEntry[]>(await cli(root, '--json'));
    expect(all).toEqual(withLog(logFile, (log) => log.query({})));
    expect(Object.keys(all[0]!)).toEqual(['id', 'at', 'action', 'user', 'role', 'ip', 'documentId', 'query', 'outcome', 'detail']);
  });

  it('says on stderr when --limit cut the list, keeping stdout one JSON document', async () => {
    const result = await cli(root, '--json', '--limit', '2');
    expect(parseJsonOutput<AccessEntry[]>(result).map((e) => e.id)).toEqual([6, 5]);
    expect(result.stderr).toMatch(/showing the newest 2 entries; more match/);
    const exact = await cli(root, '--json', '--limit', '6');
    expect(parseJsonOutput<AccessEntry[]>(exact)).toHaveLength(6);
    expect(exact.stderr).toBe('');
  });

  it('prints a table in local time, with what a user typed shown, not obeyed by the terminal', async () => {
    withLog(logFile, (log) => log.record({ action: 'search', user: 'ana', role: 'clerk', ip: '10.0.0.7', query: 'x\u001b[2J\nrm', at: new Date('2026-03-04T10:00:00.000Z') }));
    const result = await cli(root, '--since', '2026-03-02');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^when\s+user\s+role\s+from\s+action\s+document\s+query\s+outcome$/);
    expect(lines).toHaveLength(1 + 5);
    expect(lines[1]).toMatch(/^2026-03-04 07:00:00\s+ana\s+clerk\s+10\.0\.0\.7\s+search\s+-\s+x\\x1b\[2J\\nrm\s+ok$/);
    expect(lines[2]).toMatch(/^2026-03-03 00:00:00\s+-\s+-\s+203\.0\.113\.7\s+sign-in\.failed\s+-\s+-\s+failed$/);
    expect(lines[5]).toMatch(/^2026-03-02 00:30:00\s+maria\s+clerk\s+10\.0\.0\.5\s+document\.view\s+41\s+-\s+ok$/);
    expect(result.stdout).not.toContain('\u001b');
  });
});

describe('CSV', () => {
  it('has a header row, RFC 4180 quoting, and defuses cells a spreadsheet would run as formulas', async () => {
    const { root, logFile } = newLibrary();
    withLog(logFile, (log) => {
      log.record({ action: 'search', user: 'ana', role: 'clerk', ip: '10.0.0.7', query: 'rua "da Praia", 12\nfundos', at: new Date('2026-05-01T10:00:00.000Z'), detail: { hits: 3 } });
      log.record({ action: 'search', user: '@ana', role: 'clerk', ip: '10.0.0.7', query: '=HYPERLINK("http://x","y")', at: new Date('2026-05-01T10:01:00.000Z') });
      log.record({ action: 'search', user: 'ana', role: 'clerk', ip: '10.0.0.7', query: '+1+2', at: new Date('2026-05-01T10:02:00.000Z') });
      log.record({ action: 'search', user: 'ana', role: 'clerk', ip: '10.0.0.7', query: '-2-3', at: new Date('2026-05-01T10:03:00.000Z') });
    });
    const result = await cli(root, '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith('id,at,user,role,ip,action,documentId,query,outcome,detail\r\n')).toBe(true);
    // The raw text: quotes doubled, the field with a comma, quote and new line quoted whole.
    expect(result.stdout).toContain('"rua ""da Praia"", 12\nfundos"');
    expect(result.stdout).toContain(`"{""hits"":3}"`);
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.query)).toEqual(["'-2-3", "'+1+2", `'=HYPERLINK("http://x","y")`, 'rua "da Praia", 12\nfundos']);
    expect(rows[2]!.user).toBe("'@ana");
    expect(rows[3]).toMatchObject({ id: '1', at: '2026-05-01T10:00:00.000Z', user: 'ana', ip: '10.0.0.7', documentId: '', outcome: 'ok', detail: '{"hits":3}' });
  });
});

describe('usage', () => {
  const { root } = newLibrary();

  it.each([
    [['--since', '2026-02-30'], /--since 2026-02-30 is not a date/],
    [['--until', 'yesterday'], /--until takes a day \(YYYY-MM-DD\) or a moment/],
    [['--document', '4x'], /--document takes a document's catalog id/],
    [['--action', 'delete'], /--action takes one of search, document\.view/],
    [['--format', 'xml'], /--format takes table, csv or json/],
    [['--limit', '0'], /--limit must be a whole number, 1 or more/],
    [['--retention-days', '30'], /--retention-days goes with --prune/],
    [['--verify', '--prune'], /Give --verify or --prune, not both/],
    [['--prune', '--retention-days', '-3'], /--retention-days must be a whole number of days, 1 or more/],
    [['--since', '2026-03-05', '--until', '2026-03-04'], /--since is after --until/],
  ])('%j is a usage error: one line, exit 1', async (args, message) => {
    const result = await cli(root, ...(args as string[]));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('reads a library that has no access log as an empty one, without creating it', async () => {
    const table = await cli(root);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe('No access log entries match.\n');
    const json = await cli(root, '--json', '--user', 'maria');
    expect(json.code).toBe(0);
    expect(parseJsonOutput(json)).toEqual([]);
    expect((await cli(root, '--format', 'csv')).stdout).toBe('id,at,user,role,ip,action,documentId,query,outcome,detail\r\n');
    const verify = await cli(root, '--verify', '--json');
    expect(verify.code).toBe(0);
    expect(parseJsonOutput(verify)).toEqual({ entries: 0, ok: true, firstBroken: null });
    expect(existsSync(path.join(root, 'access-log.sqlite'))).toBe(false);
  });

  it('refuses a folder that is not a library', async () => {
    const result = await runCli(['access-log', '--library', path.join(work, 'nowhere')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/LIBRARY_NOT_FOUND/);
  });
});

const DAY = 86_400_000;

describe('retention', () => {
  it('prunes only entries older than the retention, and the chain still verifies (and keeps growing)', async () => {
    const { root, logFile } = newLibrary();
    const now = Date.now();
    withLog(logFile, (log) => {
      for (let i = 0; i < 5; i++) log.record({ action: 'search', user: 'old', query: `q${i}`, at: new Date(now - (400 - i) * DAY) });
      log.record({ action: 'search', user: 'recent', query: 'r1', at: new Date(now - 10 * DAY) });
      // A clock set back: an old date after a recent entry waits until everything before it expires.
      log.record({ action: 'search', user: 'skewed', query: 's', at: new Date(now - 500 * DAY) });
      log.record({ action: 'search', user: 'recent', query: 'r2', at: new Date(now - DAY) });
    });
    const pruned = await cli(root, '--prune', '--retention-days', '365', '--json');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(parseJsonOutput(pruned)).toMatchObject({ pruned: 5, retentionDays: 365 });
    const left = parseJsonOutput<AccessEntry[]>(await cli(root, '--json'));
    expect(left.map((e) => [e.id, e.user])).toEqual([[8, 'recent'], [6, 'recent'], [7, 'skewed']]);
    expect(parseJsonOutput(await cli(root, '--verify', '--json'))).toEqual({ entries: 3, ok: true, firstBroken: null });

    // Pruning again changes nothing; new entries chain on after the pruned ones.
    expect(withLog(logFile, (log) => log.prune(), { retentionDays: 365 })).toBe(0);
    withLog(logFile, (log) => log.record({ action: 'sign-out', user: 'recent' }));
    const verify = await cli(root, '--verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toBe('ok: 4 entries, the chain is intact\n');
    // Without a retention nothing is pruned.
    expect(withLog(logFile, (log) => log.prune())).toBe(0);
    // Everything old enough goes, the skewed one too once the entry before it has gone.
    expect(withLog(logFile, (log) => log.prune(new Date(now)), { retentionDays: 1 })).toBe(2);
    expect(withLog(logFile, (log) => log.query({}).map((e) => e.id))).toEqual([9, 8]);
    expect(withLog(logFile, (log) => log.verify())).toEqual({ entries: 2, ok: true, firstBroken: null });
  });

  it('takes the retention from the config (access.logRetentionDays; 1825 days by default)', async () => {
    const { root, logFile } = newLibrary();
    const now = Date.now();
    withLog(logFile, (log) => {
      for (const days of [2000, 1900, 100, 20]) log.record({ action: 'search', user: `${days}-days`, at: new Date(now - days * DAY) });
    });
    const byDefault = await cli(root, '--prune');
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/^pruned 2 entries older than \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(1825 days kept\)\n$/);
    const config = path.join(root, 'acervo.yaml');
    writeFileSync(config, 'access:\n  logRetentionDays: 30\n');
    const fromFile = await runCli(['access-log', '--library', root, '--prune', '--json'], { env: { ...env, ACERVO_CONFIG: config } });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(parseJsonOutput(fromFile)).toMatchObject({ pruned: 1, retentionDays: 30 });
    expect(withLog(logFile, (log) => log.query({}).map((e) => e.user))).toEqual(['20-days']);
  });
});

describe('the log cannot be edited, and edits show', () => {
  function filledLog(): { root: string; logFile: string } {
    const library = newLibrary();
    withLog(library.logFile, (log) => {
      for (let i = 1; i <= 10; i++) log.record({ action: 'document.view', user: 'maria', role: 'clerk', ip: '10.0.0.5', documentId: i, detail: { page: i } });
    });
    return library;
  }

  it('refuses UPDATE, DELETE of recent entries and moving the anchor back or into the future', () => {
    const { logFile } = filledLog();
    const db = new Database(logFile);
    try {
      expect(() => db.prepare("UPDATE access_entries SET user = 'someone else' WHERE id = 3").run()).toThrow(/access log entries cannot be changed/);
      expect(() => db.prepare('DELETE FROM access_entries WHERE id = 10').run()).toThrow(/newer than the retention horizon cannot be deleted/);
      expect(() => db.prepare("UPDATE access_log_anchor SET horizon = '2999-01-01T00:00:00.000Z'").run()).toThrow(/only moves forward/);
      expect(() => db.prepare('UPDATE access_log_anchor SET head_id = 2').run()).toThrow(/only moves forward/);
      expect(() => db.prepare('DELETE FROM access_log_anchor').run()).toThrow(/cannot be deleted/);
      expect(db.prepare("SELECT count(*) AS n FROM access_entries WHERE user = 'maria'").get()).toEqual({ n: 10 });
    } finally {
      db.close();
    }
  });

  it('a changed entry breaks the chain: --verify says which, exit 4', async () => {
    const { root, logFile } = filledLog();
    expect((await cli(root, '--verify')).code).toBe(0);
    const db = new Database(logFile);
    db.exec('DROP TRIGGER access_entries_no_update');
    db.prepare("UPDATE access_entries SET detail = '{\"page\":99}' WHERE id = 4").run();
    db.close();
    const verify = await cli(root, '--verify');
    expect(verify.code).toBe(4);
    expect(verify.stdout).toBe('broken: 10 entries; entry #4 does not match the chain (changed, removed or cut off after it was written)\n');
    expect(parseJsonOutput(await cli(root, '--verify', '--json'))).toEqual({ entries: 10, ok: false, firstBroken: 4 });
  });

  it('a removed entry, or a cut-off tail, breaks it too', async () => {
    const middle = filledLog();
    let db = new Database(middle.logFile);
    db.exec('DROP TRIGGER access_entries_delete_pruned_only');
    db.prepare('DELETE FROM access_entries WHERE id = 6').run();
    db.close();
    const afterMiddle = await cli(middle.root, '--verify', '--json');
    expect(afterMiddle.code).toBe(4);
    expect(parseJsonOutput(afterMiddle)).toEqual({ entries: 9, ok: false, firstBroken: 7 });

    const tail = filledLog();
    db = new Database(tail.logFile);
    db.exec('DROP TRIGGER access_entries_delete_pruned_only');
    db.prepare('DELETE FROM access_entries WHERE id >= 9').run();
    db.close();
    const afterTail = await cli(tail.root, '--verify', '--json');
    expect(afterTail.code).toBe(4);
    expect(parseJsonOutput(afterTail)).toEqual({ entries: 8, ok: false, firstBroken: 9 });
  });
});

describe('writing', () => {
  it('throws ACCESS_LOG_UNWRITABLE when the disk is full, so the access can be refused, and records nothing half', () => {
    const { logFile } = newLibrary();
    const log = AccessLog.open(logFile);
    try {
      log.record({ action: 'search', user: 'ana', query: 'antes' });
      // The database may not grow: what a full disk does to SQLite.
      (log as unknown as { db: Database.Database }).db.pragma(`max_page_count = ${(log as unknown as { db: Database.Database }).db.pragma('page_count', { simple: true })}`);
      let thrown: unknown;
      try {
        for (let i = 0; i < 10_000; i++) log.record({ action: 'search', user: 'ana', query: 'x'.repeat(2000) });
      } catch (error) {
        thrown = error;
      }
      expect(isAppError(thrown) && thrown.code).toBe('ACCESS_LOG_UNWRITABLE');
      expect((thrown as Error).message).toMatch(/SQLITE_FULL/);
      expect(log.verify()).toMatchObject({ ok: true });
    } finally {
      log.close();
    }
  });

  it('keeps one chain while two processes record 200 entries each at once', async () => {
    const { root, logFile } = newLibrary();
    withLog(logFile, () => undefined); // created before, as serve would have
    const moduleUrl = pathToFileURL(path.join(REPO_ROOT, 'dist', 'core', 'access', 'access-log.js')).href;
    const startAt = Date.now() + 1500;
    const writer = (name: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const script = `
          import { AccessLog } from ${JSON.stringify(moduleUrl)};
          const log = AccessLog.open(${JSON.stringify(logFile)});
          while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 5));
          for (let i = 0; i < 200; i++) {
            log.record({ action: 'cli.search', user: ${JSON.stringify(name)}, query: 'q' + i, detail: { i } });
            // A millisecond between accesses, as requests come: SQLite's busy wait gives the other process its turn.
            await new Promise((r) => setTimeout(r, 1));
          }
          log.close();`;
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([writer('first'), writer('second')]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const entries = withLog(logFile, (log) => log.query({})).reverse();
    expect(entries.map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const name of ['first', 'second']) {
      // Each process's entries in the order it wrote them.
      expect(entries.filter((e) => e.user === name).sort((a, b) => a.id - b.id).map((e) => e.detail!.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    }
    // They did write at the same time: the two processes' entries alternate in the chain.
    const byId = [...entries].sort((a, b) => a.id - b.id);
    const switches = byId.filter((e, i) => i > 0 && e.user !== byId[i - 1]!.user).length;
    expect(switches).toBeGreaterThan(2);
    const verify = await cli(root, '--verify', '--json');
    expect(verify.code, verify.stderr).toBe(0);
    expect(parseJsonOutput(verify)).toEqual({ entries: 400, ok: true, firstBroken: null });
  });
});
