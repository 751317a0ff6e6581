/**
 * `acervo status`: what the library holds, how much of it is left for archive staff to review, and
 * whether the search backend answers and is in step with it.
 */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { existingLibrary } from '../../core/library.js';
import type { IndexStats } from '../../core/search/search-backend.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printLine } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';
import { reviewSummary } from '../../core/reports/review-summary.js';
import type { QueueStatus } from '../../workers/queue/queue-status.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

export function statusCommand(): Command {
  return new Command('status')
    .description("show the library's totals, what is left to review (acervo review), and the search backend's state: reachable, version, documents held")
    .addOption(libraryOption())
    .option('--queue <url>', 'also show this job queue (Redis): jobs waiting, active and failed, and the workers alive')
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (flags: { library?: string; config?: string; json?: boolean; queue?: string }) => {
      const config = loadConfig({ file: flags.config, flags: { library: flags.library, queue: { url: flags.queue } } });
      const library = existingLibrary(requireLibrary(config.library));
      const catalog = Catalog.open(library.catalogFile);
      const backend = await openSearchBackend(config, library);
      try {
        const totals = catalog.totals();
        // Kept counts (review_counts), not a walk over the items: as quick at a million pages.
        const review = catalog.review().counts(config.access.personalDataCollections);
        const backlog = catalog.indexBacklog();
        const health = await backend.health();
        const stats: IndexStats | null = health.reachable ? await backend.stats() : null;
        const inStep = stats !== null && stats.documents === totals.done && backlog.pending === 0;
        const runs = catalog.recentRuns(5);
        // PDFs not yet written with staff's corrections (serve writes each as it is saved, unless a run holds the library).
        const pdfsWaiting = catalog.pdfRewrites().pendingCount();
        const queue = config.queue.url ? await (await import('../../workers/queue/queue-status.js')).queueStatus(config.queue) : null;
        if (flags.json) {
          printJson({
            library: library.root,
            catalog: totals,
            review,
            index: { backend: backend.name, ...health, documents: stats?.documents ?? null, pages: stats?.pages ?? null, inStep, pendingUpdates: backlog.pending, refusedUpdates: backlog.refused, lastError: backlog.lastError },
            runs,
            corrections: { pdfsWaiting },
            ...(queue ? { queue } : {}),
          });
        } else {
          printLine(`Library:  ${library.root}`);
          printLine(`Catalog:  ${totals.documents} document(s): ${totals.done} converted, ${totals.failed} failed; ${totals.pages} page(s)`);
          if (totals.incomplete > 0) printLine(`          ${totals.incomplete} converted from a file cut short (INPUT_TRUNCATED): copy the whole file again, then acervo retry --failed`);
          printLine(`Review:   ${reviewSummary(review)}`);
          printLine(`Index:    ${backend.name} at ${health.location}: ${health.reachable ? `reachable, ${health.version}` : `NOT reachable (${health.error})`}`);
          if (stats) printLine(`          ${stats.documents} document(s), ${stats.pages} page(s)${inStep ? ', in step with the catalog' : ''}`);
          if (stats?.documents === 0 && totals.done > 0) printLine('          empty while the catalog holds documents: run acervo reindex to build it (the next ingest or watch does too)');
          if (backlog.pending > backlog.refused) printLine(`          ${backlog.pending - backlog.refused} update(s) waiting (run acervo index --sync)${backlog.lastError ? `; last error: ${backlog.lastError}` : ''}`);
          if (backlog.refused > 0) printLine(`          ${backlog.refused} update(s) set aside: the search backend refused them (fix the cause, then acervo index --sync --retry-refused)`);
          if (pdfsWaiting > 0) printLine(`PDFs:     ${pdfsWaiting} waiting to be written with staff's corrections (run acervo apply-corrections)`);
          if (queue) printQueue(queue);
          if (runs.length > 0) printLine('Last runs:');
          for (const r of runs) {
            printLine(`  ${r.startedAt}  ${r.command.padEnd(13)} ${(r.stoppedBy ?? 'running').padEnd(11)} ${r.indexed} converted, ${r.skipped} unchanged, ${r.failed} failed, ${r.pages} page(s)${r.remaining > 0 ? `, ${r.remaining} left` : ''}${r.report ? `  ${r.report}` : ''}`);
          }
        }
        // Scripts and monitors can tell an unreachable backend from the exit code.
        if (!health.reachable || (queue && !queue.reachable)) process.exitCode = EXIT.FATAL;
      } finally {
        await backend.close();
        catalog.close();
      }
    });
}

function printQueue(queue: QueueStatus): void {
  if (!queue.reachable) {
    printLine(`Queue:    ${queue.name}: NOT reachable (${queue.error})`);
    return;
  }
  const { jobs } = queue;
  printLine(`Queue:    ${queue.name}: ${jobs.waiting} waiting, ${jobs.active} active, ${jobs.delayed} delayed, ${jobs.failed} failed, ${jobs.completed} done (kept a day)`);
  printLine(`Workers:  ${queue.workers.length} alive${queue.workers.length > 0 ? `, ${queue.workers.reduce((sum, w) => sum + w.pagesPerMinute, 0).toFixed(1)} pages/min together` : ''}`);
  for (const w of queue.workers) {
    printLine(`  ${w.id.padEnd(28)} ${w.active} in hand, ${w.documents} document(s), ${w.pages} page(s), ${w.pagesPerMinute.toFixed(1)} pages/min${w.draining ? ', draining' : ''}`);
  }
  for (const f of queue.recentFailures.slice(0, 5)) printLine(`  failed: ${f.file}: ${f.reason} (${f.attempts} attempt(s))`);
}
