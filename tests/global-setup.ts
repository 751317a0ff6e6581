/**
 * Ingests the bundled samples once, through the built CLI with the default settings, into a
 * temporary library that the end-to-end suites read (ingest report, accuracy, search, clean stage,
 * PDF/A output, the CLI contract) or copy before they change it. The e2e project's setup only:
 * the fast tier runs without it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { runCli, type CliResult } from './helpers/cli.js';
import { CLI, SAMPLES_DIR } from './helpers/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    samplesLibrary: string;
    samplesRun: CliResult;
    samplesHashesBefore: Record<string, string>;
  }
}

export function hashTree(folder: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hashes[path.relative(folder, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return hashes;
}

export default async function setup(project: TestProject) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm test\` (it builds first) or \`npm run build\`.`);
  const library = mkdtempSync(path.join(os.tmpdir(), 'acervo-samples-'));
  const before = hashTree(SAMPLES_DIR);
  const run = await runCli(['ingest', SAMPLES_DIR, '--library', library, '--json']);
  project.provide('samplesLibrary', library);
  project.provide('samplesRun', run);
  project.provide('samplesHashesBefore', before);
  return () => rmSync(library, { recursive: true, force: true });
}
