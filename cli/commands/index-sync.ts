/**
 * `acervo index --sync`: apply the index updates waiting in the catalog's outbox (after a backend
 * outage). Updates the backend refused for good are set aside (exit 2, listed by status);
 * `--retry-refused` puts them back in line first, once their cause is fixed.
 */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { syncIndex } from '../../core/pipeline/index-sync.js';
import { EXIT } from '../exit-codes.js';
import { withLibraryRun } from '../library-run.js';
import { configOption, jsonOption, libraryOption } from '../options.js';
import { logLine, printJson } from '../output.js';
import { requireLibrary } from './library-option.js';

export function indexCommand(): Command {
  return new Command('index')
    .description('bring the search index up to date with the catalog')
    .option('--sync', 'apply the index updates waiting in the outbox (what an outage of the backend left)')
    .option('--retry-refused', 'with --sync: also try again the updates the backend refused and that were set aside')
    .addOption(libraryOption())
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (flags: { sync?: boolean; retryRefused?: boolean; library?: string; config?: string; json?: boolean }) => {
      if (!flags.sync) throw new AppError('USAGE', 'Say what to do: acervo index --sync (apply the waiting updates), or acervo reindex (rebuild it all).');
      const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
      const lifecycle = { command: 'index --sync', config, libraryDir: requireLibrary(config.library), create: false, waitLockSeconds: config.lock.waitSeconds, log: { stderr: false, file: config.logging.file }, stoppable: false, say: logLine };
      process.exitCode = await withLibraryRun(lifecycle, async ({ library, catalog, backend }) => {
        const retried = flags.retryRefused ? catalog.retryRefusedIndexUpdates() : 0;
        const waiting = catalog.indexBacklog().pending;
        const sync = await syncIndex(catalog, backend);
        const { pending, refused, lastError } = catalog.indexBacklog();
        if (flags.json) printJson({ library: library.root, backend: backend.name, waiting, retried, applied: sync.applied, pending, refused, error: sync.error ?? (refused > 0 ? lastError : null) });
        else logLine(`${backend.name}: ${sync.applied} document update(s) applied, ${pending} still waiting${refused > 0 ? `, ${refused} of them set aside because the backend refused them (last: ${lastError}); fix the cause, then acervo index --sync --retry-refused` : ''}.`);
        if (sync.error) throw new AppError('SEARCH_UNAVAILABLE', `The search index could not take the updates; they stay in the outbox (${pending} waiting): ${sync.error}`);
        return refused > 0 ? EXIT.SOME_FAILED : EXIT.OK;
      });
    });
}
