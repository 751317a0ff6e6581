/**
 * Issue 21, tried as someone who wants the hidden data back: every kind of page Acervo stores
 * (bilevel G4, grey and colour JPEG, a page copied from a scanner's PDF, a turned and a crooked
 * scan, a born-digital page) is ingested, copied with `acervo redact`, and the copy is attacked:
 * its text (pdftotext), every image in it (pdfimages) under each box, every object of it (qpdf's
 * uncompressed dump, strings decoded), and a render of each page where the boxes are. The rest of
 * the page must stay searchable, PDF/A must stay PDF/A, and the original must not change.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import type { PageBox } from '../../core/redaction/page-box.js';
import type { PageReview } from '../../core/redaction/review.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { makePage, type PlacedWord } from '../helpers/make-page.js';
import { checkPdfa } from '../helpers/pdfa-rules.js';
import { HAS_PDFTOTEXT, pdftotext } from '../helpers/pdf-text.js';

const HAS_POPPLER = HAS_PDFTOTEXT && spawnSync('pdfimages', ['-v']).status === 0 && spawnSync('pdftoppm', ['-v']).status === 0;
const HAS_QPDF = spawnSync('qpdf', ['--version']).status === 0;
if (!HAS_POPPLER || !HAS_QPDF) console.warn('poppler-utils or qpdf is missing: the redacted copies cannot be attacked here (apt-get install poppler-utils qpdf).');

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-redact-'));
const inbox = path.join(work, 'inbox');
const library = path.join(work, 'library');
const env = { ACERVO_CONFIG: '/dev/null' };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What no copy may give back, as digits or text. */
const CPF = '39053344705';
const PHONE = '3133445566';
const EMAIL = 'jose.pereira@correio.com.br';
const LINES = [
  ['PREFEITURA', 'MUNICIPAL', 'DE', 'SANTA', 'LUZIA'],
  ['CERTIDÃO', 'Nº', '45/1989'],
  ['Requerente:', 'José', 'Carlos', 'Pereira'],
  ['CPF:', '390.533.447-05'],
  ['E-mail:', EMAIL],
  ['Telefone:', '(31)', '3344-5566'],
  ['Certifico', 'que', 'o', 'requerente', 'reside', 'neste', 'município.'],
];
const PAGE = { width: 2480, height: 3508, dpi: 300, size: 44, left: 260, top: 420, lineGap: 110 };

/** Every run of 5 digits of a hidden number found in `text`, read across separators. */
function digitLeaks(text: string): string[] {
  const found: string[] = [];
  for (const run of text.match(/[0-9][0-9 .,\-/()\n\r\t*]*/g) ?? []) {
    const digits = run.replace(/[^0-9]/g, '');
    for (const number of [CPF, PHONE]) for (let i = 0; i + 5 <= number.length; i++) if (digits.includes(number.slice(i, i + 5))) found.push(number.slice(i, i + 5));
  }
  return found;
}

function textLeaks(text: string): string[] {
  return [...digitLeaks(text), ...(/pereira@|correio\.com/i.test(text) ? ['e-mail'] : [])];
}

interface Sample {
  file: string;
  /** Upright and unskewed: the words' ink boxes (pixels of a 300 DPI A4 page) are where the page shows them. */
  ink: PlacedWord[] | null;
  pdfa: boolean;
}

const samples: Record<string, Sample> = {};

