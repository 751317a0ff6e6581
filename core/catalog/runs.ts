/** Every run (ingest, watch, reindex, retry, verify) and how it ended: what `acervo status` lists. */
import type { Statements } from '../sqlite/statements.js';

/** One run as status lists it. */
export interface RunRecord {
  runId: string;
  command: string;
  startedAt: string;
  finishedAt: string | null;
  stoppedBy: string | null;
  documents: number;
  indexed: number;
  skipped: number;
  failed: number;
  pages: number;
  remaining: number;
  report: string | null;
}

/** Records a run, or how it ended when its id is there already. */
const UPSERT_RUN = `INSERT INTO runs (run_id, command, started_at, finished_at, stopped_by, documents, indexed, skipped, failed, pages, remaining, report)
  VALUES (@runId, @command, @startedAt, @finishedAt, @stoppedBy, @documents, @indexed, @skipped, @failed, @pages, @remaining, @report)
  ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, stopped_by = excluded.stopped_by, documents = excluded.documents,
    indexed = excluded.indexed, skipped = excluded.skipped, failed = excluded.failed, pages = excluded.pages, remaining = excluded.remaining, report = excluded.report`;

export class Runs {
  constructor(private readonly statements: Statements) {}

  /** Records a run; recording the same run id again updates how it ended. */
  recordRun(run: RunRecord): void {
    this.statements.get(UPSERT_RUN).run(run);
  }

  /** Ends a run that nothing recorded as ended (a command without a report of its own). */
  finishRun(runId: string, stoppedBy: string, finishedAt: string): void {
    this.statements.get(`UPDATE runs SET finished_at = ?, stopped_by = ? WHERE run_id = ? AND finished_at IS NULL`).run(finishedAt, stoppedBy, runId);
  }

  /**
   * A run whose process ended without ending it (kill -9, a crash, a power cut), found when the
   * next run takes its library lock over. What it did is read from the catalog: only one run
   * writes at a time, so the documents converted or failed since it started are its own.
   * Returns the run as recorded, or null when it had already ended.
   */
  recordInterruptedRun(run: { runId: string; command: string; startedAt: string; finishedAt: string }): RunRecord | null {
    const done = this.statements
      .get(
        `SELECT COUNT(*) FILTER (WHERE status = 'done') AS indexed, COUNT(*) FILTER (WHERE status = 'failed') AS failed,
           COALESCE(SUM(page_count) FILTER (WHERE status = 'done'), 0) AS pages
         FROM documents WHERE updated_at >= ? AND updated_at <= ?`,
      )
      .get(run.startedAt, run.finishedAt) as { indexed: number; failed: number; pages: number };
    const record: RunRecord = { ...run, stoppedBy: 'interrupted', documents: done.indexed + done.failed, indexed: done.indexed, skipped: 0, failed: done.failed, pages: done.pages, remaining: 0, report: null };
    // Only a run still open: one that ended (its report saved) before its lock was left keeps its record.
    const changed = this.statements.get(`${UPSERT_RUN} WHERE runs.finished_at IS NULL`).run(record).changes;
    return changed > 0 ? record : null;
  }

  /** Runs recorded as started and never ended. */
  unendedRuns(): Array<Pick<RunRecord, 'runId' | 'command' | 'startedAt'>> {
    return this.statements.get(`SELECT run_id AS runId, command, started_at AS startedAt FROM runs WHERE finished_at IS NULL ORDER BY started_at`).all() as Array<Pick<RunRecord, 'runId' | 'command' | 'startedAt'>>;
  }

  recentRuns(limit: number): RunRecord[] {
    return this.statements
      .get(
        `SELECT run_id AS runId, command, started_at AS startedAt, finished_at AS finishedAt, stopped_by AS stoppedBy, documents, indexed, skipped,
           failed, pages, remaining, report FROM runs ORDER BY started_at DESC LIMIT ?`,
      )
      .all(limit) as RunRecord[];
  }
}
