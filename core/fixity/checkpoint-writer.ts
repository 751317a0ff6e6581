/**
 * Writes a fixity pass's progress to the catalog after each document. A writer (ingest, watch)
 * may hold the catalog for a moment longer than SQLite's busy timeout: then the progress waits
 * in memory and goes with the next checkpoint, instead of failing the check.
 */
import type { Catalog, FixityFinding, VerifyCheckpoint } from '../catalog/catalog.js';
import { isBusy } from '../sqlite/sqlite-errors.js';

type Progress = Omit<VerifyCheckpoint, 'passId'>;

export class CheckpointWriter {
  private pending: Progress & { findings: FixityFinding[] } = empty();

  constructor(
    private readonly catalog: Catalog,
    private readonly passId: number,
  ) {}

  add(progress: Progress): void {
    const p = this.pending;
    p.lastDocumentId = Math.max(p.lastDocumentId, progress.lastDocumentId);
    p.documents += progress.documents;
    p.files += progress.files;
    p.ok += progress.ok;
    p.bytes += progress.bytes;
    p.findings.push(...progress.findings);
    this.write(false);
  }

  /** Writes what is pending; at the end of a run a busy catalog is an error (the progress would be lost). */
  flush(): void {
    this.write(true);
  }

  private write(mustSucceed: boolean): void {
    const p = this.pending;
    if (p.documents === 0 && p.findings.length === 0 && p.lastDocumentId === 0) return;
    try {
      this.catalog.checkpointVerifyPass({ passId: this.passId, ...p });
      this.pending = empty();
    } catch (error) {
      if (mustSucceed || !isBusy(error)) throw error;
    }
  }
}

function empty(): Progress & { findings: FixityFinding[] } {
  return { lastDocumentId: 0, documents: 0, files: 0, ok: 0, bytes: 0, findings: [] };
}
