/**
 * `acervo index --sync`: apply the index updates waiting in the catalog's outbox (after a backend
 * outage). Updates the backend refused for good are set aside (exit 2, listed by status);
 * `--retry-refused` puts them back in line first, once their cause is fixed.
 */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { syncIndex } from '../../core/pipeline/index-sync.js';
import { rebuildIfEmpty } from '../../core/pipeline/rebuild-index.js';
import { EXIT } from '../exit-codes.js';
import { logLine, printJson } from '../output.js';
import { holdLibrary, startRun } from '../run-context.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';

export function indexCommand(): Command {
  return new Command('index')
    .description('bring the search index up to date with the catalog')
    .option('--sync', 'apply the index updates waiting in the outbox (what an outage of the backend left)')
    .option('--retry-refused', 'with --sync: also try again the updates the backend refused and that were set aside')
    .option('-l, --library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { sync?: boolean; retryRefused?: boolean; library?: string; config?: string; json?: boolean }) => {
      if (!flags.sync) throw new AppError('USAGE', 'Say what to do: acervo index --sync (apply the waiting updates), or acervo reindex (rebuild it all).');
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const library = existingLibrary(requireLibrary(config.library));
      const run = await startRun('index --sync', config, {});
      const lock = await holdLibrary(library.root, run, config.lock.waitSeconds, () => process.exit(EXIT.FATAL));
      const catalog = Catalog.open(library.catalogFile);
      const backend = await openSearchBackend(config, library);
      try {
        await rebuildIfEmpty(catalog, backend, (message) => logLine(message));
        const retried = flags.retryRefused ? catalog.retryRefusedIndexUpdates() : 0;
        const waiting = catalog.indexBacklog().pending;
        const sync = await syncIndex(catalog, backend);
        const { pending, refused, lastError } = catalog.indexBacklog();
        if (flags.json) printJson({ library: library.root, backend: backend.name, waiting, retried, applied: sync.applied, pending, refused, error: sync.error ?? (refused > 0 ? lastError : null) });
        else logLine(`${backend.name}: ${sync.applied} document update(s) applied, ${pending} still waiting${refused > 0 ? `, ${refused} of them set aside because the backend refused them (last: ${lastError}); fix the cause, then acervo index --sync --retry-refused` : ''}.`);
        if (sync.error) throw new AppError('SEARCH_UNAVAILABLE', `The search index could not take the updates; they stay in the outbox (${pending} waiting): ${sync.error}`);
        if (refused > 0) process.exitCode = EXIT.SOME_FAILED;
      } finally {
        await backend.close();
        catalog.close();
        await lock.release();
        await run.close();
      }
    });
}
