/**
 * The portal's public set on a real catalog (issue 26): which documents are public (a public
 * collection or type; never a restricted collection; never one withheld), their public ids (random,
 * assigned once, kept when withheld and released), the newest-first order, masking of titles, a
 * query's personal numbers dropped, and the search set: the filter a portal search hands the index,
 * prepared once per change, with its rule for Meilisearch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, type ConvertedRecord } from '../../core/catalog/catalog.js';
import type { ConvertedDocument } from '../../core/model.js';
import { indexChangeFor } from '../../core/pipeline/index-sync.js';
import { documentSetIds, inDocumentSet } from '../../core/search/document-set.js';
import { openEmbeddedIndex } from '../../core/search/embedded/embedded-backend.js';
import type { SearchBackend, SearchQuery } from '../../core/search/search-backend.js';
import { portalSearch, PortalQuery, withoutPersonalNumbers } from '../../web/portal/portal-search.js';
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
    // And so is its search set, kept a bit at a time.
    const whole = new PublicSet(catalog, rules).searchSet();
    expect(documentSetIds(set.searchSet())).toEqual(documentSetIds(whole));
    expect(set.searchSet().size).toBe(whole.size);
  });
});

describe('the search set: the public set as a prepared filter (issue 26, a million public documents)', () => {
  const file = path.join(work, 'search-set.sqlite');
  const catalog = Catalog.open(file);
  const docs = [
    { title: 'Ato 1 lei', collection: 'Leis', documentType: 'lei', date: '1990-01-01' },
    { title: 'Ato 2 decreto', collection: 'Obras', documentType: 'decreto', date: '1991-01-01' },
    { title: 'Ato 3 ofício', collection: 'Obras', documentType: 'oficio', date: '1992-01-01' },
    { title: 'Ato 4 decreto', collection: 'Saúde', documentType: 'decreto', date: '1993-01-01' },
    { title: 'Ato 5 ofício', collection: 'leis', documentType: 'oficio', date: '1994-01-01' },
    { title: 'Ato 6 decreto', collection: 'Arquivo', documentType: 'decreto', date: '1995-01-01' },
    { title: 'Ato 7 decreto retido', collection: 'Leis', documentType: 'decreto', date: '1996-01-01' },
    { title: 'Ato 8 decreto com tarja', collection: 'Obras', documentType: 'decreto', date: '1997-01-01' },
    { title: 'Ato 9 decreto por indexar', collection: 'Obras', documentType: 'decreto', date: '1998-01-01' },
    { title: 'Ato 10 lei por indexar', collection: 'Saúde', documentType: 'lei', date: '1999-01-01' },
    { title: 'Ato 11 ofício', collection: 'Gabinete', documentType: 'oficio', date: '2000-01-01' },
  ];
  docs.forEach((fields, i) => catalog.recordConverted(record(300 + i, fields)));
  const ids = docs.map((_, i) => catalog.findBySource(`/scans/${300 + i}.tif`)!.id);
  catalog.portal().withhold(ids[6]!, 'ana', null);
  catalog.redactionMarks().add(ids[7]!, { page: 1, action: 'add', box: { x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.2 }, label: 'nome', madeBy: 'ana' });
  // The index has taken every update but two: documents 9 (public) and 10 (restricted) wait in the outbox.
  catalog.completeIndexUpdatesUpTo(catalog.outboxHighWater());
  const db = new Database(file);
  for (const id of [ids[8], ids[9]]) db.prepare("INSERT INTO outbox (document_id, op, created_at) VALUES (?, 'upsert', '2026-01-01T00:00:00Z')").run(id);
  db.close();
  const set = new PublicSet(catalog, { publicCollections: ['LEIS'], publicTypes: ['Decreto'], restrictedCollections: ['Saude'] }, 3_600_000);
  afterAll(() => catalog.close());
  const members = () => documentSetIds(set.searchSet());
  const pick = (...at: number[]) => at.map((i) => ids[i]!).sort((a, b) => a - b);

  it('holds the public documents without a drawn box, made once and reused until the set changes', () => {
    expect(members()).toEqual(pick(0, 1, 4, 5, 8));
    const first = set.searchSet();
    expect(set.searchSet()).toBe(first);
    expect(set.searchSet().bits.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('names the same documents by collection and type, with the few the names get wrong listed by id', () => {
    const rule = set.searchSet().rule!;
    expect(rule).toEqual({
      collections: ['Leis', 'leis'],
      documentTypes: ['decreto'],
      excludeCollections: ['Saúde'],
      otherCollections: ['Obras', 'Arquivo', 'Gabinete'],
      otherTypes: ['lei', 'oficio'],
      exceptIds: pick(6, 7, 9),
      alsoIds: pick(8),
    });
    // The rule read as Meilisearch reads it (document-set.ts), over every document the index may hold,
    // with the values the index holds: the catalog's, or for a document waiting in the outbox, anything.
    const takes = (id: number, collection: string | null, documentType: string | null) =>
      ((collection !== null && rule.collections.includes(collection)) ||
        (documentType !== null && rule.documentTypes.includes(documentType) && (collection === null || rule.otherCollections.includes(collection))) ||
        rule.alsoIds.includes(id)) &&
      !rule.exceptIds.includes(id);
    const lagging = new Set(pick(8, 9));
    for (const candidate of catalog.portal().candidates()) {
      const member = members().includes(candidate.id);
      expect(takes(candidate.id, candidate.collection, candidate.documentType), `document ${candidate.id}`).toBe(member);
      if (!lagging.has(candidate.id)) continue;
      for (const [collection, type] of [['Leis', 'lei'], ['Saúde', 'decreto'], ['Nova', 'decreto'], [null, 'decreto']] as const) {
        expect(takes(candidate.id, collection, type), `document ${candidate.id} indexed as ${collection}/${type}`).toBe(member);
      }
    }
    // A collection no document had when the set was read (filed in place, unseen) lets nothing in, whatever its type.
    expect(takes(9999, 'Pessoal', 'decreto')).toBe(false);
  });

  it('makes a new set (a new key) when the set changes, and a new rule when the catalog does', () => {
    const before = set.searchSet();
    catalog.portal().withhold(ids[0]!, 'ana', null);
    set.invalidate();
    const after = set.searchSet();
    expect(after.key).not.toBe(before.key);
    expect(inDocumentSet(after, ids[0]!)).toBe(false);
    expect(after.rule!.exceptIds).toContain(ids[0]);
    // The outbox drained: the same members, the rule lists none of them any more.
    catalog.completeIndexUpdatesUpTo(catalog.outboxHighWater());
    const drained = set.searchSet();
    expect(drained.key).toBe(after.key);
    expect(drained.rule!.alsoIds).toEqual([]);
    expect(drained.rule!.exceptIds).toEqual(pick(0, 6, 7));
    catalog.portal().release(ids[0]!);
    set.invalidate();
    expect(members()).toEqual(pick(0, 1, 4, 5, 8));
  });

  it('is what a portal search hands the index, and finds what the list of ids found', async () => {
    const backend = openEmbeddedIndex(path.join(work, 'search-set-index.sqlite'), { buildThreads: 0 });
    try {
      for (const id of ids) await backend.apply([indexChangeFor(catalog, id)]);
      let sent: SearchQuery | undefined;
      const spying: SearchBackend = { ...backend, search: (query) => ((sent = query), backend.search(query)) };
      const covered = () => catalog.redactionMarks().documentsWithDrawnBoxes();
      for (const words of ['ato', 'decreto', 'lei', 'oficio']) {
        const found = await portalSearch(PortalQuery.parse({ q: words }), set, spying, covered);
        expect(sent!.filters!.documentSet).toBe(set.searchSet());
        expect(sent!.filters!.documentIds).toBeUndefined();
        // The filter of before: every public id but those with a drawn box, listed.
        const listed = await backend.search({ ...sent!, filters: { ...sent!.filters, documentSet: undefined, documentIds: set.all().map((r) => r.documentId).filter((id) => !covered().has(id)) } });
        expect(found.hits.map((hit) => hit.record.documentId), words).toEqual(listed.hits.map((hit) => hit.documentId));
        expect(found.total, words).toBe(listed.total);
      }
      expect((await portalSearch(PortalQuery.parse({ q: 'ato' }), set, backend, covered)).hits.map((hit) => hit.record.documentId).sort((a, b) => a - b)).toEqual(pick(0, 1, 4, 5, 8));
    } finally {
      await backend.close();
    }
  });

  it('names in its rule only what the set holds while new rules are read whole', async () => {
    const before = members();
    set.setRules({ publicCollections: ['LEIS', 'gabinete'], publicTypes: ['Decreto'], restrictedCollections: ['Saude'] });
    // Gabinete comes with the full read: until then neither the set nor its rule lets it in.
    expect(members()).toEqual(before);
    expect(set.searchSet().rule!.collections).toEqual(['Leis', 'leis']);
    expect(set.searchSet().rule!.otherCollections).toContain('Gabinete');
    await set.settled();
    expect(members()).toEqual([...before, ids[10]!].sort((a, b) => a - b));
    expect(set.searchSet().rule!.collections).toEqual(['Leis', 'leis', 'Gabinete']);
    // Rules that allow less: gone at once, from the set and its rule.
    set.setRules({ publicCollections: [], publicTypes: ['Decreto'], restrictedCollections: ['Saude'] });
    expect(members()).toEqual(pick(1, 5, 8));
    expect(set.searchSet().rule!.collections).toEqual([]);
    await set.settled();
  });
});

describe('a citizen’s query', () => {
  it('loses every whole personal number, in any form, and keeps the rest', () => {
    expect(withoutPersonalNumbers('pensão 390.533.447-05 rua')).toBe('pensão rua');
    expect(withoutPersonalNumbers('39053344705')).toBe('');
    expect(withoutPersonalNumbers('lei 123/1987')).toBe('lei 123/1987');
  });
});
