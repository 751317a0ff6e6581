/**
 * The file a worker thread runs. Node runs JavaScript only, so a thread always starts from the
 * compiled module in dist/ — also when the code that starts it was loaded from its TypeScript
 * source (the tests run the sources; `npm test` builds dist/ first).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from './errors.js';

/** `sibling` is a module next to the caller (`import.meta.url`), named without extension. */
export function threadScript(callerUrl: string, sibling: string): URL {
  const caller = fileURLToPath(callerUrl);
  const compiled = path.join(path.dirname(caller), `${sibling}.js`);
  if (caller.endsWith('.js')) return pathToFileURL(compiled);
  // From sources: the same place under dist/, found from the project root (where package.json is).
  for (let dir = path.dirname(caller); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (!existsSync(path.join(dir, 'package.json'))) continue;
    const built = path.join(dir, 'dist', path.relative(dir, path.dirname(caller)), `${sibling}.js`);
    if (existsSync(built)) return pathToFileURL(built);
    break;
  }
  throw new AppError('DEPENDENCY_MISSING', `The compiled ${sibling}.js is missing: run \`npm run build\` first.`);
}
