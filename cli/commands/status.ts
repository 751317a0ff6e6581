/** `acervo status`: what the library holds, and whether the index is in step with the catalog. */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { existingLibrary } from '../../core/library.js';
import { printJson, printLine } from '../output.js';
import { openSearchBackend } from '../runtime.js';
import { requireLibrary } from './library-option.js';

export function statusCommand(): Command {
  return new Command('status')
    .description("show the library's totals and the search index's state")
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
        const index = await backend.stats();
        if (flags.json) {
          printJson({ library: library.root, catalog: totals, index: { backend: backend.name, ...index } });
          return;
        }
        printLine(`Library:  ${library.root}`);
        printLine(`Catalog:  ${totals.documents} document(s): ${totals.done} converted, ${totals.failed} failed; ${totals.pages} page(s)`);
        printLine(`Index:    ${backend.name}, ${index.documents} document(s), ${index.pages} page(s)${totals.pendingIndexUpdates > 0 ? `; ${totals.pendingIndexUpdates} update(s) waiting` : ''}`);
      } finally {
        await backend.close();
        catalog.close();
      }
    });
}
