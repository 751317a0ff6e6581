#!/usr/bin/env node
/**
 * The `acervo` command. Every command's errors end here: one line on stderr, one exit code.
 */
import { Command, CommanderError } from 'commander';
import { exportCommand } from './commands/export.js';
import { indexCommand } from './commands/index-sync.js';
import { ingestCommand } from './commands/ingest.js';
import { reindexCommand } from './commands/reindex.js';
import { retryCommand } from './commands/retry.js';
import { searchCommand } from './commands/search.js';
import { hashPasswordCommand, makeTokenCommand } from './commands/secrets.js';
import { scheduleCommand } from './commands/schedule.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { watchCommand } from './commands/watch.js';
import { separatorSheetCommand } from './commands/separator-sheet.js';
import { workerCommand } from './commands/worker.js';
import { EXIT, errorLine, exitCodeFor } from './exit-codes.js';
import { VERSION } from './runtime.js';

const program = new Command('acervo')
  .description('Turn scanned paper archives into searchable PDFs and find any record in seconds.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addCommand(ingestCommand())
  .addCommand(searchCommand())
  .addCommand(reindexCommand())
  .addCommand(indexCommand())
  .addCommand(retryCommand())
  .addCommand(statusCommand())
  .addCommand(verifyCommand())
  .addCommand(exportCommand())
  .addCommand(watchCommand())
  .addCommand(separatorSheetCommand())
  .addCommand(workerCommand())
  .addCommand(serveCommand())
  .addCommand(scheduleCommand())
  .addCommand(hashPasswordCommand())
  .addCommand(makeTokenCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help/version text).
    process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else {
    process.stderr.write(`${errorLine(error as Error)}\n`);
    if (process.env.ACERVO_DEBUG) console.error(error);
    process.exitCode = exitCodeFor(error);
  }
}
