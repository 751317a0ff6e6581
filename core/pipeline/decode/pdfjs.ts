/**
 * pdf.js (its legacy build, the one that runs on Node), loaded once for the process.
 *
 * The legacy build bundles core-js polyfills that replace built-ins for the whole process: on
 * Node 20 it swaps `Array.prototype.push` for a JavaScript loop over `arguments` (it detects a V8
 * quirk with non-writable array lengths) and `JSON.parse`/`JSON.stringify` for its own. Every
 * array push anywhere then ran several times slower — building the search index spent more time
 * in that `push` than in anything of its own. pdf.js needs none of those replacements, so the
 * originals are put back once it has loaded. (Its additions — Set methods, Promise.withResolvers
 * and the like — are new functions, not replacements, and stay.)
 */
const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };

export const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');

const restore = (target: object, name: string, value: unknown) => Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
restore(Array.prototype, 'push', natives.push);
restore(JSON, 'parse', natives.parse);
restore(JSON, 'stringify', natives.stringify);
