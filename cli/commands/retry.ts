/** `acervo retry --failed`: take again every document whose last attempt failed (after the cause was fixed). */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { buildRunReport, saveRunReport } from '../../core/reports/run-report.js';
import { EXIT } from '../exit-codes.js';
import { withLibraryRun } from '../library-run.js';
import { configOption, jsonOption, libraryOption, queueOption, waitLockOption } from '../options.js';
import { logLine, printJson } from '../output.js';
import { checkLanguages, convertOptions, loadInventory, startConverter } from '../runtime.js';
import { requireLibrary } from './library-option.js';

interface RetryFlags {
  failed?: boolean;
  library?: string;
  config?: string;
  json?: boolean;
  waitLock?: number;
  queue?: string;
}

export function retryCommand(): Command {
  return new Command('retry')
    .description('convert again the documents whose last attempt failed (a fixed file, a new Acervo, a passing fault)')
    .option('--failed', 'every document whose last attempt failed and whose original is still there')
    .addOption(libraryOption())
    .addOption(waitLockOption())
    .addOption(queueOption('OCR by `acervo worker` processes through this Redis server (redis://host:port)'))
    .addOption(jsonOption('print one JSON report on stdout'))
    .addOption(configOption())
    .action(async (flags: RetryFlags) => {
      process.exitCode = await runRetry(flags);
    });
}

async function runRetry(flags: RetryFlags): Promise<number> {
  if (!flags.failed) throw new AppError('USAGE', 'Say what to retry: acervo retry --failed.');
  const config = loadConfig({ file: flags.config, flags: { library: flags.library, queue: { url: flags.queue } } });
  const libraryDir = requireLibrary(config.library);
  checkLanguages(config);
  const lifecycle = { command: 'retry --failed', config, libraryDir, create: false, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: false, file: config.logging.file }, stoppable: true };
  return withLibraryRun(lifecycle, async (run) => {
    const { library, catalog, backend } = run;
    const failed = catalog.failedDocuments();
    const present = failed.filter((doc) => existsSync(doc.sourcePath));
    const gone = failed.length - present.length;
    if (present.length === 0) {
      if (flags.json) printJson({ library: library.root, retried: 0, missing: gone, documents: [] });
      else logLine(`Nothing to retry${gone > 0 ? ` (${gone} failed document(s) whose original is no longer where it was)` : ''}.`);
      return EXIT.OK;
    }
    const converter = await startConverter(config);
    try {
      const { ingestBatch } = await import('../../core/pipeline/ingest-batch.js');
      const inventory = loadInventory(config);
      const report = await ingestBatch(
        { files: present.map((doc) => ({ source: doc.sourcePath, relativePath: doc.relativePath })) },
        { library, catalog, backend, converter, convert: convertOptions(config), concurrency: converter.inHand, signal: run.stop.signal, ...(inventory ? { inventory } : {}) },
      );
      // A hot folder's failed/ keeps a <name>.error.json beside each original: gone once it converts.
      for (const outcome of report.documents) if (outcome.status === 'indexed' && !outcome.incomplete) await rm(`${outcome.source}.error.json`, { force: true });
      const runReport = buildRunReport({ runId: run.runId, command: 'retry --failed', library, startedAt: run.startedAt, finishedAt: new Date(), stoppedBy: 'completed', outcomes: report.documents, remaining: report.remaining });
      const files = await saveRunReport(runReport, library, catalog, config.access);
      if (flags.json) {
        printJson({ library: library.root, runId: run.runId, retried: present.length, missing: gone, totals: report.totals, report: files.json, documents: report.documents.map((d) => ({ source: d.source, status: d.status, error: d.error, ...(d.incomplete ? { incomplete: true } : {}) })) });
      } else {
        logLine(`Retried ${present.length} document(s): ${report.totals.indexed} converted, ${report.totals.failed} failed again${report.totals.incomplete > 0 ? `, ${report.totals.incomplete} still incomplete (file cut short)` : ''}${gone > 0 ? `; ${gone} whose original is gone were left` : ''}. Report: ${files.text}`);
      }
      return report.totals.failed > 0 || report.totals.incomplete > 0 ? EXIT.SOME_FAILED : EXIT.OK;
    } finally {
      await converter.close();
    }
  });
}
