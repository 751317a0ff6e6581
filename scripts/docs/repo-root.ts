/** The project's folder, from scripts/docs (tests, on the sources) or dist/scripts/docs (the built generator). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'docs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('The project folder (package.json and docs/) was not found above scripts/docs.');
  }
}
