/**
 * A black pen across the typed lines (core/pipeline/clean/handwriting.ts), beyond the one
 * solicitud of the hard pages that carries it: the hard pages' heavy stamps, with a note written
 * across four lines and initials below in the type's own black, drawn over four texts of the hard
 * pages, and each page drawn again without its pen (the generator's `penInk`). Acervo (the built
 * CLI, `acervo ingest`) reads both; the page without the pen is what taking the pen out perfectly
 * would give. Part of `npm run bench -- --hard-pages-only`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderHardPage } from '../samples/hard/render-page.js';
import { BLEED_STAMPS_STAINS } from '../samples/hard/texts/bleed-stamps-stains.js';
import { CARBON_MIMEOGRAPH_SPECKLE } from '../samples/hard/texts/carbon-mimeograph-speckle.js';
import { DOTMATRIX_PHOTOCOPY_PHONE } from '../samples/hard/texts/dotmatrix-photocopy-phone.js';
import type { HardPageOptions } from '../samples/hard/types.js';
import { characterErrorRate, mean, percent } from './cer.js';
import { runAcervoCli } from './peers.js';
import { printTable } from './table.js';

/** The texts, by class and name; the solicitud as the hard pages draw it, the others seeded by class and name. */
const TEXTS: [string, string][] = [
  ['stamps', '03-solicitud-permiso'],
  ['speckle', '01-decreto-feriado'],
  ['stamps', '01-requerimento-alvara'],
  ['phone-photo', '01-portaria-sindicancia'],
];
const BLACK_PEN: [number, number, number] = [30, 30, 36];

export async function benchPenPages(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-pen-pages-'));
  try {
    console.log('A black pen across the typed lines: the hard pages\' heavy stamps and note over four texts, each read with its pen and without it');
    const samples = [...BLEED_STAMPS_STAINS, ...CARBON_MIMEOGRAPH_SPECKLE, ...DOTMATRIX_PHOTOCOPY_PHONE];
    const pages: { name: string; truth: string; withPen: string; withoutPen: string }[] = [];
    for (const [klass, name] of TEXTS) {
      const sample = samples.find((s) => s.klass === klass && s.name === name)!;
      const seed = klass === 'stamps' && sample.severity === 'heavy' ? name : `${klass}-${name}`;
      const options: HardPageOptions = { face: sample.face, sizePt: sample.sizePt, leading: sample.leading, severity: 'heavy', stampTexts: sample.stampTexts };
      const files: string[] = [];
      let truth = '';
      for (const [folder, penInk] of [['pen', BLACK_PEN], ['no-pen', 'none']] as const) {
        const drawn = await renderHardPage(sample.text, 'stamps', seed, { ...options, penInk });
        const file = path.join(work, 'pages', folder, `${klass}-${name}.${drawn.ext}`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, drawn.image);
        files.push(file);
        truth = drawn.lines.join('\n') + '\n';
      }
      pages.push({ name: `${klass}-${name}`, truth, withPen: files[0]!, withoutPen: files[1]! });
    }
    const started = performance.now();
    const texts = runAcervoCli(path.join(work, 'pages'), path.join(work, 'library'), pages.flatMap((p) => [p.withPen, p.withoutPen]));
    const seconds = (performance.now() - started) / 1000;
    const rate = (p: { truth: string }, file: string) => characterErrorRate(p.truth, texts.get(file) ?? '');
    const rows = pages.map((p) => [p.name, percent(rate(p, p.withPen)), percent(rate(p, p.withoutPen))]);
    rows.push(['mean', percent(mean(pages.map((p) => rate(p, p.withPen)))), percent(mean(pages.map((p) => rate(p, p.withoutPen))))]);
    printTable(['text', 'Acervo, with the pen', 'Acervo, the same page without it'], rows);
    console.log(`  wall time: Acervo ${seconds.toFixed(0)} s for the ${pages.length * 2} pages.`);
    console.log('  Reproduce: npm run bench -- --hard-pages-only\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
