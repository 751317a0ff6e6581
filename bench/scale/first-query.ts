/**
 * The first search after opening a library, in a fresh process: how long opening the index takes
 * and how long its first query takes, as `acervo search` or a just-started `acervo serve` meets
 * them. Prints one JSON line. Run by the benchmark, not by users.
 *
 *     node dist/bench/scale/first-query.js <library> <query>
 */
import { loadConfig } from '../../config/load.js';
import { existingLibrary } from '../../core/library.js';
import { openSearchBackend } from '../../cli/runtime.js';

const [root, text] = process.argv.slice(2) as [string, string];
const config = loadConfig({ env: {}, cwd: root, flags: { library: root } });
const started = performance.now();
const backend = await openSearchBackend(config, existingLibrary(root));
const opened = performance.now();
const result = await backend.search({ text, limit: 20, offset: 0, facets: true });
const searched = performance.now();
await backend.close();
console.log(JSON.stringify({ openMs: opened - started, firstQueryMs: searched - opened, total: result.total }));
