#!/usr/bin/env node
/**
 * The `acervo` command. Every command's errors end here: one line on stderr, one exit code.
 *
 * Only the command asked for is loaded: `acervo search` never loads OCR, images or PDF, and
 * `acervo --version` loads nothing but the command line parser. Help without a command loads them all.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, errorLine, exitCodeFor } from './exit-codes.js';
import { VERSION } from './version.js';

/** Each command's module, in the order help lists them. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['ingest', async () => (await import('./commands/ingest.js')).ingestCommand()],
  ['search', async () => (await import('./commands/search.js')).searchCommand()],
  ['reindex', async () => (await import('./commands/reindex.js')).reindexCommand()],
  ['index', async () => (await import('./commands/index-sync.js')).indexCommand()],
  ['retry', async () => (await import('./commands/retry.js')).retryCommand()],
  ['status', async () => (await import('./commands/status.js')).statusCommand()],
  ['access-log', async () => (await import('./commands/access-log.js')).accessLogCommand()],
  ['verify', async () => (await import('./commands/verify.js')).verifyCommand()],
  ['export', async () => (await import('./commands/export.js')).exportCommand()],
  ['redact', async () => (await import('./commands/redact.js')).redactCommand()],
  ['watch', async () => (await import('./commands/watch.js')).watchCommand()],
  ['separator-sheet', async () => (await import('./commands/separator-sheet.js')).separatorSheetCommand()],
  ['worker', async () => (await import('./commands/worker.js')).workerCommand()],
  ['serve', async () => (await import('./commands/serve.js')).serveCommand()],
  ['schedule', async () => (await import('./commands/schedule.js')).scheduleCommand()],
  ['hash-password', async () => (await import('./commands/secrets.js')).hashPasswordCommand()],
  ['make-token', async () => (await import('./commands/secrets.js')).makeTokenCommand()],
];

/** The command named on the command line (`acervo search …`, `acervo help search`), if any. */
function named(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.some(([name]) => name === first) ? first : undefined;
}

const program = new Command('acervo')
  .description('Turn scanned paper archives into searchable PDFs and find any record in seconds.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  const wanted = named(process.argv);
  const versionOnly = wanted === undefined && process.argv.slice(2).some((arg) => arg === '--version' || arg === '-V');
  if (!versionOnly) {
    for (const [name, load] of COMMANDS) {
      if (wanted !== undefined && name !== wanted) continue;
      program.addCommand(await load());
    }
  }
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
