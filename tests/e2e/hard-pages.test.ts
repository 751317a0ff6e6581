/**
 * The hard pages (samples/hard-pages: faded carbons, mimeographs, specks, show-through, stamps,
 * stains, dot matrix, photocopies of photocopies, phone photos) read through `acervo ingest`:
 * each page within its character error bar, and what the clean stage did to it recorded in the
 * JSON output and the catalog. The bars sit above what the pipeline measured (in the comment)
 * with a margin for engine noise, and far below what the page reads without its repairs (the
 * Tesseract CLI's figure, from `npm run bench -- --hard-pages-only`).
 *
 * One page of each class is read here, and a second speckled, carbon, photocopied and stamped one (a page
 * takes 5–15 s of OCR on CI's two cores); the bench reads all of them against both peers. Every
 * page keeps its bar so that the page tested can change.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { characterErrorRate } from '../helpers/cer.js';
import { parseJsonOutput, runCli, type CliResult } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const HARD = path.join(REPO_ROOT, 'samples', 'hard-pages');

interface ManifestSample {
  class: string;
  file: string;
  truth: string;
}

const manifest: { samples: ManifestSample[] } = JSON.parse(readFileSync(path.join(HARD, 'manifest.json'), 'utf8'));

/** The page of each class the suite reads: those whose repairs are checked, and one of each other class. */
const TESTED = new Set([
  'speckle/02-portaria-nomeacao.png',
  'speckle/01-decreto-feriado.png',
  'speckle/03-ata-comissao.png',
  'carbon/02-memorando-ferias.jpg',
  'carbon/03-oficio-desapropriacao.jpg',
  'phone-photo/01-portaria-sindicancia.jpg',
  'dot-matrix/03-liquidacion-tasas.png',
  'mimeograph/03-circular-escuelas.jpg',
  'bleed-through/02-requerimento-licenca.png',
  'stains/03-edital-leilao.jpg',
  'photocopy/01-parecer-juridico.png',
  'photocopy/03-decreto-emergencia.png',
  'stamps/02-oficio-camara.jpg',
  'stamps/03-solicitud-permiso.jpg',
]);

/** Highest character error rate each page may show (measured through `acervo ingest`). */
const CER_BARS: Record<string, number> = {
  'bleed-through/01-lei-denominacao.png': 0.01, // 0.30%
  'bleed-through/02-requerimento-licenca.png': 0.01, // 0.00%: show-through as dark as faint type (6.01% before its lines of gibberish were left out, 2.04% before the gibberish parts of lines)
  'bleed-through/03-resolucion-tasas.png': 0.02, // 0.91%
  'carbon/01-oficio-iluminacao.jpg': 0.025, // 0.90%: its ink evened and joined, words from other readings (1.50% as it came, 3.00% from its ink channel)
  'carbon/02-memorando-ferias.jpg': 0.015, // 0.96%: read as it came (2.04% despeckled and stretched, at 91.2)
  'carbon/03-oficio-desapropriacao.jpg': 0.025, // 1.64%: the faded carbon under heavy speckle, its specks taken out without a median and its strokes joined (2.77% joined with its specks; 3.28% before words were taken from its other readings)
  'dot-matrix/01-aviso-iptu.png': 0.02, // 1.26%
  'dot-matrix/02-nota-empenho.jpg': 0.025, // 1.81%: green-bar paper
  'dot-matrix/03-liquidacion-tasas.png': 0.025, // 1.61%: a worn ribbon and a dead pin (18.05% before its sprocket holes were painted over: read as "C C CC OC"; 7.36% before its light dots were evened; 5.17% before its total's leader, read "oii tía a", was read as dots)
  'mimeograph/01-circular-vacinacao.jpg': 0.01, // 0.42%
  'mimeograph/02-convocacao-reuniao.png': 0.013, // 0.79%
  'mimeograph/03-circular-escuelas.jpg': 0.01, // 0.18%
  'phone-photo/01-portaria-sindicancia.jpg': 0.01, // 0.11%
  'phone-photo/02-acta-concejo.jpg': 0.01, // 0.29%
  'phone-photo/03-oficio-transporte.jpg': 0.02, // 0.40%
  'photocopy/01-parecer-juridico.png': 0.025, // 1.58%
  'photocopy/02-contrato-locacao.png': 0.02, // 1.28% (2.06% flattened, the surer reading by a point: a poor reading is not flattened)
  'photocopy/03-decreto-emergencia.png': 0.03, // 1.85%: its strokes joined, then despeckled (3.70% joined on its flattened page)
  'speckle/01-decreto-feriado.png': 0.02, // 1.14%: read with heavy noise removal, "narra" and "whens" taken from its other readings ("compensadas", "urbana"; 2.62% before; 4.10% without heavy noise removal)
  'speckle/02-portaria-nomeacao.png': 0.012, // 0.58%: read with heavy noise removal (0.92% without)
  'speckle/03-ata-comissao.png': 0.025, // 1.55%: what is fainter than the type dropped (8.03% before: specks as large as full stops, touching the letters)
  'stains/01-certidao-numeracao.jpg': 0.012, // 0.68%
  'stains/02-ata-conselho-saude.jpg': 0.016, // 0.84%
  'stains/03-edital-leilao.jpg': 0.02, // 1.26%: its blotched paper flattened for a second reading (2.20% as it was, at 91.6)
  // Stamp texts and handwriting are not in the truth: what is read of them counts as errors
  // (before stamps and pen were taken out by their colour: 20.9%, 13.9%, 26.4%).
  'stamps/01-requerimento-alvara.jpg': 0.01, // 0.38%: the stamps and blue pen taken out by their colour
  'stamps/02-oficio-camara.jpg': 0.013, // 0.63%
  'stamps/03-solicitud-permiso.jpg': 0.025, // 1.85%: its black pen across the lines taken out by what the page's own letters do not explain (6.27% with its stamps out only)
};

