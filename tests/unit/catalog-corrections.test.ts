/**
 * Archive staff's corrections in the catalog (issue 25), on a real SQLite catalog: laid over the
 * machine's values wherever a document is read (the record, its pages, identifiers, the index
 * change, export, collections), never undone by a re-recording of the original (a re-ingest, a
 * rescan, a batch cut differently), with a history that conflicts and reverts follow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, type ConvertedRecord, type Correction, type SaveResult } from '../../core/catalog/catalog.js';
import { MIGRATIONS } from '../../core/catalog/schema.js';
import type { ConvertedDocument, DocumentMetadata } from '../../core/model.js';
import { indexChangeFor } from '../../core/pipeline/index-sync.js';
import { convertedDocument, convertedRecord, machineMetadata } from '../helpers/converted-record.js';

let folder: string;
let file: string;
let catalog: Catalog;

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-corrections-'));
  file = path.join(folder, 'catalog.sqlite');
  catalog = Catalog.open(file);
});
afterEach(() => {
  catalog.close();
  rmSync(folder, { recursive: true, force: true });
});

const metadata = (over: Partial<DocumentMetadata> = {}): DocumentMetadata =>
  machineMetadata({
    title: 'ALVARA DE CONSTRUCAO', documentType: 'alvara', collection: 'Obras', year: 1987, date: '1987-03-02', box: '12',
    dates: [{ iso: '1987-03-02', text: '2 de março de 1987', page: 1, main: true }],
    identifiers: [{ kind: 'processo', value: '1873/1987', text: 'Processo nº 1.873/87', page: 1 }],
    ...over,
  });

const part = (partNo: number, texts: string[], over: Partial<DocumentMetadata> = {}): ConvertedDocument =>
  convertedDocument(texts, metadata(over), { partNo, outputSha256: `sha-${partNo}` });

const record = (documents: ConvertedDocument[], sha256 = 'a'.repeat(64)): ConvertedRecord =>
  convertedRecord('/scans/Obras/1987/alvara.png', documents, { relativePath: 'Obras/1987/alvara.png', sha256, sizeBytes: 1234 });

const saved = (result: SaveResult): Correction[] => {
  if ('conflicts' in result) throw new Error(`conflicts: ${JSON.stringify(result.conflicts)}`);
  return result.saved;
};

describe('corrections laid over the machine values', () => {
  it('shows a corrected field everywhere a document is read, and the machine value beside it', () => {
    const [id] = catalog.recordConverted(record([part(1, ['ALVARÁ DE CONSTRUÇÃO nº 412 Processo nº 1.873/87 rua das Flroes'])])).ids as [number];
    saved(
      catalog.corrections().save(
        id,
        [
          { field: 'title', value: 'Alvará de construção nº 412', basedOn: null },
          { field: 'date', value: '1988-04-05', basedOn: null },
          { field: 'collection', value: 'Obras Públicas', basedOn: null },
          { field: 'identifiers', value: [{ kind: 'processo', value: '1874/1987', page: 1 }], basedOn: null },
          { field: 'text', pageNo: 1, value: 'ALVARÁ DE CONSTRUÇÃO nº 412 Processo nº 1.874/87 rua das Flores', basedOn: null },
        ],
        'bruno',
      ),
    );
    expect(catalog.getDocument(id)).toMatchObject({ title: 'Alvará de construção nº 412', date: '1988-04-05', year: 1988, collection: 'Obras Públicas', box: '12' });
    expect(catalog.machineDocument(id)).toMatchObject({ title: 'ALVARA DE CONSTRUCAO', date: '1987-03-02', year: 1987, collection: 'Obras' });
    expect(catalog.pages(id)[0]!.text).toMatch(/rua das Flores$/);
    // Dates stay the machine's list; identifiers are the corrected ones.
    expect(catalog.facts(id).map((fact) => `${fact.kind} ${fact.value}`)).toEqual(['date 1987-03-02', 'processo 1874/1987']);
    expect(catalog.identifiers(id)).toEqual(['processo 1874/1987']);
    expect(catalog.collections()).toEqual([{ collection: 'Obras Públicas', documents: 1 }]);
    expect(catalog.exportRecords('Obras Públicas')).toMatchObject([{ id, title: 'Alvará de construção nº 412', date: '1988-04-05', year: 1988 }]);

    const change = indexChangeFor(catalog, id);
    expect(change.op).toBe('upsert');
    if (change.op !== 'upsert') return;
    expect(change.pages[0]).toMatchObject({ title: 'Alvará de construção nº 412', collection: 'Obras Públicas', year: 1988, date: '1988-04-05' });
    expect(change.pages[0]!.text).toMatch(/Flores/);
    expect(change.pages[0]!.identifiers).toMatch(/1874\/1987/);
    expect(change.pages[0]!.identifiers).not.toMatch(/1873/);
    // Saving queued the document's index update (in the same transaction).
    expect(catalog.pendingIndexUpdates(10).filter((entry) => entry.documentId === id).length).toBe(2);
  });

  it('flags the document as holding personal data when a corrected page text holds a person’s number', () => {
    const [id] = catalog.recordConverted(record([part(1, ['Certidão de tempo de serviço'])])).ids as [number];
    expect(catalog.getDocument(id)!.personalData).toBe(0);
    saved(catalog.corrections().save(id, [{ field: 'text', pageNo: 1, value: 'Certidão de tempo de serviço, CPF 390.533.447-05', basedOn: null }], 'ana'));
    expect(catalog.getDocument(id)!.personalData).toBe(1);
    expect(catalog.machineDocument(id)!.personalData).toBe(0);
  });
});

describe('a re-recording of the original never undoes a correction', () => {
  it('keeps corrections through a re-ingest that rewrites the machine values (a rescan), and says the machine now reads otherwise', () => {
    const [id] = catalog.recordConverted(record([part(1, ['ALVARA Flroes', 'segunda página'])])).ids as [number];
    const [title, text] = saved(
      catalog.corrections().save(id, [
        { field: 'title', value: 'Alvará nº 412', basedOn: null },
        { field: 'text', pageNo: 1, value: 'ALVARÁ Flores', basedOn: null },
      ], 'bruno'),
    ) as [Correction, Correction];
    // A rescan: another checksum, other text, other metadata rules' title.
    const again = catalog.recordConverted(record([part(1, ['ALVARA Flore5', 'segunda pagina'], { title: 'ALVARA NOVO', year: 1990, date: null })], 'b'.repeat(64)));
    expect(again.ids).toEqual([id]);
    expect(catalog.getDocument(id)).toMatchObject({ title: 'Alvará nº 412', year: 1990, date: null });
    expect(catalog.machineDocument(id)!.title).toBe('ALVARA NOVO');
    expect(catalog.pages(id).map((page) => page.text)).toEqual(['ALVARÁ Flores', 'segunda pagina']);
    expect(catalog.corrections().current(id).map((change) => change.id).sort()).toEqual([title.id, text.id].sort());
    // What the machine read when the correction was made is kept: a reader can tell it changed since.
    expect(catalog.corrections().get(text.id)!.machineValue).toBe('ALVARA Flroes');
    expect(catalog.corrections().value(id, 'text', 1, false)).toBe('ALVARA Flore5');
  });

  it('keeps a part’s corrections when a batch is cut into fewer parts, and gives them back when the part returns', () => {
    const ids = catalog.recordConverted(record([part(1, ['um']), part(2, ['dois'])])).ids;
    saved(catalog.corrections().save(ids[1]!, [{ field: 'title', value: 'Parte dois, corrigida', basedOn: null }], 'bruno'));
    catalog.recordConverted(record([part(1, ['um e dois'])], 'c'.repeat(64)));
    expect(catalog.partsOf('/scans/Obras/1987/alvara.png')).toHaveLength(1);
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM corrections').get() as { n: number }).n).toBe(1);
    db.close();
    // Another original takes the free id: the part's corrections are not its.
    const other = catalog.recordConverted({ ...record([]), sourcePath: '/scans/outro.png', relativePath: 'outro.png', documents: [{ outputPath: 'documents/outro.pdf', document: part(1, ['outro']) }] }).ids[0]!;
    expect(other).toBe(ids[1]);
    expect(catalog.getDocument(other)!.title).toBe('ALVARA DE CONSTRUCAO');
    const back = catalog.recordConverted(record([part(1, ['um']), part(2, ['dois'])], 'd'.repeat(64))).ids;
    expect(back[1]).not.toBe(ids[1]);
    expect(catalog.getDocument(back[1]!)!.title).toBe('Parte dois, corrigida');
    expect(catalog.corrections().history(back[1]!)).toHaveLength(1);
    expect(catalog.getDocument(back[0]!)!.title).toBe('ALVARA DE CONSTRUCAO');
  });

  it('keeps corrections through a recorded failure of a later attempt', () => {
    const [id] = catalog.recordConverted(record([part(1, ['texto'])])).ids as [number];
    saved(catalog.corrections().save(id, [{ field: 'notes', value: 'Caixa danificada', basedOn: null }], 'bruno'));
    catalog.recordFailure({ sourcePath: '/scans/Obras/1987/alvara.png', relativePath: 'Obras/1987/alvara.png', mediaType: 'image/png', sha256: 'e'.repeat(64), sizeBytes: 1, error: { code: 'IMAGE_CORRUPT', message: 'truncated' } });
    expect(catalog.getDocument(id)!.notes).toBe('Caixa danificada');
  });
});

describe('edits, conflicts and history', () => {
  it('saves an edit based on the version shown, refuses one based on an older version, and saves nothing of a refused edit', () => {
    const [id] = catalog.recordConverted(record([part(1, ['texto'])])).ids as [number];
    const [first] = saved(catalog.corrections().save(id, [{ field: 'title', value: 'Título da Ana', basedOn: null }], 'ana')) as [Correction];
    // Bruno opened the document before Ana saved: he saw the machine's title.
    const late = catalog.corrections().save(id, [
      { field: 'box', value: '13', basedOn: null },
      { field: 'title', value: 'Título do Bruno', basedOn: null },
    ], 'bruno');
    expect(late).toEqual({ conflicts: [{ field: 'title', pageNo: null, current: expect.objectContaining({ id: first.id, author: 'ana', value: 'Título da Ana' }), value: 'Título da Ana' }] });
    expect(catalog.getDocument(id)).toMatchObject({ title: 'Título da Ana', box: '12' });
    // Having seen Ana's, his wins.
    const [second] = saved(catalog.corrections().save(id, [{ field: 'title', value: 'Título do Bruno', basedOn: first.id }], 'bruno')) as [Correction];
    expect(second).toMatchObject({ supersedes: first.id, before: 'Título da Ana', machineValue: 'ALVARA DE CONSTRUCAO', author: 'bruno' });
    expect(catalog.corrections().get(first.id)!.supersededBy).toBe(second.id);
    expect(catalog.getDocument(id)!.title).toBe('Título do Bruno');
  });

  it('leaves out an edit whose value is what is shown already (a form sends its untouched fields too), whatever version it names', () => {
    const [id] = catalog.recordConverted(record([part(1, ['texto'])])).ids as [number];
    const result = catalog.corrections().save(id, [{ field: 'title', value: 'ALVARA DE CONSTRUCAO', basedOn: 999 }, { field: 'box', value: '12', basedOn: null }], 'bruno');
    expect(result).toEqual({ saved: [], unchanged: ['title', 'box'] });
    expect(catalog.corrections().history(id)).toEqual([]);
    expect(catalog.pendingIndexUpdates(10).filter((entry) => entry.documentId === id)).toHaveLength(1);
  });

  it('reverts the current change back to the one before, then to the machine value; a change no longer current cannot be reverted unseen', () => {
    const [id] = catalog.recordConverted(record([part(1, ['texto'])])).ids as [number];
    const [a] = saved(catalog.corrections().save(id, [{ field: 'series', value: 'Série A', basedOn: null }], 'ana')) as [Correction];
    const [b] = saved(catalog.corrections().save(id, [{ field: 'series', value: 'Série B', basedOn: a.id }], 'bruno')) as [Correction];
    expect(catalog.corrections().revert(a.id, 'ana')).toEqual({ conflict: expect.objectContaining({ field: 'series', value: 'Série B', current: expect.objectContaining({ id: b.id }) }) });
    const undoB = catalog.corrections().revert(b.id, 'ana');
    expect(undoB && 'saved' in undoB && undoB.saved).toMatchObject({ action: 'set', value: 'Série A', before: 'Série B', reverts: b.id, author: 'ana' });
    expect(catalog.getDocument(id)!.series).toBe('Série A');
    const undoneB = (undoB as { saved: Correction }).saved;
    // Reverting the revert gives B back.
    const redo = catalog.corrections().revert(undoneB.id, 'bruno') as { saved: Correction };
    expect(catalog.getDocument(id)!.series).toBe('Série B');
    // Back to the machine: a version too, which follows whatever the machine reads later.
    saved(catalog.corrections().save(id, [{ field: 'series', machine: true, basedOn: redo.saved.id }], 'bruno'));
    expect(catalog.getDocument(id)!.series).toBeNull();
    catalog.recordConverted(record([part(1, ['texto'], { series: 'Série do scanner' })], 'f'.repeat(64)));
    expect(catalog.getDocument(id)!.series).toBe('Série do scanner');
    expect(catalog.corrections().history(id).map((change) => [change.action, change.value, change.author])).toEqual([
      ['machine', null, 'bruno'],
      ['set', 'Série B', 'bruno'],
      ['set', 'Série A', 'ana'],
      ['set', 'Série B', 'bruno'],
      ['set', 'Série A', 'ana'],
    ]);
    expect(catalog.corrections().revert(123456, 'ana')).toBeUndefined();
  });

  it('keeps one current change per field in the table itself', () => {
    const [id] = catalog.recordConverted(record([part(1, ['texto'])])).ids as [number];
    saved(catalog.corrections().save(id, [{ field: 'title', value: 'Um', basedOn: null }], 'ana'));
    const db = new Database(file);
    expect(() => db.prepare(`INSERT INTO corrections (document_id, source_path, part_no, page_no, field, action, value, author, at) VALUES (?, '/x', 1, 0, 'title', 'set', '"Dois"', 'x', 'now')`).run(id)).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('catalog migration 13 (corrections)', () => {
  it('brings a catalog of version 12 up with its documents shown as before', () => {
    const old = path.join(folder, 'v12.sqlite');
    const db = new Database(old);
    for (const [v, sql] of MIGRATIONS.slice(0, 12).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.prepare(`INSERT INTO documents (id, source_path, relative_path, status, output_path, title, collection, year, doc_date, page_count, created_at, updated_at)
      VALUES (7, '/s/a.png', 'a.png', 'done', 'documents/a.pdf', 'Ata', 'Camara', 1993, '1993-05-04', 1, 'now', 'now')`).run();
    db.prepare(`INSERT INTO pages (document_id, page_no, text, text_source, pdf_page) VALUES (7, 1, 'ata da sessão', 'ocr', 1)`).run();
    db.close();
    const migrated = Catalog.open(old);
    try {
      expect(migrated.getDocument(7)).toMatchObject({ title: 'Ata', collection: 'Camara', year: 1993, date: '1993-05-04' });
      expect(migrated.pages(7).map((page) => page.text)).toEqual(['ata da sessão']);
      expect(migrated.corrections().history(7)).toEqual([]);
    } finally {
      migrated.close();
    }
  });
});
