/**
 * Staff's corrections (issue 25) at the next write of a document's PDF: the conversion writes the
 * corrected title, type, date, collection, box, notes and identifiers into the PDF's metadata, and
 * still returns the machine's reading for the catalog to keep beside them.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { convert, jobFor, scriptedPages, useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

const info = async (file: string) => {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const dict = pdf.context.lookup(pdf.context.trailerInfo.Info) as { get(name: PDFName): unknown };
  const read = (key: string) => (dict.get(PDFName.of(key)) as PDFString | undefined)?.decodeText() ?? null;
  return { title: pdf.getTitle(), keywords: pdf.getKeywords(), type: read('AcervoDocumentType'), date: read('AcervoDocumentDate'), identifiers: read('AcervoIdentifiers'), notes: read('AcervoNotes') };
};

describe('a PDF written after staff corrected its document', () => {
  it('holds the corrected metadata, and the conversion still reports what the machine read', async () => {
    const batch = await writeBatch(['text']);
    const engine = scriptedPages({ 1: 'ALVARÁ DE CONSTRUÇÃO Nº 412/1987 Processo nº 1.873/87 Em 2 de março de 1987' });
    const machine = await convert(engine, jobFor(batch));
    const read = machine.documents[0]!.metadata;
    expect(read.documentType).toBe('alvara');

    const job = {
      ...jobFor(batch),
      corrected: { 1: { title: 'Alvará de construção nº 412', documentType: 'certidao', date: '1988-04-05', year: 1988, box: 'Caixa 7', notes: 'Conferido', identifiers: ['processo 1874/1987'] } },
    };
    const result = await convert(scriptedPages({ 1: 'ALVARÁ DE CONSTRUÇÃO Nº 412/1987 Processo nº 1.873/87 Em 2 de março de 1987' }), job);
    expect(result.documents[0]!.metadata).toMatchObject({ title: read.title, documentType: 'alvara', date: read.date, box: read.box, notes: read.notes });
    const written = await info(job.outputPath);
    expect(written).toMatchObject({ title: 'Alvará de construção nº 412', type: 'certidao', date: '1988-04-05', notes: 'Conferido' });
    expect(written.identifiers).toContain('processo 1874/1987');
    expect(written.identifiers).not.toContain('1873');
    expect(written.keywords).toMatch(/1988/);
    expect(written.keywords).toMatch(/box Caixa 7/);
  });
});
