/**
 * The portal's public set on a real catalog (issue 26): which documents are public (a public
 * collection or type; never a restricted collection; never one withheld), their public ids (random,
 * assigned once, kept when withheld and released), the newest-first order, masking of titles, and a
 * query's personal numbers dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, type ConvertedRecord } from '../../core/catalog/catalog.js';
import type { ConvertedDocument } from '../../core/model.js';
import { withoutPersonalNumbers } from '../../web/portal/portal-search.js';
import { PublicSet } from '../../web/portal/public-set.js';
import { neutralTitle } from '../../web/portal/record-words.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-public-set-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function record(i: number, fields: { title: string; collection: string; documentType: string | null; date: string | null }): ConvertedRecord {
  const document: ConvertedDocument = {
    partNo: 1, sourcePages: null, separator: null, tempFile: '', outputSha256: `s${i}`, outputBytes: 1, pdfConformance: null, pdfConformanceNote: null,
    metadata: { title: fields.title, documentType: fields.documentType, collection: fields.collection, year: fields.date ? Number(fields.date.slice(0, 4)) : null, date: fields.date, language: 'pt', personalData: false, notes: null, dates: [], identifiers: [], taxNumbers: [], box: null, series: null },
    pages: [{ pageNo: 1, pdfPageNo: 1, text: fields.title, confidence: 90, textSource: 'ocr', widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null }],
  };
  return { sourcePath: `/scans/${i}.tif`, relativePath: `${fields.collection}/${i}.tif`, mediaType: 'image/tiff', sha256: String(i).padStart(64, '0'), sizeBytes: 1, settings: '{}', documents: [{ outputPath: `documents/${i}.pdf`, document }] };
}

describe('the public set', () => {
  const catalog = Catalog.open(path.join(work, 'catalog.sqlite'));
  const docs = [
    { title: 'Lei 1/1990', collection: 'Leis', documentType: 'lei', date: '1990-01-01' },
    { title: 'Decreto 2/1995', collection: 'Obras', documentType: 'decreto', date: '1995-06-01' },
    { title: 'Ofício 3/1995', collection: 'Obras', documentType: 'oficio', date: '1995-07-01' },
    { title: 'Decreto 4/1996', collection: 'Saúde', documentType: 'decreto', date: '1996-01-01' },
    { title: 'Lei de João CPF 390.533.447-05', collection: 'leis', documentType: null, date: null },
  ];
  docs.forEach((fields, i) => catalog.recordConverted(record(i + 1, fields)));
  const ids = docs.map((_, i) => catalog.findBySource(`/scans/${i + 1}.tif`)!.id);
  const set = new PublicSet(catalog, { publicCollections: ['LEIS'], publicTypes: ['Decreto'], restrictedCollections: ['Saude'] }, 0);

  it('holds documents of public collections or types, case and accents aside, never a restricted collection', () => {
    expect(set.all().map((record) => record.documentId).sort()).toEqual([ids[0], ids[1], ids[4]].sort());
    expect(set.ofDocument(ids[2]!)).toBeUndefined();
    expect(set.ofDocument(ids[3]!)).toBeUndefined();
  });

  it('lists the newest act first, undated last, and masks personal numbers in titles', () => {
    expect(set.all().map((record) => record.title)).toEqual(['Decreto 2/1995', 'Lei 1/1990', 'Lei de João CPF ***.***.***-**']);
  });

  it('gives random public ids, kept through a withholding and its release', () => {
    const before = set.ofDocument(ids[0]!)!.publicId;
    expect(before).toMatch(/^[a-z2-9]{16}$/);
    expect(new Set(set.all().map((record) => record.publicId)).size).toBe(3);
    const generation = set.generation();
    catalog.portal().withhold(ids[0]!, 'ana', 'sob sigilo');
    set.invalidate();
    expect(set.get(before)).toBeUndefined();
    expect(set.generation()).toBeGreaterThan(generation);
    expect(catalog.portal().withheld()).toEqual([expect.objectContaining({ documentId: ids[0], by: 'ana', reason: 'sob sigilo' })]);
    expect(catalog.portal().release(ids[0]!)).toBe(true);
    expect(catalog.portal().release(ids[0]!)).toBe(false);
    set.invalidate();
    expect(set.get(before)?.documentId).toBe(ids[0]);
  });

  it('shows a document with a box staff drew under a neutral title of its type and date, its collection only if named public', () => {
    // Decreto 2/1995 is public by its type, filed in Obras (no public collection); Lei 1/1990 by its collection.
    catalog.redactionMarks().add(ids[1]!, { page: 1, action: 'add', box: { x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.2 }, label: 'nome', madeBy: 'ana' });
    catalog.redactionMarks().add(ids[0]!, { page: 1, action: 'add', box: { x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.2 }, label: null, madeBy: 'ana' });
    set.invalidate();
    expect(set.ofDocument(ids[1]!)).toMatchObject({ title: 'Decreto de 01/06/1995', collection: null, covered: true });
    expect(set.ofDocument(ids[0]!)).toMatchObject({ title: 'Lei de 01/01/1990', collection: 'Leis', covered: true });
    expect(neutralTitle({ documentType: 'decreto', date: '1995-06-01', year: 1995 }, 'es')).toBe('Decreto del 01/06/1995');
    expect(neutralTitle({ documentType: 'ata', date: null, year: 1987 }, 'en')).toBe('Minutes, 1987');
    expect(neutralTitle({ documentType: null, date: null, year: null }, 'pt')).toBe('Documento sem data');
    expect(set.ofDocument(ids[4]!)).toMatchObject({ covered: false });
  });

  it('follows new rules: what they no longer allow goes at once, what they newly allow comes with the full read', async () => {
    set.setRules({ publicCollections: [], publicTypes: ['oficio'], restrictedCollections: [] });
    expect(set.all()).toEqual([]);
    await set.settled();
    expect(set.all().map((record) => record.documentId)).toEqual([ids[2]]);
  });
});

describe('the public set kept up to date without reading it whole', () => {
  const file = path.join(work, 'live.sqlite');
  const catalog = Catalog.open(file);
  /** Staff and ingests write through another connection, as another process would. */
  const other = Catalog.open(file);
  afterAll(() => {
    catalog.close();
    other.close();
  });
  const docs = [
    { title: 'Lei 10/1990', collection: 'Leis', documentType: 'lei', date: '1990-01-01' },
    { title: 'Decreto 11/1991', collection: 'Obras', documentType: 'decreto', date: '1991-01-01' },
    { title: 'Lei 12/1992', collection: 'Leis', documentType: 'lei', date: '1992-01-01' },
  ];
  docs.forEach((fields, i) => catalog.recordConverted(record(100 + i, fields)));
  const ids = docs.map((_, i) => catalog.findBySource(`/scans/${100 + i}.tif`)!.id);
  const rules = { publicCollections: ['Leis'], publicTypes: ['decreto'], restrictedCollections: ['Pessoal'] };
  // A full read would come only after an hour: what shows at once comes from reading the changed documents alone.
  const set = new PublicSet(catalog, rules, 3_600_000);
  const order = () => set.all().map((entry) => entry.documentId);

  it('a document withheld by another process is gone from the very next answer', () => {
    const publicId = set.ofDocument(ids[0]!)!.publicId;
    other.portal().withhold(ids[0]!, 'ana', null);
    expect(set.get(publicId)).toBeUndefined();
    expect(order()).toEqual([ids[2], ids[1]]);
    other.portal().release(ids[0]!);
    expect(set.get(publicId)?.documentId).toBe(ids[0]);
    expect(order()).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('a document corrected into a restricted collection is gone at once, and one corrected into a newer date moves in the order', () => {
    const generation = set.generation();
    other.corrections().save(ids[1]!, [{ field: 'collection', value: 'Pessoal', basedOn: null }], 'ana');
    expect(set.ofDocument(ids[1]!)).toBeUndefined();
    expect(set.generation()).toBeGreaterThan(generation);
    other.corrections().save(ids[0]!, [{ field: 'date', value: '1999-05-05', basedOn: null }], 'ana');
    expect(order()).toEqual([ids[0], ids[2]]);
    expect(set.ofDocument(ids[0]!)?.date).toBe('1999-05-05');
  });

  it('a document added by an ingest shows at once; a box drawn gives it its neutral title at once', () => {
    other.recordConverted(record(200, { title: 'Lei 13/2001 de Fulano', collection: 'Leis', documentType: 'lei', date: '2001-01-01' }));
    const added = other.findBySource('/scans/200.tif')!.id;
    expect(order()[0]).toBe(added);
    other.redactionMarks().add(added, { page: 1, action: 'add', box: { x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.2 }, label: 'nome', madeBy: 'ana' });
    expect(set.ofDocument(added)?.title).toBe('Lei de 01/01/2001');
  });

  it('a change no mark tells (a row rewritten in place) waits for the full read in the background; nothing else moves the generation', async () => {
    const generation = set.generation();
    // The outbox and other tables change all the time: no change of the set, no new generation.
    other.portal().withhold(ids[2]!, 'ana', null);
    other.portal().release(ids[2]!);
    expect(set.generation()).toBe(generation);
    const db = new Database(file);
    db.prepare("UPDATE documents SET document_type = 'oficio', collection = 'Obras' WHERE id = ?").run(ids[2]);
    db.close();
    // Until the full read (asked for by the change, run now rather than in an hour).
    expect(set.ofDocument(ids[2]!)).toBeDefined();
    await set.settled();
    expect(set.ofDocument(ids[2]!)).toBeUndefined();
    // What was kept up to date piece by piece is what a set read whole holds, in the same order.
    expect(set.all()).toEqual(new PublicSet(catalog, rules).all());
  });
});

describe('a citizen’s query', () => {
  it('loses every whole personal number, in any form, and keeps the rest', () => {
    expect(withoutPersonalNumbers('pensão 390.533.447-05 rua')).toBe('pensão rua');
    expect(withoutPersonalNumbers('39053344705')).toBe('');
    expect(withoutPersonalNumbers('lei 123/1987')).toBe('lei 123/1987');
  });
});
