/**
 * tesseract.js's own worker script, with Leptonica's diagnostics kept off the user's terminal.
 * Leptonica (inside the wasm engine) reports recoverable conditions on stderr — "Error in
 * boxClipToRectangle: box outside rectangle" on some deskewed pages — which would otherwise break
 * the one-line-per-document output. Everything else still reaches stderr.
 */
import { createRequire } from 'node:module';

const LEPTONICA_DIAGNOSTIC = /^(Error|Warning) in \w+:/;

for (const method of ['error', 'warn', 'log'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && LEPTONICA_DIAGNOSTIC.test(args[0])) return;
    original(...args);
  };
}

// The wasm module binds its printers when it loads, so the filter must be in place first.
createRequire(import.meta.url)('tesseract.js/src/worker-script/node/index.js');
