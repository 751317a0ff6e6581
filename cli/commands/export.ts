/** `acervo export --collection X DIR`: a collection's PDFs and metadata as a BagIt bag, for handing records on. */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { exportCollection } from '../../core/fixity/export-collection.js';
import { formatBytes } from '../../core/fixity/verify-report.js';
import { existingLibrary } from '../../core/library.js';
import { EXIT } from '../exit-codes.js';
import { logLine, printJson, printLine } from '../output.js';
import { PRODUCER } from '../runtime.js';
import { requireLibrary } from './library-option.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

interface ExportFlags {
  collection?: string;
  library?: string;
  organization?: string;
  json?: boolean;
  config?: string;
}

export function exportCommand(): Command {
  return new Command('export')
    .description("write a collection's PDFs, a manifest (CSV, JSON) and checksums into a new BagIt bag, checking each PDF against the catalog")
    .argument('<dir>', 'the bag: a new or empty folder')
    .requiredOption('--collection <name>', 'the collection to export')
    .addOption(libraryOption())
    .option('--organization <name>', "Source-Organization in bag-info.txt (the archive's name)")
    .addOption(jsonOption())
    .addOption(configOption())
    .action(async (dir: string, flags: ExportFlags) => {
      process.exitCode = await runExport(dir, flags);
    });
}

async function runExport(dir: string, flags: ExportFlags): Promise<number> {
  if (!flags.collection) throw new AppError('USAGE', 'Say which collection to export: --collection NAME.');
  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const library = existingLibrary(requireLibrary(config.library));
  const catalog = Catalog.open(library.catalogFile);
  const controller = new AbortController();
  // Stop between files and remove what was written: a half-copied bag is no bag.
  // A second signal quits at once; the catalog (read only here) is closed first.
  const onSignal = () => {
    if (controller.signal.aborted) {
      catalog.close();
      process.exit(EXIT.INTERRUPTED);
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await exportCollection(library, catalog, { collection: flags.collection, target: dir, software: PRODUCER, signal: controller.signal, ...(flags.organization ? { organization: flags.organization } : {}) });
    if (result.interrupted) {
      logLine('acervo: export interrupted; what it had written was removed.');
      return EXIT.INTERRUPTED;
    }
    if (flags.json) printJson({ library: library.root, ...result });
    else printLine(`Exported ${result.documents} PDF(s) of "${result.collection}" (${formatBytes(result.bytes)}) into the bag ${result.bag}; every PDF matched the catalog's checksum.`);
    return EXIT.OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    catalog.close();
  }
}
