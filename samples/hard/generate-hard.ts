/**
 * Generates the hard pages: samples/hard-pages/scans/<class>/<nn-name>.<png|jpg>, their ground truth
 * in samples/hard-pages/ground-truth/<class>/<nn-name>.txt and samples/hard-pages/manifest.json.
 *
 *   npm run samples:hard                                       # all (deletes and rewrites the folders)
 *   npm run build && node dist/samples/hard/generate-hard.js carbon 03-ata-comissao   # only some
 *
 * Deterministic: every sample draws from its own seeded PRNG (seeded by class and name), so the same
 * sharp/libvips and fonts write the same bytes. The ground truth is the line model that was drawn.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { renderHardPage } from './render-page.js';
import { BLEED_STAMPS_STAINS } from './texts/bleed-stamps-stains.js';
import { CARBON_MIMEOGRAPH_SPECKLE } from './texts/carbon-mimeograph-speckle.js';
import { DOTMATRIX_PHOTOCOPY_PHONE } from './texts/dotmatrix-photocopy-phone.js';
import type { HardSample } from './texts/markup.js';
import { HARD_CLASSES } from './types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OUT = path.join(ROOT, 'samples', 'hard-pages');
const SCANS = path.join(OUT, 'scans');
const TRUTH = path.join(OUT, 'ground-truth');
const BUDGET = 12 * 1024 * 1024;

const SAMPLES: HardSample[] = [...CARBON_MIMEOGRAPH_SPECKLE, ...BLEED_STAMPS_STAINS, ...DOTMATRIX_PHOTOCOPY_PHONE];

interface ManifestEntry {
  class: string;
  file: string;
  truth: string;
  language: string;
  dpi: number;
  width: number;
  height: number;
  format: string;
  channels: number;
  severity: string;
  face: string;
  sizePt: number;
  lines: number;
  bytes: number;
  exercises: string;
}

function checkSet(): void {
  for (const k of HARD_CLASSES) {
    const of = SAMPLES.filter((s) => s.klass === k);
    if (of.length !== 3) throw new Error(`${k}: ${of.length} samples, expected 3`);
    if (of.filter((s) => s.severity === 'heavy').length !== 1) throw new Error(`${k}: exactly one sample must be heavy`);
  }
  const names = new Set(SAMPLES.map((s) => `${s.klass}/${s.name}`));
  if (names.size !== SAMPLES.length) throw new Error('two samples share a name');
}

const problems: string[] = [];

async function make(s: HardSample): Promise<ManifestEntry> {
  const r = await renderHardPage(s.text, s.klass, s.name, {
    face: s.face,
    sizePt: s.sizePt,
    leading: s.leading,
    severity: s.severity,
    variant: s.variant,
    verso: s.verso,
    stampTexts: s.stampTexts,
  });
  if (r.sizePt < s.sizePt) problems.push(`${s.klass}/${s.name}: the text had to shrink from ${s.sizePt} to ${r.sizePt} pt to fit the page`);
  if (r.lines.length < 18 || r.lines.length > 30) problems.push(`${s.klass}/${s.name}: ${r.lines.length} text lines drawn, the set wants 18–30`);
  const file = `scans/${s.klass}/${s.name}.${r.ext}`;
  const truth = `ground-truth/${s.klass}/${s.name}.txt`;
  fs.mkdirSync(path.join(OUT, path.dirname(file)), { recursive: true });
  fs.mkdirSync(path.join(OUT, path.dirname(truth)), { recursive: true });
  fs.writeFileSync(path.join(OUT, file), r.image);
  fs.writeFileSync(path.join(OUT, truth), r.lines.join('\n') + '\n', 'utf8');
  const m = await sharp(path.join(OUT, file)).metadata();
  const format = r.ext === 'png' ? 'png' : 'jpeg';
  if (m.format !== format || m.density !== r.dpi || m.channels !== r.channels || m.width !== r.width || m.height !== r.height) {
    throw new Error(`${file}: wrote ${m.format} ${m.width}×${m.height}×${m.channels} at ${m.density} DPI, meant ${format} ${r.width}×${r.height}×${r.channels} at ${r.dpi}`);
  }
  return {
    class: s.klass,
    file,
    truth,
    language: s.language,
    dpi: r.dpi,
    width: r.width,
    height: r.height,
    format: `${format}, ${r.channels === 1 ? 'greyscale' : 'colour'}${r.ext === 'jpg' ? ', quality 85' : ''}`,
    channels: r.channels,
    severity: s.severity,
    face: s.klass === 'dot-matrix' ? '9-pin dot matrix, draft, 10 cpi' : s.face,
    sizePt: r.sizePt,
    lines: r.lines.length,
    bytes: r.image.length,
    exercises: s.exercises,
  };
}

async function main(): Promise<void> {
  checkSet();
  const only = process.argv.slice(2);
  for (const o of only) if (!SAMPLES.some((s) => s.klass === o || s.name === o)) throw new Error(`unknown class or sample "${o}"`);
  sharp.concurrency(2);
  const manifestFile = path.join(OUT, 'manifest.json');
  let entries: ManifestEntry[] = [];
  if (only.length === 0) {
    fs.rmSync(SCANS, { recursive: true, force: true });
    fs.rmSync(TRUTH, { recursive: true, force: true });
  } else if (fs.existsSync(manifestFile)) {
    entries = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { samples: ManifestEntry[] }).samples;
  }
  for (const s of SAMPLES) {
    if (only.length > 0 && !only.includes(s.klass) && !only.includes(s.name)) continue;
    const e = await make(s);
    entries = [...entries.filter((x) => x.file.replace(/\.[^.]+$/, '') !== e.file.replace(/\.[^.]+$/, '')), e];
    process.stdout.write(`${e.file.padEnd(52)} ${(e.bytes / 1024).toFixed(0).padStart(5)} KB  ${e.width}×${e.height} ${e.dpi} DPI, ${e.lines} lines, ${e.severity}\n`);
  }
  const order = (e: ManifestEntry): number => SAMPLES.findIndex((s) => `scans/${s.klass}/${s.name}` === e.file.replace(/\.[^.]+$/, ''));
  entries.sort((a, b) => order(a) - order(b));
  const manifest = {
    description: 'Hard pages: generated scans of hard page classes with known text. See README.md.',
    generator: 'samples/hard/generate-hard.ts (npm run samples:hard)',
    truth: 'One line per drawn text line, top to bottom, single spaces, no blank lines, ending with a newline. Only the typed text: stamps, handwriting, the back of the sheet, sprocket strips and dirt are noise.',
    samples: entries,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  if (problems.length > 0) throw new Error(problems.join('\n'));
  let total = 0;
  for (const f of listFiles(OUT)) total += fs.statSync(f).size;
  process.stdout.write(`${'samples/hard-pages (everything)'.padEnd(52)} ${(total / 1024).toFixed(0).padStart(5)} KB\n`);
  if (total > BUDGET) throw new Error(`samples/hard-pages is ${(total / 1024 / 1024).toFixed(1)} MB, over the ${BUDGET / 1024 / 1024} MB budget`);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

main().catch((err: unknown) => {
  process.stderr.write(`samples/hard: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