async function writeSamples(): Promise<void> {
  mkdirSync(inbox, { recursive: true });
  const { png, words } = await makePage(LINES, PAGE);
  const put = (name: string, bytes: Buffer, ink: PlacedWord[] | null, pdfa = true) => {
    writeFileSync(path.join(inbox, name), bytes);
    samples[name] = { file: name, ink, pdfa };
  };
  put('bilevel-g4.tif', await sharp(png).flatten({ background: '#ffffff' }).greyscale().threshold(128).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'inch' }).toBuffer(), words);
  put('grey.jpg', await sharp(png).greyscale().withMetadata({ density: 300 }).jpeg({ quality: 90 }).toBuffer(), words);
  put('colour.jpg', await sharp(png).tint({ r: 250, g: 236, b: 205 }).withMetadata({ density: 300 }).jpeg({ quality: 90 }).toBuffer(), words);
  put('turned.png', await sharp(png).rotate(90).withMetadata({ density: 300 }).png().toBuffer(), null);
  put('crooked.png', await sharp(png).rotate(2.5, { background: '#ffffff' }).withMetadata({ density: 300 }).png().toBuffer(), null);
  // A scanner's PDF: one JPEG per page, no text.
  const scanner = await PDFDocument.create();
  const jpeg = await scanner.embedJpg(await sharp(png).greyscale().jpeg({ quality: 85 }).toBuffer());
  scanner.addPage([595.2, 841.92]).drawImage(jpeg, { x: 0, y: 0, width: 595.2, height: 841.92 });
  put('scanner.pdf', Buffer.from(await scanner.save()), words);
  // Born digital: the numbers are real text in a font of the PDF's own.
  const digital = await PDFDocument.create();
  const font = await digital.embedFont(StandardFonts.Helvetica);
  const page = digital.addPage([595.2, 841.92]);
  LINES.forEach((line, i) => page.drawText(line.join(' '), { x: 62, y: 740 - 26 * i, size: 11, font }));
  put('born-digital.pdf', Buffer.from(await digital.save()), null, false);
}

const ids: Record<string, number> = {};
const copies: Record<string, { file: string; review: PageReview[]; result: any }> = {};
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const originals: Record<string, { pdf: string; sha: string }> = {};

beforeAll(async () => {
  await writeSamples();
  const ingest = await runCli(['ingest', inbox, '--library', library, '--json'], { env });
  expect(ingest.code, ingest.stderr).toBe(0);
  for (const document of parseJsonOutput(ingest).documents) {
    const name = path.basename(document.source);
    ids[name] = document.documentId;
    originals[name] = { pdf: document.pdf, sha: sha256(document.pdf) };
  }
  for (const name of Object.keys(samples)) {
    const review = await runCli(['redact', String(ids[name]), '--library', library, '--review', '--json'], { env });
    expect(review.code, review.stderr).toBe(0);
    const file = path.join(work, `copy-${name}.pdf`);
    const made = await runCli(['redact', String(ids[name]), '--library', library, '-o', file, '--by', 'ana.arquivista', '--json'], { env });
    expect(made.code, made.stderr).toBe(0);
    copies[name] = { file, review: parseJsonOutput(review).pages, result: parseJsonOutput(made) };
  }
}, 900_000);

/**
 * Every string of every object of the file, as qpdf writes it uncompressed: hex strings read as
 * two-byte codes (the glyphless layer) and as one-byte codes (simple fonts), literal strings as
 * they are. Binary streams (image data, font programs) are left out.
 */
function objectStrings(file: string): { strings: string[]; dump: string } {
  const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', '--decode-level=generalized', file, '-'], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1');
  const dump = raw.replace(/stream\r?\n[\s\S]*?endstream/g, (body) => (/[\x00-\x08\x0e-\x1f\x7f-\xff]{16}/.test(body) ? '' : body));
  const strings: string[] = [];
  for (const match of dump.matchAll(/<([0-9A-Fa-f\s]{4,})>/g)) {
    const hex = match[1]!.replace(/\s/g, '');
    const bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    let text = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    strings.push(text, bytes.toString('latin1'));
  }
  for (const match of dump.matchAll(/\(((?:[^()\\]|\\.)*)\)/g)) strings.push(match[1]!);
  return { strings, dump };
}

/** The boxes the copy covers, by page. */
function coveredOf(review: PageReview[]): Map<number, PageBox[]> {
  return new Map(review.map((page) => [page.page, page.boxes.filter((box) => box.covered)]));
}

/** The pixels of an image file (pdfimages/pdftoppm output) as grey. */
async function greyPixels(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The brightest pixel inside `box` (fractions), one pixel in from its edges. */
function brightestIn(image: { data: Buffer; width: number; height: number }, box: PageBox): number {
  const x0 = Math.ceil(box.x0 * image.width) + 1;
  const x1 = Math.floor(box.x1 * image.width) - 1;
  const y0 = Math.ceil(box.y0 * image.height) + 1;
  const y1 = Math.floor(box.y1 * image.height) - 1;
  let max = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) max = Math.max(max, image.data[y * image.width + x]!);
  return max;
}

