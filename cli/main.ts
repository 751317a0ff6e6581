#!/usr/bin/env node
/**
 * The `acervo` command. Every command's errors end here: one line on stderr, one exit code.
 * The program itself (which commands, loaded how) is built by program.ts.
 */
import { CommanderError } from 'commander';
import { EXIT, errorLine, exitCodeFor } from './exit-codes.js';
import { buildProgram } from './program.js';

try {
  const program = await buildProgram(process.argv);
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
