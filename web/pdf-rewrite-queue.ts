/**
 * Corrections written into the PDFs by `acervo serve` (issue 25): a document just corrected is
 * queued, and its PDF written again after the answer is sent (core/pipeline/apply-corrections.ts),
 * one document at a time, each queued once however often it is corrected meanwhile. What cannot
 * be done now (another run holds the library, the PDF is not the one recorded) waits in the
 * catalog for that run (a watcher writes it between files), the next correction or `acervo
 * apply-corrections`; meanwhile the PDF is served as corrected (web/routes/documents.ts).
 */
import type { Logger } from 'pino';

export class PdfRewriteQueue {
  private readonly waiting = new Set<number>();
  private running: Promise<void> | null = null;

  constructor(
    /** Writes the document's PDF again; its failures are logged, never thrown at the caller. */
    private readonly rewrite: (documentId: number) => Promise<void>,
    private readonly log: Logger,
  ) {}

  add(documentId: number): void {
    this.waiting.add(documentId);
    this.running ??= this.drain();
  }

  /** Resolves once nothing is queued or being written (serve waits for it before it closes the catalog). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.waiting.size > 0) {
      const [documentId] = this.waiting;
      this.waiting.delete(documentId!);
      try {
        await this.rewrite(documentId!);
      } catch (error) {
        this.log.error({ event: 'pdf.rewrite-failed', documentId, message: (error as Error).message }, `could not write document ${documentId}'s corrections into its PDF now: acervo apply-corrections will`);
      }
    }
    this.running = null;
  }
}
