/** A run's report files in LIBRARY/reports/, named by the run id (which starts with its start time, so they sort by time). */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Library } from '../library.js';

/** Writes `<run id>.<extension>` for each entry, each file whole or not at all; returns their paths. */
export async function writeReportFiles<K extends string>(library: Library, runId: string, contents: Record<K, { extension: string; text: string }>): Promise<Record<K, string>> {
  const folder = path.join(library.root, 'reports');
  await mkdir(folder, { recursive: true });
  const files = {} as Record<K, string>;
  for (const [key, { extension, text }] of Object.entries(contents) as Array<[K, { extension: string; text: string }]>) {
    const file = path.join(folder, `${runId}.${extension}`);
    await writeFile(`${file}.partial`, text);
    await rename(`${file}.partial`, file);
    files[key] = file;
  }
  return files;
}
