/**
 * A small library of born-digital one-page PDFs, ingested by the built CLI: their text is taken
 * from the PDF, so no page is read by OCR (seconds, not minutes). Each file is filed as
 * `{collection}/{year}/Caixa {box}/name.pdf`, which the path template reads as its metadata.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { runCli } from './cli.js';

export const BOX_TEMPLATE = '{collection}/{year}/Caixa {box}';

/** `files`: paths under the scans folder (as the template reads them) and each page's lines. */
export async function textLibrary(folder: string, files: ReadonlyArray<{ path: string; lines: readonly string[] }>): Promise<string> {
  const scans = path.join(folder, 'scans');
  const library = path.join(folder, 'library');
  for (const file of files) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage([595, 842]);
    file.lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 22, size: 13, font }));
    mkdirSync(path.dirname(path.join(scans, file.path)), { recursive: true });
    writeFileSync(path.join(scans, file.path), await pdf.save());
  }
  const config = path.join(folder, 'ingest.json');
  writeFileSync(config, JSON.stringify({ metadata: { pathTemplate: BOX_TEMPLATE } }));
  const ingest = await runCli(['ingest', scans, '--library', library, '--json'], { env: { ACERVO_CONFIG: config } });
  if (ingest.code !== 0) throw new Error(`ingest failed (${ingest.code}):\n${ingest.stderr}`);
  return library;
}
