/** `acervo reindex`: rebuild the search index from the catalog (the source of truth). */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { rebuildIndex } from '../../core/pipeline/rebuild-index.js';
import { withLibraryRun } from '../library-run.js';
import { configOption, jsonOption, libraryOption, waitLockOption } from '../options.js';
import { logLine, printJson } from '../output.js';
import { requireLibrary } from './library-option.js';

export function reindexCommand(): Command {
  return new Command('reindex')
    .description('rebuild the search index from the catalog (searches see the old index until the new one is complete)')
    .addOption(libraryOption())
    .addOption(waitLockOption())
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (flags: { library?: string; config?: string; json?: boolean; waitLock?: number }) => {
      const started = performance.now();
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const lifecycle = { command: 'reindex', config, libraryDir: requireLibrary(config.library), create: false, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: false, file: config.logging.file }, stoppable: false };
      await withLibraryRun(lifecycle, async ({ library, catalog, backend, runId, startedAt }) => {
        const stats = await rebuildIndex(catalog, backend);
        catalog.recordRun({ runId, command: 'reindex', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), stoppedBy: 'completed', documents: stats.documents, indexed: stats.documents, skipped: 0, failed: 0, pages: stats.pages, remaining: 0, report: null });
        const elapsedSeconds = Math.round((performance.now() - started) / 10) / 100;
        if (flags.json) printJson({ library: library.root, backend: backend.name, documents: stats.documents, pages: stats.pages, elapsedSeconds });
        else logLine(`Rebuilt the ${backend.name} index from the catalog: ${stats.documents} document(s), ${stats.pages} page(s) in ${elapsedSeconds} s.`);
      });
    });
}
