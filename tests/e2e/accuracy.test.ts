/**
 * OCR accuracy on the samples against their ground truth, in the catalog and in the PDF's text
 * layer as poppler reads it. Each sample has its own bar, set above what the pipeline measured
 * (README of samples/) with a margin for engine noise, and well below what a broken stage gives.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { characterErrorRate } from '../helpers/cer.js';
import { HAS_PDFTOTEXT, pdftotext } from '../helpers/pdf-text.js';
import { listSamples } from '../helpers/samples.js';

/** Highest character error rate each sample may show. */
const CER_BARS: Record<string, number> = {
  // Measured with automatic page segmentation, which also reads signatures as a stray word or two.
  'Administracao/1984/oficio-copia-carbono.png': 0.03, // typewriter carbon copy: faint violet, blurred, ghosted (1.2%)
  'Gabinete/1990/decreto-345.tif': 0.03, // typewriter, bilevel G4, specks (measured 0.55%)
  'Gabinete/2003/lei-1234-texto.pdf': 0.005, // its own text layer, kept (0%)
  'Municipalidad/1978/resolucion-27.png': 0.025, // Spanish typed (0.8%)
  'Obras/1979/requerimento-manchado.jpg': 0.035, // stained, foxed, water tide line, 200 DPI colour JPEG (1.44%)
  'Obras/1987/alvara-construcao-412.png': 0.025, // Portuguese typed (0.8%)
  'Protocolo/1995/memorando-88.jpg': 0.025, // 150 DPI colour JPEG (1.05%, the signature read as "Arrelilas")
  'Saude/2001/certidao-negativa.pdf': 0.02, // image-only PDF (0.6%)
  'Tesouraria/1982/recibo-1503.tif': 0.035, // JPEG-in-TIFF colour form (1.9%, the signature read as "DISTO")
};

const library = inject('samplesLibrary');
const samples = listSamples();

describe('OCR accuracy on the samples', () => {
  it('has a bar for every sample', () => {
    expect(Object.keys(CER_BARS).sort()).toEqual(samples.map((s) => s.relativePath));
  });

  for (const sample of samples) {
    it(`${sample.relativePath}: catalog text within its CER bar`, () => {
      const { documents, pages } = readCatalog(library);
      const doc = documents.find((d) => d.relative_path === sample.relativePath)!;
      const text = pages.filter((p) => p.document_id === doc.id).map((p) => p.text).join('\n');
      expect(characterErrorRate(sample.pages.join('\n'), text)).toBeLessThanOrEqual(CER_BARS[sample.relativePath]!);
    });

    it.skipIf(!HAS_PDFTOTEXT)(`${sample.relativePath}: pdftotext reads the PDF's text layer in reading order, page by page`, () => {
      const pdf = path.join(library, 'documents', sample.relativePath.replace(/\.[^./]+$/, '.pdf'));
      sample.pages.forEach((truth, i) => {
        expect(characterErrorRate(truth, pdftotext(pdf, i + 1)), `page ${i + 1}`).toBeLessThanOrEqual(CER_BARS[sample.relativePath]! * 1.5);
      });
    });
  }
});
