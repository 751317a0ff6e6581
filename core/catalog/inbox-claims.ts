/**
 * The hot-folder watcher's claims on inbox files (workers/consume-inbox-file.ts): kept in the
 * catalog so a restart after a crash finishes or redoes each file it had taken, and settled in
 * the same transaction that records the file's conversion or failure (documents.ts).
 */
import type { Statements } from '../sqlite/statements.js';

/** The hot-folder watcher's hold on one inbox file, from taking it to settling its original. */
export interface InboxClaim {
  inboxPath: string;
  relativePath: string;
  sha256: string | null;
  sizeBytes: number | null;
  /**
   * working: being converted (redone after a crash); retry: failed, tried again at retryAt;
   * converted: in the catalog, the original still to move; failing: failed for good, the
   * original still to move to failed/.
   */
  state: 'working' | 'retry' | 'converted' | 'failing';
  finalPath: string | null;
  documentId: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  retryAt: string | null;
}

const CLAIM_COLUMNS = `
  inbox_path AS inboxPath, relative_path AS relativePath, sha256, size_bytes AS sizeBytes, state,
  final_path AS finalPath, document_id AS documentId, attempts, error_code AS errorCode, error_message AS errorMessage,
  retry_at AS retryAt`;

export class InboxClaims {
  constructor(private readonly statements: Statements) {}

  claim(inboxPath: string): InboxClaim | undefined {
    return this.statements.get(`SELECT ${CLAIM_COLUMNS} FROM inbox_claims WHERE inbox_path = ?`).get(inboxPath) as InboxClaim | undefined;
  }

  claims(): InboxClaim[] {
    return this.statements.get(`SELECT ${CLAIM_COLUMNS} FROM inbox_claims ORDER BY inbox_path`).all() as InboxClaim[];
  }

  saveClaim(claim: InboxClaim): void {
    this.statements
      .get(
        `INSERT INTO inbox_claims (inbox_path, relative_path, sha256, size_bytes, state, final_path, document_id, attempts, error_code, error_message, retry_at, updated_at)
         VALUES (@inboxPath, @relativePath, @sha256, @sizeBytes, @state, @finalPath, @documentId, @attempts, @errorCode, @errorMessage, @retryAt, @updatedAt)
         ON CONFLICT (inbox_path) DO UPDATE SET relative_path = excluded.relative_path, sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
           state = excluded.state, final_path = excluded.final_path, document_id = excluded.document_id,
           attempts = excluded.attempts, error_code = excluded.error_code, error_message = excluded.error_message, retry_at = excluded.retry_at,
           updated_at = excluded.updated_at`,
      )
      .run({ ...claim, updatedAt: new Date().toISOString() });
  }

  /** The file is in the catalog (`converted`) or failed for good (`failing`): only its original is left to move. Called inside the recording transaction. */
  settle(inboxPath: string, state: 'converted' | 'failing', documentId: number, now: string): void {
    this.statements.get('UPDATE inbox_claims SET state = ?, document_id = ?, updated_at = ? WHERE inbox_path = ?').run(state, documentId, now, inboxPath);
  }

  deleteClaim(inboxPath: string): void {
    this.statements.get('DELETE FROM inbox_claims WHERE inbox_path = ?').run(inboxPath);
  }

  /** True when a document, or a claim in flight, already means to keep an original at this path. */
  isSourceTaken(sourcePath: string): boolean {
    return (
      this.statements.get('SELECT 1 FROM documents WHERE source_path = ?').get(sourcePath) !== undefined ||
      this.statements.get('SELECT 1 FROM inbox_claims WHERE final_path = ?').get(sourcePath) !== undefined
    );
  }
}
