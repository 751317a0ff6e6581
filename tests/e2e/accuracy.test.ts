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
  // Measured through `acervo ingest` (automatic page segmentation, signature noise lines dropped).
  'Administracao/1984/oficio-copia-carbono.png': 0.025, // typewriter carbon copy: faint violet, blurred, ghosted (1.72%)
  'Camara/1993/ata-sessao-14.png': 0.01, // the sheet 3° crooked on the glass (0.10%)
  'Educacao/1998/edital-05.tif': 0.01, // the sheet 7° crooked, greyscale LZW TIFF (0%)
  // Typewriter, bilevel G4, specks (0.55%); poppler splits page 3's running header "fl. 3" (3.4%).
  'Gabinete/1990/decreto-345.tif': 0.025,
  'Gabinete/2003/lei-1234-texto.pdf': 0.005, // its own text layer, kept (0%)
  'Municipalidad/1978/resolucion-27.png': 0.015, // Spanish typed (0.80%)
  'Municipalidad/1992/ordenanza-45.jpg': 0.025, // Spanish, fed sideways, 200 DPI JPEG (1.47%: º read as 2, Ñ as N)
  'Obras/1979/requerimento-manchado.jpg': 0.02, // stained, foxed, water tide line, 200 DPI colour JPEG (0.72%)
  'Obras/1987/alvara-construcao-412.png': 0.01, // Portuguese typed (0.22%)
  'Pessoal/1991/certidao-tempo-servico-88.png': 0.02, // fed upside down (1.17%: the signature read as "DOSSIERS")
  'Protocolo/1995/memorando-88.jpg': 0.01, // 150 DPI colour JPEG (0.10%)
  'Saude/2001/certidao-negativa.pdf': 0.02, // image-only PDF (0.99%, the signature read as "PITY TN,")
  'Tesouraria/1982/recibo-1503.tif': 0.015, // JPEG-in-TIFF colour form (0.27%)
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

  // A signature's scribble reads as a line of words Tesseract is 0–4% sure of ("PITT)", "DIYS,"):
  // left out, the signer's typed name follows the line above the signature.
  for (const [sample, above, name] of [
    ['Protocolo/1995/memorando-88.jpg', 'Atenciosamente,', 'Márcia Regina Teixeira'],
    ['Tesouraria/1982/recibo-1503.tif', 'São João do Ipê, 5 de novembro de 1982.', 'Walter Nogueira Pires'],
  ] as const) {
    it(`${sample}: the signature leaves no noise line in the text`, () => {
      const { documents, pages } = readCatalog(library);
      const doc = documents.find((d) => d.relative_path === sample)!;
      const lines = pages.filter((p) => p.document_id === doc.id).flatMap((p) => p.text.split('\n')).filter((l) => l.trim());
      expect(lines[lines.indexOf(above) + 1]).toBe(name);
    });
  }
});