describe.each(['bilevel-g4.tif', 'grey.jpg', 'colour.jpg', 'turned.png', 'crooked.png', 'scanner.pdf', 'born-digital.pdf'])('a redacted copy of %s', (name) => {
  it('proposes a box over the CPF, the e-mail address and the telephone, and burns them all in', () => {
    const { review, result } = copies[name]!;
    const kinds = review.flatMap((page) => page.boxes.map((box) => box.kind)).sort();
    expect(kinds).toEqual(['cpf', 'email', 'phone']);
    expect(result.boxes).toBe(3);
    expect(result.byKind).toEqual({ cpf: 1, email: 1, phone: 1 });
    expect(result.burnedPages).toBe(1);
  });

  it.skipIf(!HAS_PDFTOTEXT)('gives no digit of the numbers and no part of the e-mail in its text, and keeps the rest searchable', () => {
    const text = pdftotext(copies[name]!.file);
    expect(textLeaks(text)).toEqual([]);
    expect(text).toMatch(/PREFEITURA/);
    expect(text).toMatch(/Requerente/);
    expect(text).toMatch(/Certifico/);
    expect(text).toMatch(/CPF/);
    // The original did hold them: the test can fail.
    expect(textLeaks(pdftotext(originals[name]!.pdf)).length).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_POPPLER)('holds one image per page, black under every box: no original image is left in the file', async () => {
    const dir = path.join(work, `images-${name}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('pdfimages', ['-png', copies[name]!.file, path.join(dir, 'img')]);
    const images = readdirSync(dir).sort();
    expect(images).toHaveLength(1);
    const image = await greyPixels(path.join(dir, images[0]!));
    for (const box of coveredOf(copies[name]!.review).get(1)!) expect(brightestIn(image, box)).toBeLessThanOrEqual(8);
  });

  it.skipIf(!HAS_QPDF)('has no hidden number in any object: strings decoded, streams uncompressed, metadata included', () => {
    const { strings, dump } = objectStrings(copies[name]!.file);
    expect(strings.flatMap(textLeaks)).toEqual([]);
    expect(dump).not.toMatch(/pereira@|correio\.com/i);
    expect(execFileSync('qpdf', ['--check', copies[name]!.file]).toString()).toMatch(/No syntax or stream encoding errors/);
    // The same search finds them in the original: the test can fail.
    const original = objectStrings(originals[name]!.pdf);
    expect([...original.strings.flatMap(textLeaks), ...textLeaks(original.dump)].length).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_POPPLER)('renders black where the boxes are, and over the ink of the hidden words', async () => {
    const prefix = path.join(work, `render-${name}`);
    execFileSync('pdftoppm', ['-r', '100', '-gray', '-png', '-singlefile', copies[name]!.file, prefix]);
    const render = await greyPixels(`${prefix}.png`);
    for (const box of coveredOf(copies[name]!.review).get(1)!) expect(brightestIn(render, box)).toBeLessThanOrEqual(8);
    const ink = samples[name]!.ink;
    if (!ink) return;
    for (const word of ink.filter((w) => ['390.533.447-05', EMAIL, '3344-5566'].includes(w.text))) {
      const box = { x0: word.x0 / PAGE.width, y0: word.y0 / PAGE.height, x1: word.x1 / PAGE.width, y1: word.y1 / PAGE.height };
      expect(brightestIn(render, box), word.text).toBeLessThanOrEqual(8);
    }
  });

  it('says what it is, of which document, made when and by whom; PDF/A stays PDF/A; the original is unchanged', async () => {
    const { file, result } = copies[name]!;
    const bytes = readFileSync(file);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toMatch(/\(cópia tarjada\)$/);
    expect(doc.getSubject()).toContain(`documento ${ids[name]}`);
    expect(doc.getSubject()).toContain('ana.arquivista');
    expect(bytes.toString('latin1')).toContain('<acervo:redactedBy>ana.arquivista</acervo:redactedBy>');
    expect(bytes.toString('latin1').match(/%%EOF/g)).toHaveLength(1);
    if (samples[name]!.pdfa) {
      expect(result.conformance).toBe('PDF/A-2B');
      expect((await checkPdfa(file, 2)).problems).toEqual([]);
    } else expect(result.conformance).toBeNull();
    expect(sha256(originals[name]!.pdf)).toBe(originals[name]!.sha);
  });
});

describe('the archivist\'s review decides the copy', () => {
  it.skipIf(!HAS_PDFTOTEXT || !HAS_POPPLER)('a removed box leaves its text; a drawn box covers a word that holds no number', async () => {
    const name = 'grey.jpg';
    const id = ids[name]!;
    const email = copies[name]!.review[0]!.boxes.find((box) => box.kind === 'email')!;
    const prefeitura = samples[name]!.ink!.find((word) => word.text === 'PREFEITURA')!;
    const drawn = { x0: prefeitura.x0 / PAGE.width - 0.005, y0: prefeitura.y0 / PAGE.height - 0.003, x1: prefeitura.x1 / PAGE.width + 0.005, y1: prefeitura.y1 / PAGE.height + 0.003 };
    const catalog = Catalog.open(path.join(library, 'catalog.sqlite'));
    try {
      catalog.redactionMarks().add(id, { page: 1, action: 'dismiss', box: email, label: null, madeBy: 'ana' });
      catalog.redactionMarks().add(id, { page: 1, action: 'add', box: drawn, label: 'brasão', madeBy: 'ana' });
    } finally {
      catalog.close();
    }
    const file = path.join(work, 'reviewed.pdf');
    const made = await runCli(['redact', String(id), '--library', library, '-o', file, '--json'], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(parseJsonOutput(made).byKind).toEqual({ cpf: 1, phone: 1, drawn: 1 });
    const text = pdftotext(file);
    expect(text).toContain(EMAIL);
    expect(text).not.toMatch(/PREFEITURA/);
    expect(digitLeaks(text)).toEqual([]);
    const prefix = path.join(work, 'reviewed');
    execFileSync('pdftoppm', ['-r', '100', '-gray', '-png', '-singlefile', file, prefix]);
    expect(brightestIn(await greyPixels(`${prefix}.png`), drawn)).toBeLessThanOrEqual(8);
  });
});

describe('acervo redact refuses what would lose or change an original', () => {
  it('never writes over the original or into the library, nor over a file without --force', async () => {
    const id = String(ids['grey.jpg']);
    const over = await runCli(['redact', id, '--library', library, '-o', originals['grey.jpg']!.pdf], { env });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/^acervo: error OUTPUT_REFUSED: .*original/m);
    const inside = await runCli(['redact', id, '--library', library, '-o', path.join(library, 'copy.pdf')], { env });
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/OUTPUT_REFUSED: .*library/);
    const existing = path.join(work, 'existing.pdf');
    writeFileSync(existing, 'keep me');
    const refused = await runCli(['redact', id, '--library', library, '-o', existing], { env });
    expect(refused.code).toBe(1);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(sha256(originals['grey.jpg']!.pdf)).toBe(originals['grey.jpg']!.sha);
  });

  it('answers an unknown document and a broken PDF with one coded line', async () => {
    const unknown = await runCli(['redact', '999999', '--library', library, '-o', path.join(work, 'x.pdf')], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^acervo: error DOCUMENT_NOT_FOUND: [^\n]+$/);
    const broken = path.join(work, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.7\n1 0 obj <<');
    const damaged = await runCli(['redact', broken, '-o', path.join(work, 'y.pdf')], { env });
    expect(damaged.code).toBe(2);
    expect(damaged.stderr.trim()).toMatch(/^acervo: error PDF_CORRUPT: [^\n]+$/);
  });

  it('records every copy of a library document in the access log', async () => {
    const log = await runCli(['access-log', '--library', library, '--action', 'cli.redact', '--json'], { env });
    expect(log.code, log.stderr).toBe(0);
    const entries = parseJsonOutput(log) as Array<{ user: string; documentId: number; detail: { boxes: number } }>;
    expect(entries.filter((entry) => entry.user === 'ana.arquivista').map((entry) => entry.documentId).sort()).toEqual(Object.values(ids).sort());
  });
});
