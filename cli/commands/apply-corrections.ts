/**
 * `acervo apply-corrections`: staff's corrections written into the library's PDFs (issue 25): the
 * corrected page texts into the invisible text layers, at the misread words' places, and the
 * corrected record into the document information and XMP; no OCR, originals untouched
 * (core/pipeline/apply-corrections.ts). `acervo serve` does it for each document as it is
 * corrected, unless another run holds the library; this command does what waits (and what a
 * library from before this command holds), e.g. nightly after an ingest.
 *
 * Its own command, not part of `reindex`: reindex only reads the catalog to rebuild the index,
 * and is run to repair it; this one writes the library's PDFs and their checksums, as ingest
 * does, under the library lock. Exit 0 when every waiting PDF says its corrections, 2 when one
 * could not be written, 4 when one is not the file the catalog recorded (left as it is), 130
 * when stopped (the next run goes on).
 */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import type { ApplyOutcome } from '../../core/pipeline/apply-corrections.js';
import { EXIT } from '../exit-codes.js';
import { withLibraryRun } from '../library-run.js';
import { configOption, jsonOption, libraryOption, waitLockOption } from '../options.js';
import { logLine, printJson } from '../output.js';
import { stopOnSignalOrWindow } from '../run-stop.js';
import { PRODUCER } from '../version.js';
import { requireLibrary } from './library-option.js';

interface Flags {
  library?: string;
  config?: string;
  json?: boolean;
  waitLock?: number;
  document?: number[];
}

const documentId = (value: string, previous: number[] = []) => {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new AppError('USAGE', `--document takes a document's id (as search shows it), not "${value}".`);
  return [...previous, id];
};

export function applyCorrectionsCommand(): Command {
  return new Command('apply-corrections')
    .description("write staff's corrections into the library's PDFs (text layer and metadata) where they are not yet; no OCR")
    .addOption(libraryOption())
    .option('--document <id>', 'only this document (repeatable); default: every PDF waiting for corrections', documentId)
    .addOption(waitLockOption())
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (flags: Flags) => {
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const lifecycle = { command: 'apply-corrections', config, libraryDir: requireLibrary(config.library), create: false, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: false, file: config.logging.file }, stoppable: true };
      process.exitCode = await withLibraryRun(lifecycle, async (run) => {
        let signalled = false;
        const stopListening = stopOnSignalOrWindow(run.stop, null, {
          signal() {
            signalled = true;
            logLine('acervo: stopping; the PDF being written is left as it was (press Ctrl-C again to quit at once)');
          },
          window() {},
          again: () => run.quitAtOnce(EXIT.INTERRUPTED),
        });
        const started = new Date();
        let outcome: ApplyOutcome;
        try {
          const { applyCorrections } = await import('../../core/pipeline/apply-corrections.js');
          outcome = await applyCorrections({ library: run.library, catalog: run.catalog, producer: PRODUCER, runId: run.runId, signal: run.stop.signal }, flags.document);
        } finally {
          stopListening();
        }
        const count = (kind: string) => outcome.documents.filter((document) => document.outcome === kind).length;
        const [rewritten, refused, failed] = [count('rewritten'), count('refused'), count('failed')];
        const stoppedBy = outcome.stopped ? (signalled ? 'signal' : 'interrupted') : 'completed';
        run.catalog.recordRun({
          runId: run.runId,
          command: 'apply-corrections',
          startedAt: started.toISOString(),
          finishedAt: new Date().toISOString(),
          stoppedBy,
          documents: outcome.documents.length,
          indexed: 0,
          skipped: 0,
          failed: refused + failed,
          pages: 0,
          remaining: outcome.remaining,
          report: null,
        });
        for (const document of outcome.documents) {
          if (document.error) run.log.error({ event: 'pdf.rewrite-failed', documentId: document.documentId, code: document.error.code }, document.error.message);
          else run.log.info({ event: 'pdf.rewritten', documentId: document.documentId, sha256: document.sha256, correctionsSeq: document.correctionsSeq }, `rewrote ${document.outputPath}`);
        }
        if (flags.json) printJson({ library: run.library.root, runId: run.runId, stoppedBy, rewritten, refused, failed, remaining: outcome.remaining, settled: outcome.settled, documents: outcome.documents });
        else {
          logLine(`Corrections written into ${rewritten} PDF(s)${refused + failed > 0 ? `; ${refused + failed} could not be written` : ''}; ${outcome.remaining} still waiting.`);
          for (const document of outcome.documents) if (document.error) logLine(`  document ${document.documentId} (${document.outputPath}): ${document.error.message}`);
        }
        if (outcome.stopped && signalled) return EXIT.INTERRUPTED;
        if (refused > 0) return EXIT.FIXITY;
        return failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
      });
    });
}
