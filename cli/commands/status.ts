/** `acervo status`: what the library holds, and whether the search backend answers and is in step with it. */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { existingLibrary } from '../../core/library.js';
import type { IndexStats } from '../../core/search/search-backend.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printLine } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';

export function statusCommand(): Command {
  return new Command('status')
    .description("show the library's totals, and the search backend's state: reachable, version, documents held")
    .option('-l, --library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { library?: string; config?: string; json?: boolean }) => {
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const library = existingLibrary(requireLibrary(config.library));
      const catalog = Catalog.open(library.catalogFile);
      const backend = openSearchBackend(config, library);
      try {
        const totals = catalog.totals();
        const backlog = catalog.indexBacklog();
        const health = await backend.health();
        const stats: IndexStats | null = health.reachable ? await backend.stats() : null;
        const inStep = stats !== null && stats.documents === totals.done && backlog.pending === 0;
        const runs = catalog.recentRuns(5);
        if (flags.json) {
          printJson({
            library: library.root,
            catalog: totals,
            index: { backend: backend.name, ...health, documents: stats?.documents ?? null, pages: stats?.pages ?? null, inStep, pendingUpdates: backlog.pending, lastError: backlog.lastError },
            runs,
          });
        } else {
          printLine(`Library:  ${library.root}`);
          printLine(`Catalog:  ${totals.documents} document(s): ${totals.done} converted, ${totals.failed} failed; ${totals.pages} page(s)`);
          printLine(`Index:    ${backend.name} at ${health.location}: ${health.reachable ? `reachable, ${health.version}` : `NOT reachable (${health.error})`}`);
          if (stats) printLine(`          ${stats.documents} document(s), ${stats.pages} page(s)${inStep ? ', in step with the catalog' : ''}`);
          if (backlog.pending > 0) printLine(`          ${backlog.pending} update(s) waiting (run acervo index --sync)${backlog.lastError ? `; last error: ${backlog.lastError}` : ''}`);
          if (runs.length > 0) printLine('Last runs:');
          for (const r of runs) {
            printLine(`  ${r.startedAt}  ${r.command.padEnd(13)} ${(r.stoppedBy ?? 'running').padEnd(9)} ${r.indexed} converted, ${r.skipped} unchanged, ${r.failed} failed, ${r.pages} page(s)${r.remaining > 0 ? `, ${r.remaining} left` : ''}${r.report ? `  ${r.report}` : ''}`);
          }
        }
        // Scripts and monitors can tell an unreachable backend from the exit code.
        if (!health.reachable) process.exitCode = EXIT.FATAL;
      } finally {
        await backend.close();
        catalog.close();
      }
    });
}
