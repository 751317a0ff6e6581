/**
 * Fixity passes (`acervo verify`, core/fixity/): the documents' files as the catalog recorded
 * them, and the passes over them with their checkpoints and findings. A pass may take several
 * runs (stopped by a signal, a window or a crash), each resuming after the last document it checked.
 */
import type { Statements } from '../sqlite/statements.js';

/** A document's files as fixity checks compare them: the PDF, and the original it was made from. */
export interface FixityRecord {
  id: number;
  status: 'done' | 'failed';
  sourcePath: string;
  /** The part of a batch scan (its first part stands for the batch's original). */
  partNo: number;
  /** Of the original the PDF was made from. */
  sha256: string | null;
  /** Relative to the library. */
  outputPath: string;
  outputSha256: string;
  outputBytes: number | null;
}

/** One fixity pass over the library: it may take several runs, each resuming after `lastDocumentId`. */
export interface VerifyPass {
  id: number;
  startedAt: string;
  originals: boolean;
  lastDocumentId: number;
  documents: number;
  files: number;
  ok: number;
  bytes: number;
  runs: number;
}

export type FindingKind = 'missing' | 'changed' | 'unreadable' | 'unexpected';

/** A file that is not what the catalog says. */
export interface FixityFinding {
  kind: FindingKind;
  file: 'pdf' | 'original';
  documentId: number | null;
  /** A PDF's path relative to the library; an original's absolute path. */
  path: string;
  expectedSha256: string | null;
  actualSha256: string | null;
  message: string | null;
}

/** What a pass has done since its last checkpoint (counts are added to the pass's). */
export interface VerifyCheckpoint {
  passId: number;
  lastDocumentId: number;
  documents: number;
  files: number;
  ok: number;
  bytes: number;
  findings: readonly FixityFinding[];
}

const FIXITY_COLUMNS = `id, status, source_path AS sourcePath, part_no AS partNo, sha256, output_path AS outputPath, output_sha256 AS outputSha256, output_bytes AS outputBytes`;
const PASS_COLUMNS = `id, started_at AS startedAt, originals, last_document_id AS lastDocumentId, documents, files, ok, bytes, runs`;

type PassRow = Omit<VerifyPass, 'originals'> & { originals: number };

export class FixityPasses {
  constructor(private readonly statements: Statements) {}

  /** Documents that have a PDF, after `afterId`, in id order: what a fixity pass walks through. */
  fixityRecordsAfter(afterId: number, limit: number): FixityRecord[] {
    return this.statements
      .get(`SELECT ${FIXITY_COLUMNS} FROM documents WHERE output_path IS NOT NULL AND output_sha256 IS NOT NULL AND id > ? ORDER BY id LIMIT ?`)
      .all(afterId, limit) as FixityRecord[];
  }

  fixityRecord(id: number): FixityRecord | undefined {
    return this.statements.get(`SELECT ${FIXITY_COLUMNS} FROM documents WHERE id = ? AND output_path IS NOT NULL AND output_sha256 IS NOT NULL`).get(id) as FixityRecord | undefined;
  }

  /** How much a fixity pass has left after `afterId` (PDF bytes only; originals are not counted). */
  fixityRemaining(afterId: number): { documents: number; bytes: number } {
    return this.statements
      .get('SELECT COUNT(*) AS documents, COALESCE(SUM(output_bytes), 0) AS bytes FROM documents WHERE output_path IS NOT NULL AND output_sha256 IS NOT NULL AND id > ?')
      .get(afterId) as { documents: number; bytes: number };
  }

  /** Every PDF path the catalog owns (relative to the library), whatever the document's status. */
  ownedOutputPaths(): Set<string> {
    return new Set((this.statements.get('SELECT output_path AS outputPath FROM documents WHERE output_path IS NOT NULL').all() as Array<{ outputPath: string }>).map((row) => row.outputPath));
  }

  /** The pass the last verify left unfinished, if any. */
  unfinishedVerifyPass(): VerifyPass | undefined {
    return passOf(this.statements.get(`SELECT ${PASS_COLUMNS} FROM verify_passes WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`).get() as PassRow | undefined);
  }

  verifyPass(passId: number): VerifyPass | undefined {
    return passOf(this.statements.get(`SELECT ${PASS_COLUMNS} FROM verify_passes WHERE id = ?`).get(passId) as PassRow | undefined);
  }

  /** Starts a new pass; earlier passes (and their findings) are dropped: their reports keep them. */
  startVerifyPass(options: { originals: boolean }): VerifyPass {
    const startedAt = new Date().toISOString();
    return this.statements.transaction(() => {
      this.statements.get('DELETE FROM verify_passes').run();
      const { id } = this.statements.get('INSERT INTO verify_passes (started_at, originals) VALUES (?, ?) RETURNING id').get(startedAt, options.originals ? 1 : 0) as { id: number };
      return { id, startedAt, originals: options.originals, lastDocumentId: 0, documents: 0, files: 0, ok: 0, bytes: 0, runs: 0 };
    });
  }

  /** Counts one more run working on the pass. */
  joinVerifyPass(passId: number): void {
    this.statements.get('UPDATE verify_passes SET runs = runs + 1 WHERE id = ?').run(passId);
  }

  /** Records progress: what was checked up to a document, and what was found, in one transaction. */
  checkpointVerifyPass(checkpoint: VerifyCheckpoint): void {
    const insert = this.statements.get(
      `INSERT INTO verify_findings (pass_id, kind, file, document_id, path, expected_sha256, actual_sha256, message)
       VALUES (@passId, @kind, @file, @documentId, @path, @expectedSha256, @actualSha256, @message)`,
    );
    this.statements.transaction(() => {
      this.statements
        .get('UPDATE verify_passes SET last_document_id = MAX(last_document_id, ?), documents = documents + ?, files = files + ?, ok = ok + ?, bytes = bytes + ? WHERE id = ?')
        .run(checkpoint.lastDocumentId, checkpoint.documents, checkpoint.files, checkpoint.ok, checkpoint.bytes, checkpoint.passId);
      for (const finding of checkpoint.findings) insert.run({ passId: checkpoint.passId, ...finding });
    });
  }

  finishVerifyPass(passId: number, outcome: 'completed' | 'abandoned'): void {
    this.statements.get('UPDATE verify_passes SET finished_at = ?, outcome = ? WHERE id = ?').run(new Date().toISOString(), outcome, passId);
  }

  verifyFindings(passId: number): FixityFinding[] {
    return this.statements
      .get(
        `SELECT kind, file, document_id AS documentId, path, expected_sha256 AS expectedSha256, actual_sha256 AS actualSha256, message
         FROM verify_findings WHERE pass_id = ? ORDER BY rowid`,
      )
      .all(passId) as FixityFinding[];
  }
}

function passOf(row: PassRow | undefined): VerifyPass | undefined {
  return row ? { ...row, originals: row.originals === 1 } : undefined;
}
