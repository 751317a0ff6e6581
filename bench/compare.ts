/**
 * `npm run bench -- --compare`: the clean stage against its peers on the same pages. Sample
 * pages are turned (90°, 180°, 270°) and skewed (3°, −7°), and the samples scanned the wrong way
 * are taken as they are; each case goes through Acervo (the
 * built CLI), and, when installed, the Tesseract CLI and OCRmyPDF with `--rotate-pages --deskew`
 * (Debian: tesseract-ocr tesseract-ocr-por tesseract-ocr-spa ocrmypdf). Prints the character
 * error rate of each against the sample's ground truth, and each tool's wall time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { characterErrorRate, percent } from './cer.js';
import { type PageTexts, runAcervoCli, runOcrmypdf, runTesseractCli } from './peers.js';
import { printTable } from './table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = path.join(ROOT, 'samples', 'scans');
const TRUTH = path.join(ROOT, 'samples', 'ground-truth');
const WHITE = { r: 255, g: 255, b: 255 };

const TURNS = [0, 90, 180, 270, 3, -7];
/** Straight samples are turned and skewed; the ones scanned the wrong way are taken as they are. */
const SOURCES = [
  { name: 'alvara', file: 'Obras/1987/alvara-construcao-412.png', dpi: 300, bilevel: false, turns: TURNS },
  { name: 'memorando', file: 'Protocolo/1995/memorando-88.jpg', dpi: 150, bilevel: false, turns: TURNS },
  { name: 'decreto', file: 'Gabinete/1990/decreto-345.tif', dpi: 300, bilevel: true, turns: TURNS },
  { name: 'carbono', file: 'Administracao/1984/oficio-copia-carbono.png', dpi: 300, bilevel: false, turns: TURNS },
  { name: 'manchado', file: 'Obras/1979/requerimento-manchado.jpg', dpi: 200, bilevel: false, turns: TURNS },
  { name: 'tempo-servico-as-scanned', file: 'Pessoal/1991/certidao-tempo-servico-88.png', dpi: 300, bilevel: false, turns: [0] },
  { name: 'ordenanza-as-scanned', file: 'Municipalidad/1992/ordenanza-45.jpg', dpi: 200, bilevel: false, turns: [0] },
  { name: 'ata-as-scanned', file: 'Camara/1993/ata-sessao-14.png', dpi: 300, bilevel: false, turns: [0] },
  { name: 'edital-as-scanned', file: 'Educacao/1998/edital-05.tif', dpi: 300, bilevel: false, turns: [0] },
];

interface Case {
  file: string;
  truth: string;
}

export async function benchCompare(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-compare-'));
  try {
    const cases = await makeCases(path.join(work, 'cases'));
    const files = cases.map((c) => c.file);
    const tools: Array<{ name: string; run: () => Promise<PageTexts | null> }> = [
      { name: 'Acervo', run: async () => runAcervoCli(path.dirname(files[0]!), path.join(work, 'library'), files) },
      { name: 'Tesseract CLI', run: () => runTesseractCli(files) },
      { name: 'OCRmyPDF', run: () => runOcrmypdf(files, path.join(work, 'ocrmypdf')) },
    ];
    const results: Array<{ name: string; texts: PageTexts | null; seconds: number }> = [];
    for (const tool of tools) {
      const started = performance.now();
      const texts = await tool.run();
      results.push({ name: tool.name, texts, seconds: (performance.now() - started) / 1000 });
    }
    console.log(`\nCharacter error rate per page (${cases.length} pages: samples turned and skewed; lower is better)`);
    const header = ['page', ...results.map((r) => r.name)];
    const rows = cases.map((c) => [path.basename(c.file), ...results.map((r) => cer(r.texts, c))]);
    const rates = results.map((r) => (r.texts ? cases.map((c) => rate(r.texts!, c)) : null));
    rows.push(['mean', ...rates.map((list) => (list ? percent(list.reduce((a, b) => a + b, 0) / list.length) : '-'))]);
    rows.push(['pages above 1%', ...rates.map((list) => (list ? String(list.filter((x) => x > 0.01).length) : '-'))]);
    rows.push(['wall time', ...results.map((r) => (r.texts ? `${r.seconds.toFixed(0)} s` : '-'))]);
    printTable(header, rows);
    const [acervo, ...peers] = rates;
    const others = peers.filter((list): list is number[] => list !== null);
    if (acervo && others.length > 0) {
      const best = cases.filter((_, i) => others.every((list) => acervo[i]! <= list[i]!)).length;
      console.log(`  Acervo reads as well as or better than every installed peer on ${best} of ${cases.length} pages.`);
    }
    for (const r of results) if (!r.texts) console.log(`  ${r.name}: not installed, skipped.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function cer(texts: Map<string, string> | null, c: Case): string {
  if (!texts) return '-';
  return texts.has(c.file) ? percent(rate(texts, c)) : 'failed';
}

/** A page a tool failed on counts as all wrong. */
function rate(texts: Map<string, string>, c: Case): number {
  const text = texts.get(c.file);
  return text === undefined ? 1 : characterErrorRate(c.truth, text);
}

async function makeCases(folder: string): Promise<Case[]> {
  mkdirSync(folder, { recursive: true });
  const cases: Case[] = [];
  for (const source of SOURCES) {
    const truth = readFileSync(path.join(TRUTH, source.file.replace(/\.[^.]+$/, '.txt')), 'utf8').split('\n\f\n')[0]!;
    for (const turn of source.turns) {
      let image = sharp(path.join(SAMPLES, source.file), { page: 0 }).rotate(turn, { background: WHITE });
      const ext = source.bilevel ? 'tif' : 'png';
      const file = path.join(folder, `${source.name}${source.turns.length > 1 ? `-${turn < 0 ? 'minus' : ''}${Math.abs(turn)}` : ''}.${ext}`);
      if (source.bilevel) {
        const turned = await image.threshold(128).toBuffer();
        image = sharp(turned).toColourspace('b-w');
        await image.tiff({ compression: 'ccittfax4', bitdepth: 1, xres: source.dpi / 25.4, yres: source.dpi / 25.4, resolutionUnit: 'inch' }).toFile(file);
      } else {
        await image.withMetadata({ density: source.dpi }).png().toFile(file);
      }
      cases.push({ file, truth });
    }
  }
  return cases;
}
