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

export class Runs {
  constructor(private readonly statements: Statements) {}

  /** Records a run; recording the same run id again updates how it ended. */
  recordRun(run: RunRecord): void {
    this.statements
      .get(
        `INSERT INTO runs (run_id, command, started_at, finished_at, stopped_by, documents, indexed, skipped, failed, pages, remaining, report)
         VALUES (@runId, @command, @startedAt, @finishedAt, @stoppedBy, @documents, @indexed, @skipped, @failed, @pages, @remaining, @report)
         ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, stopped_by = excluded.stopped_by, documents = excluded.documents,
           indexed = excluded.indexed, skipped = excluded.skipped, failed = excluded.failed, pages = excluded.pages, remaining = excluded.remaining, report = excluded.report`,
      )
      .run(run);
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
