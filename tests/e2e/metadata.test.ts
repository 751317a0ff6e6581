/**
 * What is read of a record, end to end through `acervo ingest`: the folder template and a box
 * inventory (manual values win), the text's type, dates and identifiers — in --json, the catalog,
 * the PDF's Info and XMP, and the search index (filters and sorting by date).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCli, type CliResult } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';
import { readPdf } from '../helpers/pdf-text.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-metadata-'));
const scans = path.join(work, 'scans');
const library = path.join(work, 'library');
let run: CliResult;

beforeAll(async () => {
  mkdirSync(path.join(scans, 'Obras', '1987', 'Caixa 12'), { recursive: true });
  cpSync(path.join(SAMPLES_DIR, 'Obras', '1987', 'alvara-construcao-412.png'), path.join(scans, 'Obras', '1987', 'Caixa 12', 'alvara-412.png'));
  mkdirSync(path.join(scans, 'Gabinete', '1990', 'Caixa 3'), { recursive: true });
  cpSync(path.join(SAMPLES_DIR, 'Gabinete', '1990', 'decreto-345.tif'), path.join(scans, 'Gabinete', '1990', 'Caixa 3', 'decreto-345.tif'));
  // As archive staff keep it in Excel: semicolons, Portuguese column names, Brazilian dates.
  writeFileSync(
    path.join(work, 'caixas.csv'),
    '\uFEFFCaminho;Título;Coleção;Série;Observações\r\n' +
      'Obras/1987/Caixa 12;;Secretaria de Obras;Licenças de construção;Caixa recebida da Secretaria de Obras em 1995\r\n' +
      'Obras/1987/Caixa 12/alvara-412.png;Alvará de construção 412/1987 – Rua Conceição Aparecida, 215;;;\r\n',
  );
  writeFileSync(path.join(work, 'acervo.yaml'), JSON.stringify({ library, metadata: { pathTemplate: '{collection}/{year}/Caixa {box}', inventories: ['caixas.csv'] } }));
  run = await runCli(['ingest', scans, '--json'], { cwd: work });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const documentOf = (name: string) => parseJsonOutput(run).documents.find((d: { source: string }) => d.source.endsWith(name));

describe('metadata through ingest', () => {
  it('merges the box inventory over the folder template and the text, in --json', () => {
    expect(run.code, run.stderr).toBe(0);
    const alvara = documentOf('alvara-412.png').metadata;
    expect(alvara).toMatchObject({
      title: 'Alvará de construção 412/1987 – Rua Conceição Aparecida, 215',
      collection: 'Secretaria de Obras',
      series: 'Licenças de construção',
      year: 1987,
      box: '12',
      notes: 'Caixa recebida da Secretaria de Obras em 1995',
      documentType: 'alvara',
      date: '1987-03-12',
      language: 'pt',
      personalData: false,
      taxNumbers: 0,
    });
    expect(alvara.identifiers.map((id: { kind: string; value: string }) => `${id.kind} ${id.value}`)).toEqual(['alvara 412/1987', 'processo 1873/1987', 'lei 1120/1979']);
    expect(alvara.dates.map((d: { iso: string; main: boolean }) => `${d.iso}${d.main ? '*' : ''}`)).toEqual(['1979-12-05', '1987-03-10', '1987-03-12*']);
  });

  it('reads a multi-page decree: its date from the title, the decrees it cites, the page of each', () => {
    const decreto = documentOf('decreto-345.tif').metadata;
    expect(decreto).toMatchObject({ documentType: 'decreto', collection: 'Gabinete', year: 1990, box: '3', date: '1990-04-02' });
    const cited = decreto.identifiers.find((id: { value: string }) => id.value === '198/1986');
    expect(cited).toMatchObject({ kind: 'decreto', page: 3 });
  });

  it('keeps it all in the catalog: columns, and every date and identifier as facts', () => {
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    try {
      const row = db.prepare("SELECT * FROM documents WHERE relative_path LIKE '%alvara-412.png'").get() as Record<string, unknown>;
      expect(row).toMatchObject({ document_type: 'alvara', doc_date: '1987-03-12', collection: 'Secretaria de Obras', box: '12', series: 'Licenças de construção', notes: 'Caixa recebida da Secretaria de Obras em 1995', language: 'pt', personal_data: 0 });
      const facts = db.prepare('SELECT kind, value, page_no, main FROM document_facts WHERE document_id = ? ORDER BY rowid').all(row.id) as Array<Record<string, unknown>>;
      expect(facts).toContainEqual({ kind: 'date', value: '1987-03-12', page_no: 1, main: 1 });
      expect(facts).toContainEqual({ kind: 'processo', value: '1873/1987', page_no: 1, main: 0 });
    } finally {
      db.close();
    }
  });

  it("puts the record's type, date, identifiers and notes into the PDF's Info and XMP", async () => {
    const pdf = await readPdf(documentOf('alvara-412.png').pdf);
    expect(pdf.info.Title).toBe('Alvará de construção 412/1987 – Rua Conceição Aparecida, 215');
    expect(pdf.info.Custom).toMatchObject({ AcervoDocumentType: 'alvara', AcervoDocumentDate: '1987-03-12', AcervoIdentifiers: 'alvara 412/1987; processo 1873/1987; lei 1120/1979', AcervoNotes: 'Caixa recebida da Secretaria de Obras em 1995' });
    expect(pdf.metadata).toContain('<dc:type><rdf:Bag><rdf:li>alvara</rdf:li></rdf:Bag></dc:type>');
    expect(pdf.metadata).toContain('<dc:date><rdf:Seq><rdf:li>1987-03-12</rdf:li></rdf:Seq></dc:date>');
    expect(pdf.metadata).toContain('<dc:identifier>alvara 412/1987; processo 1873/1987; lei 1120/1979</dc:identifier>');
    expect(pdf.metadata).toContain('<acervo:box>12</acervo:box>');
  });

  it('filters and sorts by it in search', async () => {
    const alvaras = parseJsonOutput(await runCli(['search', 'municipal', '--type', 'alvara', '--json'], { cwd: work }));
    expect(alvaras.hits.map((h: { title: string }) => h.title)).toEqual(['Alvará de construção 412/1987 – Rua Conceição Aparecida, 215']);
    const newest = parseJsonOutput(await runCli(['search', 'municipal', '--sort', 'date-desc', '--json'], { cwd: work }));
    expect(newest.hits.map((h: { date: string }) => h.date)).toEqual([...newest.hits.map((h: { date: string }) => h.date)].sort().reverse());
    expect(newest.hits[0].date).toBe('1990-04-02');
    const box = parseJsonOutput(await runCli(['search', 'processo 1873/1987', '--json'], { cwd: work }));
    expect(box.hits[0]).toMatchObject({ collection: 'Secretaria de Obras', documentType: 'alvara', page: 1 });
  });

  it('refuses a broken inventory before doing anything, with exit code 1 and the line at fault', async () => {
    writeFileSync(path.join(work, 'ruim.csv'), 'path,year\nObras,87\n');
    const result = await runCli(['ingest', scans, '--inventory', path.join(work, 'ruim.csv'), '--library', path.join(work, 'never')], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CONFIG_INVALID: .*ruim\.csv line 2: the year "87" is not a four-digit year/);
  });
});
