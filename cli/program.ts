/**
 * The `acervo` program as commander sees it, built without running anything: cli/main.ts parses
 * the command line with it, and the docs generator (scripts/generate-docs.ts) prints its help.
 *
 * Only the command asked for is loaded: `acervo search` never loads OCR, images or PDF, and
 * `acervo --version` loads nothing but the command line parser. Help without a command loads them all.
 */
import { Command } from 'commander';
import { VERSION } from './version.js';

/** Each command's module, in the order help lists them. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['ingest', async () => (await import('./commands/ingest.js')).ingestCommand()],
  ['search', async () => (await import('./commands/search.js')).searchCommand()],
  ['reindex', async () => (await import('./commands/reindex.js')).reindexCommand()],
  ['apply-corrections', async () => (await import('./commands/apply-corrections.js')).applyCorrectionsCommand()],
  ['index', async () => (await import('./commands/index-sync.js')).indexCommand()],
  ['retry', async () => (await import('./commands/retry.js')).retryCommand()],
  ['status', async () => (await import('./commands/status.js')).statusCommand()],
  ['review', async () => (await import('./commands/review.js')).reviewCommand()],
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
export function commandNamed(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.some(([name]) => name === first) ? first : undefined;
}

/**
 * The program with the commands `argv` needs: the one it names, none for a bare `--version`,
 * every command otherwise (help). Without `argv`, every command.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('acervo')
    .description('Turn scanned paper archives into searchable PDFs and find any record in seconds.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const wanted = argv === undefined ? undefined : commandNamed(argv);
  const versionOnly = argv !== undefined && wanted === undefined && argv.slice(2).some((arg) => arg === '--version' || arg === '-V');
  if (!versionOnly) {
    for (const [name, load] of COMMANDS) {
      if (wanted !== undefined && name !== wanted) continue;
      program.addCommand(await load());
    }
  }
  return program;
}
