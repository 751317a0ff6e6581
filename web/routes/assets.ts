/**
 * The page's files: a fixed list read once at start, from web/public and from pdfjs-dist (the PDF
 * viewer). No request path is ever joined to a folder: what is not on the list is "not found".
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const PUBLIC_FILES = [
  'index.html', 'viewer.html', 'bulk.html', 'review.html', 'search-guide.html', 'app.js', 'viewer.js', 'bulk.js', 'record-editor.js', 'page-text.js', 'correction-history.js',
  'bulk-form.js', 'bulk-history.js', 'search-bulk.js', 'review.js', 'review-panel.js', 'review-keys.js', 'common.js', 'i18n.js', 'i18n-corrections.js', 'i18n-bulk.js', 'i18n-review.js',
  'portal-toggle.js', 'i18n-portal.js',
  'style.css', 'favicon.svg',
];
const PDFJS_FILES = ['build/pdf.min.mjs', 'build/pdf.worker.min.mjs', 'web/pdf_viewer.css'];

/** The project's folder, from web/routes (tests, on the sources) or dist/web/routes (the built CLI). */
function projectRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'web', 'public'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('web/public not found beside the installed Acervo');
  }
}

function load(file: string): Asset {
  return { body: readFileSync(file), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}

export function registerAssets(app: FastifyInstance): void {
  const publicDir = path.join(projectRoot(), 'web', 'public');
  const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const assets = new Map<string, Asset>();
  for (const name of PUBLIC_FILES) assets.set(`/assets/${name}`, load(path.join(publicDir, name)));
  for (const name of PDFJS_FILES) assets.set(`/assets/pdfjs/${path.basename(name)}`, load(path.join(pdfjsDir, name)));
  const send = (asset: Asset) => (_request: unknown, reply: import('fastify').FastifyReply) => reply.header('Content-Type', asset.type).header('Cache-Control', 'no-cache').send(asset.body);

  app.get('/', send(assets.get('/assets/index.html')!));
  app.get<{ Params: { id: string } }>('/view/:id', send(assets.get('/assets/viewer.html')!));
  // Bulk changes of a whole box, and their history (archive staff; the page says so to others).
  app.get('/lote', send(assets.get('/assets/bulk.html')!));
  // The clerks' search guide (made from docs/search-guide.md by npm run docs:generate), linked under the search box.
  app.get('/ajuda', send(assets.get('/assets/search-guide.html')!));
  // The review queue, for archive staff (the API refuses the others; the page says so).
  app.get('/revisao', send(assets.get('/assets/review.html')!));
  for (const [url, asset] of assets) if (!url.endsWith('.html')) app.get(url, send(asset));
}
