/**
 * Reading PDFs back, with two independent extractors: poppler's pdftotext (what archives and
 * search tools use; installed by .ci/run) and Mozilla's pdf.js (always present).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pdfjs } from '../../core/pipeline/decode/pdfjs.js';

export const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
if (!HAS_PDFTOTEXT) console.warn('pdftotext is not installed: the poppler checks of the text layer are skipped (apt-get install poppler-utils).');

export function pdftotext(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' });
}

export interface BoxedWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words with their boxes in points, origin top-left (pdftotext -bbox). */
export function pdftotextWords(file: string, page = 1): BoxedWord[] {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  const words: BoxedWord[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    words.push({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: decodeEntities(m[5]!) });
  }
  return words;
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export interface PdfInfo {
  pages: Array<{ width: number; height: number; text: string }>;
  info: Record<string, unknown>;
  metadata: string | null;
}

/** Page sizes, text per page, the document information and the raw XMP, through pdf.js. */
export async function readPdf(file: string): Promise<PdfInfo> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const view = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      pages.push({ width: view.width, height: view.height, text });
    }
    const meta = await doc.getMetadata();
    return { pages, info: meta.info as Record<string, unknown>, metadata: meta.metadata ? (meta.metadata as unknown as { getRaw(): string }).getRaw() : null };
  } finally {
    await doc.destroy();
  }
}
