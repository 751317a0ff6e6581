/** `acervo reindex`: rebuild the search index from the catalog (the source of truth). */
import { Command, Option } from 'commander';
import { EXIT } from '../exit-codes.js';
import { holdLibrary, startRun } from '../run-context.js';
import { parseSeconds } from './ingest.js';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { existingLibrary } from '../../core/library.js';
import { rebuildIndex } from '../../core/pipeline/rebuild-index.js';
import { logLine, printJson } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';

export function reindexCommand(): Command {
  return new Command('reindex')
    .description('rebuild the search index from the catalog (searches see the old index until the new one is complete)')
    .option('-l, --library <dir>', 'library folder')
    .addOption(new Option('--wait-lock <seconds>', 'wait this long for another run on the library to finish').argParser(parseSeconds))
    .option('--json', 'print one JSON document on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { library?: string; config?: string; json?: boolean; waitLock?: number }) => {
      const started = performance.now();
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const library = existingLibrary(requireLibrary(config.library));
      const run = await startRun('reindex', config, {});
      const lock = await holdLibrary(library.root, run, flags.waitLock ?? config.lock.waitSeconds, () => process.exit(EXIT.FATAL));
      const catalog = Catalog.open(library.catalogFile);
      const backend = await openSearchBackend(config, library);
      try {
        const startedAt = new Date();
        const stats = await rebuildIndex(catalog, backend);
        catalog.recordRun({ runId: run.runId, command: 'reindex', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), stoppedBy: 'completed', documents: stats.documents, indexed: stats.documents, skipped: 0, failed: 0, pages: stats.pages, remaining: 0, report: null });
        const elapsedSeconds = Math.round((performance.now() - started) / 10) / 100;
        if (flags.json) printJson({ library: library.root, backend: backend.name, documents: stats.documents, pages: stats.pages, elapsedSeconds });
        else logLine(`Rebuilt the ${backend.name} index from the catalog: ${stats.documents} document(s), ${stats.pages} page(s) in ${elapsedSeconds} s.`);
      } finally {
        await backend.close();
        catalog.close();
        await lock.release();
        await run.close();
      }
    });
}