/** Steps the clean stage must have chosen for these pages, from what they show. */
const EXPECTED_CLEANING: Record<string, string[]> = {
  'speckle/02-portaria-nomeacao.png': ['despeckle', 'heavy-noise-removal'],
  'speckle/01-decreto-feriado.png': ['heavy-noise-removal', 'second-reading', 'words-from-other-readings'],
  'phone-photo/01-portaria-sindicancia.jpg': ['flatten-background'],
  'dot-matrix/03-liquidacion-tasas.png': ['paper-holes', 'even-ink', 'stroke-repair', 'second-reading'],
  'stamps/02-oficio-camara.jpg': ['colour-dropout', 'second-reading'],
  'stains/03-edital-leilao.jpg': ['flatten-background', 'second-reading'],
  'carbon/03-oficio-desapropriacao.jpg': ['remove-specks', 'contrast', 'stroke-repair', 'second-reading'],
  'photocopy/03-decreto-emergencia.png': ['stroke-repair', 'despeckle', 'second-reading'],
  'speckle/03-ata-comissao.png': ['drop-faint-marks', 'remove-specks', 'heavy-noise-removal', 'second-reading'],
  'stamps/03-solicitud-permiso.jpg': ['colour-dropout', 'drop-handwriting', 'second-reading'],
};
/** A page that reads well as it comes gets no repair. */
const UNREPAIRED = 'mimeograph/03-circular-escuelas.jpg';
/** A faint page whose repaired reading (despeckled, stretched) was only fairly sure, read surer as it came. */
const READ_AS_IT_CAME = 'carbon/02-memorando-ferias.jpg';

const relative = (sample: ManifestSample) => sample.file.replace(/^scans\//, '');
const tested = manifest.samples.filter((sample) => TESTED.has(relative(sample)));

let work: string;
let library: string;
let run: CliResult;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'acervo-hard-'));
  library = path.join(work, 'library');
  // The tested pages in their class folders, as the samples lay them out.
  for (const sample of tested) {
    const copy = path.join(work, 'scans', relative(sample));
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(path.join(HARD, sample.file), copy);
  }
  run = await runCli(['ingest', path.join(work, 'scans'), '--library', library, '--json']);
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function pageText(sample: ManifestSample): string {
  const { documents, pages } = readCatalog(library);
  const doc = documents.find((d) => d.relative_path === relative(sample))!;
  return pages.filter((p) => p.document_id === doc.id).map((p) => p.text).join('\n');
}

describe('hard pages', () => {
  it('every page is read: exit 0, one indexed document per page, a bar for each sample, a page of each class', () => {
    expect(run.code).toBe(0);
    const output = parseJsonOutput(run);
    expect(output.totals).toMatchObject({ documents: tested.length, indexed: tested.length, failed: 0 });
    expect(Object.keys(CER_BARS).sort()).toEqual(manifest.samples.map(relative).sort());
    expect(new Set(tested.map((s) => s.class))).toEqual(new Set(manifest.samples.map((s) => s.class)));
  });

  for (const sample of tested) {
    it(`${relative(sample)}: text within its CER bar`, () => {
      const truth = readFileSync(path.join(HARD, sample.truth), 'utf8');
      expect(characterErrorRate(truth, pageText(sample))).toBeLessThanOrEqual(CER_BARS[relative(sample)]!);
    });
  }

  it('records per page what the clean stage did, in the JSON output and the catalog', () => {
    const output = parseJsonOutput(run);
    const db = readCatalog(library);
    for (const [file, steps] of Object.entries(EXPECTED_CLEANING)) {
      const document = output.documents.find((d: { source: string }) => d.source.endsWith(file));
      const cleaning: string[] = document.pageCorrections[0].cleaning;
      for (const step of steps) expect(cleaning, file).toContain(step);
      const row = db.documents.find((d) => d.relative_path === file)!;
      const page = db.pages.find((p) => p.document_id === row.id)!;
      expect(page.cleaning?.split(','), file).toEqual(cleaning);
    }
    const plain = output.documents.find((d: { source: string }) => d.source.endsWith(UNREPAIRED));
    expect(plain.pageCorrections[0].cleaning).toEqual([]);
    const asItCame = output.documents.find((d: { source: string }) => d.source.endsWith(READ_AS_IT_CAME));
    expect(asItCame.pageCorrections[0].cleaning).toEqual(['second-reading']);
  });
});
