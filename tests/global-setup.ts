/**
 * Ingests the bundled samples once, through the built CLI with the default settings, into a
 * temporary library that the end-to-end suites read (ingest report, accuracy, search, clean stage,
 * PDF/A output, the CLI contract) or copy before they change it. The e2e project's setup only:
 * the fast tier runs without it.
 *
 * Every `acervo` the suites start shares one readings cache for the run (core/ocr/readings-cache.ts,
 * through ACERVO_OCR_READINGS_CACHE, which the test processes and theirs inherit): a page image
 * Tesseract has read once in this run — the samples that many suites ingest again, a rescan that
 * reads the same — is answered from it afterwards, as the product does for a user who sets it. It
 * starts empty every run, so every distinct image is read by Tesseract. Suites whose subject is
 * the time reading takes opt out (tests/helpers/readings-cache.ts).
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
  const readings = mkdtempSync(path.join(os.tmpdir(), 'acervo-readings-'));
  process.env.ACERVO_OCR_READINGS_CACHE = readings;
  const before = hashTree(SAMPLES_DIR);
  const run = await runCli(['ingest', SAMPLES_DIR, '--library', library, '--json']);
  project.provide('samplesLibrary', library);
  project.provide('samplesRun', run);
  project.provide('samplesHashesBefore', before);
  return () => {
    rmSync(library, { recursive: true, force: true });
    rmSync(readings, { recursive: true, force: true });
  };
}
