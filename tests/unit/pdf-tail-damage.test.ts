/**
 * A PDF cut within its last kilobytes (issue 27): an incremental update cut short leaves the
 * earlier version's %%EOF near the end, and pdf.js reads that earlier version without a word.
 * pdfTailDamage says so when what follows the last %%EOF starts as PDF syntax (an object, a
 * cross-reference table, a trailer), and says nothing of padding or notes after a whole file, nor
 * of the samples and the real scans beside the project.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfTailDamage } from '../../core/pipeline/decode/pdf-structure.js';
import { RandomAccessFile } from '../../core/pdf/source/random-access-file.js';
import { REAL_SCANS_DIR, HAS_REAL_SCANS, SAMPLES_DIR } from '../helpers/paths.js';
import { convert, jobFor, scriptedPages } from './pipeline-fixtures.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-pdf-tail-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;

function place(bytes: Uint8Array): string {
  const file = path.join(work, `f${++files}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

async function damageOf(file: string): Promise<string | null> {
  const input = await RandomAccessFile.open(file);
  try {
    return await pdfTailDamage(input);
  } finally {
    await input.close();
  }
}

let made: Promise<{ base: Buffer; whole: Buffer }> | null = null;
const updatedPdf = () => (made ??= makeUpdatedPdf());

/** A three-page scanned PDF, then an incremental update (ISO 32000-1 §7.5.6) giving it a title. */
async function makeUpdatedPdf(): Promise<{ base: Buffer; whole: Buffer }> {
  const doc = await PDFDocument.create();
  for (let n = 1; n <= 3; n++) {
    const png = await sharp({ create: { width: 420 + n, height: 600, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 300, height: 8, channels: 3, background: '#202020' } }, left: 60, top: 80 }])
      .png()
      .toBuffer();
    doc.addPage([302, 432]).drawImage(await doc.embedPng(png), { x: 0, y: 0, width: 302, height: 432 });
  }
  const base = Buffer.from(await doc.save({ useObjectStreams: false }));
  const text = base.toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const size = Number(/\/Size (\d+)/.exec(text.slice(text.lastIndexOf('trailer')))![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text.slice(text.lastIndexOf('trailer')))![1];
  const object = `${size} 0 obj\n<< /Title (Caixa 12, processos de 1987) /Producer (scanner) >>\nendobj\n`;
  const xrefAt = base.length + object.length;
  const xref = `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(base.length).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { base, whole: Buffer.concat([base, Buffer.from(object + xref, 'latin1')]) };
}

describe('pdfTailDamage', () => {
  it('finds an incremental update cut short after the earlier version’s %%EOF, wherever it is cut', async () => {
    const { base, whole } = await updatedPdf();
    expect(await damageOf(place(whole))).toBeNull();
    expect(await damageOf(place(base))).toBeNull();
    const update = whole.subarray(base.length).toString('latin1');
    const cuts = {
      'in its object': base.length + 12,
      'in its cross-reference table': base.length + update.indexOf('xref') + 20,
      'in its trailer': base.length + update.indexOf('trailer') + 15,
      'before its own %%EOF': whole.length - 7,
    };
    for (const [where, at] of Object.entries(cuts)) {
      expect(await damageOf(place(whole.subarray(0, at))), where).toMatch(new RegExp(`an update after its end-of-file marker at byte ${base.lastIndexOf('%%EOF')} starts with an object and is cut off at byte ${at}`));
    }
  });

  it('names a cross-reference section or a trailer that starts the cut update', async () => {
    const { base } = await updatedPdf();
    expect(await damageOf(place(Buffer.concat([base, Buffer.from('xref\n0 1\n00000')])))).toMatch(/starts with a cross-reference table/);
    expect(await damageOf(place(Buffer.concat([base, Buffer.from('\r\ntrailer\n<< /Size 9')])))).toMatch(/starts with a trailer/);
  });

  it('says nothing of padding, line ends or a note after a whole file’s %%EOF', async () => {
    const { base } = await updatedPdf();
    for (const after of ['\n\n', '\0\0\0\0    ', '% scanned by KV-S1060\n', ' 1']) expect(await damageOf(place(Buffer.concat([base, Buffer.from(after, 'latin1')]))), JSON.stringify(after)).toBeNull();
  });

  it('says nothing of the samples’ PDFs, nor of the real scans beside the project when they are there', async () => {
    const pdfs = (folder: string): string[] =>
      readdirSync(folder).flatMap((name) => {
        const file = path.join(folder, name);
        return statSync(file).isDirectory() ? pdfs(file) : name.endsWith('.pdf') ? [file] : [];
      });
    const all = [...pdfs(SAMPLES_DIR), ...(HAS_REAL_SCANS ? pdfs(REAL_SCANS_DIR) : [])];
    expect(all.length).toBeGreaterThan(0);
    const flagged = [];
    for (const file of all) if (await damageOf(file)) flagged.push(file);
    expect(flagged).toEqual([]);
  });
});

describe('a PDF whose update is cut short, converted', () => {
  it('keeps the pages the earlier version lists and marks the document incomplete', async () => {
    const { base, whole } = await updatedPdf();
    const cut = whole.subarray(0, base.length + 40);
    const folder = path.join(work, `job${++files}`);
    const file = path.join(folder, 'batch.pdf');
    mkdirSync(path.join(folder, 'tmp'), { recursive: true });
    writeFileSync(file, cut);
    const result = await convert(scriptedPages({}), jobFor({ file, folder }));
    expect(result.incomplete?.code).toBe('INPUT_TRUNCATED');
    expect(result.incomplete?.message).toMatch(/PDF is cut short: an update after its end-of-file marker .* 3 of the 3 page\(s\) it lists could be read/);
    expect(result.documents[0]!.pages).toHaveLength(3);
    writeFileSync(file, whole);
    expect((await convert(scriptedPages({}), jobFor({ file, folder }))).incomplete).toBeUndefined();
  });
});
