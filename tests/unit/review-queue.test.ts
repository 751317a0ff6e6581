/**
 * The review queue (issue 25) on a real SQLite catalog: which pages and documents the machine was
 * unsure of, settled by a person's correction or acceptance, kept through re-ingests that read the
 * same and brought back by one that reads otherwise; what each user may see of it; keyset paging
 * in both directions through an index (never a sort), and counts kept equal to the items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, type ConvertedRecord, type ReviewItem, type ReviewScope } from '../../core/catalog/catalog.js';
import { MIGRATIONS } from '../../core/catalog/schema.js';
import type { ConvertedDocument, DocumentMetadata } from '../../core/model.js';
import { convertedDocument, convertedRecord, machineMetadata } from '../helpers/converted-record.js';

let folder: string;
let file: string;
let catalog: Catalog;

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-review-'));
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
    ...over,
  });

/** A page's text (página n unless told) and how surely it was read (93 unless told). */
interface PageSpec {
  text?: string;
  confidence?: number | null;
  textSource?: 'ocr' | 'pdf-text' | 'none';
}

let sources = 0;
/** One original, one document; its pages' confidences and the metadata the machine read. */
function record(pages: PageSpec[], over: Partial<DocumentMetadata> = {}, source = `/scans/doc-${++sources}.png`): ConvertedRecord {
  const specs = pages.map((page, i) => ({ text: page.text ?? `página ${i + 1}`, confidence: page.confidence === undefined ? 93 : page.confidence, textSource: page.textSource ?? 'ocr' }));
  return convertedRecord(source, [convertedDocument(specs, metadata(over))]);
}

const add = (pages: PageSpec[], over: Partial<DocumentMetadata> = {}, source?: string) => catalog.recordConverted(record(pages, over, source)).ids[0]!;

const EVERYONE: ReviewScope = { maySeeCollection: () => true, personalData: true, personalDataCollections: ['Pessoal', 'saude'] };
const list = (filter = {}, scope = EVERYONE) => catalog.review().list(filter, scope, { limit: 500 }).items;
const reasons = (id: number, scope = EVERYONE) => list({}, scope).filter((item) => item.documentId === id).map((item) => `${item.reason}${item.pageNo === null ? '' : `@${item.pageNo}`}`);

/** The counts kept by triggers are what a count of the items gives. */
function expectCountsKept(): void {
  const db = new Database(file, { readonly: true });
  try {
    const counted = db.prepare('SELECT collection, box, reason, COUNT(*) AS items FROM review_items GROUP BY collection, box, reason ORDER BY 1, 2, 3').all();
    expect(db.prepare('SELECT collection, box, reason, items FROM review_counts ORDER BY 1, 2, 3').all()).toEqual(counted);
  } finally {
    db.close();
  }
}

describe('what the machine was unsure of', () => {
  it('lists pages read under 85, or not read at all, but not blank, born-digital or well-read pages', () => {
    const id = add([{ confidence: 84.9 }, { confidence: 85 }, { confidence: null }, { confidence: 40, textSource: 'pdf-text' }, { confidence: 96 }]);
    expect(reasons(id)).toEqual(['low-confidence@1', 'low-confidence@3']);
    expect(catalog.review().details(list().filter((item) => item.documentId === id))).toMatchObject([
      { pdfPage: 1, confidence: 84.9, meanConfidence: expect.any(Number), title: 'ALVARA DE CONSTRUCAO' },
      { pdfPage: 3, confidence: null },
    ]);
  });

  it('lists a document without a date, without a type, with rival dates, and with personal data where none is expected', () => {
    const noDate = add([{}], { date: null, dates: [] });
    const noType = add([{}], { documentType: null });
    const rival = add([{}], {
      dates: [
        { iso: '1987-03-02', text: '2 de março de 1987', page: 1, main: true },
        { iso: '1987-04-09', text: '9 de abril de 1987', page: 1, main: false, rival: true },
        { iso: '1979-12-05', text: '5 de dezembro de 1979', page: 1, main: false },
      ],
    });
    const cited = add([{}], { dates: [{ iso: '1987-03-02', text: 'x', page: 1, main: true }, { iso: '1979-12-05', text: 'y', page: 1, main: false }] });
    const personal = add([{}], { personalData: true });
    const expected = add([{}], { personalData: true, collection: 'Saúde' });
    expect(reasons(noDate)).toEqual(['no-date']);
    expect(reasons(noType)).toEqual(['no-type']);
    expect(reasons(rival)).toEqual(['several-dates']);
    expect(catalog.review().details(list({ reason: 'several-dates' }))[0]!.dates).toEqual([
      { date: '1987-03-02', main: true, page: 1 },
      { date: '1987-04-09', main: false, page: 1 },
    ]);
    // Dates a document cites are no rivals: no item.
    expect(reasons(cited)).toEqual([]);
    expect(reasons(personal)).toEqual(['personal-data-unexpected']);
    // "saude" in the config names Saúde: numbers are expected there.
    expect(reasons(expected)).toEqual([]);
    expectCountsKept();
  });

  it('lists nothing of a document whose last conversion failed, and lists it again once it converts', () => {
    const source = '/scans/failing.png';
    const id = add([{ confidence: 50 }], { date: null, dates: [] }, source);
    expect(reasons(id)).toEqual(['no-date', 'low-confidence@1']);
    catalog.recordFailure({ sourcePath: source, relativePath: 'failing.png', mediaType: 'image/png', sha256: 'x', sizeBytes: 1, error: { code: 'IMAGE_TRUNCATED', message: 'cut' } as never });
    expect(reasons(id)).toEqual([]);
    add([{ confidence: 50 }], { date: null, dates: [] }, source);
    expect(reasons(id)).toEqual(['no-date', 'low-confidence@1']);
    expectCountsKept();
  });
});

describe('settled by a person', () => {
  it('takes an item out when a person sets the field (even to empty), and back when that is reverted', () => {
    const id = add([{ confidence: 60 }], {
      date: null,
      documentType: null,
      dates: [
        { iso: '1987-03-02', text: 'a', page: 1, main: false },
        { iso: '1987-04-09', text: 'b', page: 1, main: false, rival: true },
      ],
    });
    expect(reasons(id)).toEqual(['no-date', 'no-type', 'several-dates', 'low-confidence@1']);
    const result = catalog.corrections().save(id, [{ field: 'date', value: '1987-04-09', basedOn: null }, { field: 'documentType', value: null, basedOn: null }, { field: 'text', pageNo: 1, value: 'página lida por uma pessoa', basedOn: null }], 'ana');
    if (!('saved' in result)) throw new Error('conflict');
    // The type set to "none" by a person is a decision too.
    expect(result.saved.map((change) => change.field)).toEqual(['date', 'text']);
    expect(reasons(id)).toEqual(['no-type']);
    const typeSet = catalog.corrections().save(id, [{ field: 'documentType', value: 'oficio', basedOn: null }], 'ana');
    expect('saved' in typeSet).toBe(true);
    expect(reasons(id)).toEqual([]);
    const date = result.saved.find((change) => change.field === 'date')!;
    catalog.corrections().revert(date.id, 'bruno');
    expect(reasons(id)).toEqual(['no-date', 'several-dates']);
    expectCountsKept();
  });

  it('follows a corrected collection and box: the item moves with the document, and into an expected collection it goes', () => {
    const id = add([{}], { personalData: true, box: '3' });
    expect(list({ collection: 'Obras', box: '3' }).map((item) => item.reason)).toEqual(['personal-data-unexpected']);
    catalog.corrections().save(id, [{ field: 'box', value: '4', basedOn: null }], 'ana');
    expect(list({ collection: 'Obras', box: '3' })).toEqual([]);
    expect(list({ collection: 'Obras', box: '4' }).map((item) => item.reason)).toEqual(['personal-data-unexpected']);
    catalog.corrections().save(id, [{ field: 'collection', value: 'PESSOAL', basedOn: null }], 'ana');
    expect(reasons(id)).toEqual([]);
    expectCountsKept();
  });
});

describe('accepted by an archivist', () => {
  it('leaves the queue with who and when, refuses an item no longer there, and comes back when undone', () => {
    const id = add([{ confidence: 70 }], { date: null, dates: [] });
    const decisions = catalog.reviewDecisions();
    const accepted = decisions.accept(id, null, 'no-date', 'ana', new Date('2026-05-01T10:00:00Z'));
    expect(accepted).toEqual({ saved: expect.objectContaining({ documentId: id, pageNo: null, reason: 'no-date', action: 'accept', author: 'ana', at: '2026-05-01T10:00:00.000Z', supersedes: null }) });
    expect(reasons(id)).toEqual(['low-confidence@1']);
    // Someone else, a moment later, on the same item: told, nothing saved.
    expect(decisions.accept(id, null, 'no-date', 'bruno')).toEqual({ gone: true });
    const page = decisions.accept(id, 1, 'low-confidence', 'bruno');
    expect(reasons(id)).toEqual([]);
    const first = 'saved' in accepted ? accepted.saved : null;
    const undone = decisions.revert(first!.id, 'ana');
    expect(undone).toEqual({ saved: expect.objectContaining({ action: 'reopen', reverts: first!.id, supersedes: first!.id }) });
    expect(reasons(id)).toEqual(['no-date']);
    // The first decision is no longer current: undoing it again would undo the reopening unseen.
    expect(decisions.revert(first!.id, 'bruno')).toEqual({ conflict: expect.objectContaining({ action: 'reopen' }) });
    // Undoing the reopening accepts again.
    const reopened = 'saved' in undone! ? undone.saved : null;
    expect(decisions.revert(reopened!.id, 'ana')).toEqual({ saved: expect.objectContaining({ action: 'accept', reverts: reopened!.id }) });
    expect(reasons(id)).toEqual([]);
    expect(decisions.history(id).map((decision) => `${decision.reason}:${decision.action}:${decision.author}`)).toEqual([
      'no-date:accept:ana',
      'no-date:reopen:ana',
      'low-confidence:accept:bruno',
      'no-date:accept:ana',
    ]);
    expect('saved' in page).toBe(true);
    expectCountsKept();
  });

  it('stays accepted through a re-ingest that reads the same, and comes back when a rescan reads otherwise', () => {
    const source = '/scans/rescanned.png';
    const pages = (second: string) => [{ text: 'página um', confidence: 70 }, { text: second, confidence: 72 }];
    const rivals = (day: string) => ({ dates: [{ iso: '1987-03-02', text: 'a', page: 1, main: true }, { iso: day, text: 'b', page: 2, main: false, rival: true }] });
    const id = add(pages('segunda pagina'), { documentType: null, personalData: true, taxNumbers: [{ kind: 'cpf', value: '39053344705', page: 1, personal: true }], ...rivals('1987-04-09') }, source);
    for (const [pageNo, reason] of [[1, 'low-confidence'], [2, 'low-confidence'], [null, 'no-type'], [null, 'several-dates'], [null, 'personal-data-unexpected']] as const) {
      expect('saved' in catalog.reviewDecisions().accept(id, pageNo, reason, 'ana')).toBe(true);
    }
    expect(reasons(id)).toEqual([]);
    // The same reading again (new settings, a new Acervo version): nothing comes back.
    add(pages('segunda pagina'), { documentType: null, personalData: true, taxNumbers: [{ kind: 'cpf', value: '39053344705', page: 1, personal: true }], ...rivals('1987-04-09') }, source);
    expect(reasons(id)).toEqual([]);
    // A rescan reads page 2, the rival date and the numbers otherwise; still no type, page 1 the same.
    add(pages('segunda página'), { documentType: null, personalData: true, taxNumbers: [{ kind: 'cpf', value: '11144477735', page: 1, personal: true }], ...rivals('1987-05-11') }, source);
    expect(reasons(id)).toEqual(['personal-data-unexpected', 'several-dates', 'low-confidence@2']);
    const back = catalog.review().details(list().filter((item) => item.documentId === id));
    expect(back.map((entry) => entry.acceptedBefore)).toEqual([expect.objectContaining({ by: 'ana' }), expect.objectContaining({ by: 'ana' }), expect.objectContaining({ by: 'ana' })]);
    // No decision holds a person's number, not even the one accepted.
    const db = new Database(file, { readonly: true });
    expect(JSON.stringify(db.prepare('SELECT * FROM review_decisions').all())).not.toMatch(/39053344705|11144477735/);
    db.close();
    expectCountsKept();
  });

  it('keeps decisions with the original\'s part when a re-ingest removes the part and makes it again', () => {
    const source = '/scans/lote.pdf';
    const part = (partNo: number): ConvertedDocument => ({ ...record([{}], { date: null, dates: [] }, source).documents[0]!.document, partNo });
    const batch = (count: number): ConvertedRecord => ({ ...record([{}], {}, source), documents: Array.from({ length: count }, (_, i) => ({ outputPath: `documents/lote-${i + 1}.pdf`, document: part(i + 1) })) });
    const [, second] = catalog.recordConverted(batch(2)).ids as [number, number];
    catalog.reviewDecisions().accept(second, null, 'no-date', 'ana');
    catalog.recordConverted(batch(1));
    const [, again] = catalog.recordConverted(batch(2)).ids as [number, number];
    expect(catalog.reviewDecisions().history(again).map((decision) => decision.author)).toEqual(['ana']);
    expect(reasons(again)).toEqual([]);
    expectCountsKept();
  });
});

describe('what each user may see, a page at a time', () => {
  function library(): number[] {
    const ids: number[] = [];
    for (const [collection, box] of [['Obras', '1'], ['Obras', '2'], ['Pessoal', '1'], ['Gabinete', '7'], [null, null]] as const) {
      for (let i = 0; i < 3; i += 1) ids.push(add([{ confidence: i === 0 ? 50 : 95 }, { confidence: 60 }], { collection, box, date: null, dates: [], documentType: i === 2 ? null : 'oficio', personalData: i === 1 }));
    }
    return ids;
  }

  it('leaves out restricted collections and, for those who may not see the numbers, personal-data items, in lists and counts alike', () => {
    library();
    const clerkLike: ReviewScope = { maySeeCollection: (collection) => collection !== 'Gabinete', personalData: false, personalDataCollections: ['Pessoal'] };
    const items = list({}, clerkLike);
    expect(items.some((item) => item.collection === 'Gabinete' || item.reason === 'personal-data-unexpected')).toBe(false);
    const overview = catalog.review().overview({}, clerkLike);
    expect(overview.total).toBe(items.length);
    expect(overview.reasons['personal-data-unexpected']).toBe(0);
    expect(overview.collections.map((entry) => entry.collection)).toEqual([null, 'Obras', 'Pessoal']);
    expect(list({ collection: 'Gabinete' }, clerkLike)).toEqual([]);
    expect(catalog.review().overview({ collection: 'Gabinete' }, clerkLike).total).toBe(0);
    // With the permission: the unexpected ones only (Pessoal expects them).
    const all = list();
    expect(all.filter((item) => item.reason === 'personal-data-unexpected').map((item) => item.collection)).toEqual([null, 'Gabinete', 'Obras', 'Obras']);
    expect(catalog.review().counts(['Pessoal'])).toEqual({ total: all.length, reasons: catalog.review().overview({}, EVERYONE).reasons });
    expect(catalog.review().overview({ collection: 'Obras' }, EVERYONE).boxes).toEqual([
      { box: '1', items: list({ collection: 'Obras', box: '1' }).length },
      { box: '2', items: list({ collection: 'Obras', box: '2' }).length },
    ]);
  });

  it('pages forward and back by keyset through every filter, seeing each item once, in the queue\'s order', () => {
    library();
    for (const filter of [{}, { collection: 'Obras' }, { collection: 'Obras', box: '2' }, { reason: 'low-confidence' as const }, { collection: 'Obras', reason: 'no-type' as const }]) {
      const whole = list(filter);
      expect(whole.length, JSON.stringify(filter)).toBeGreaterThan(1);
      const walked: ReviewItem[] = [];
      let page = catalog.review().list(filter, EVERYONE, { limit: 2 });
      expect(page.previous).toBeNull();
      walked.push(...page.items);
      while (page.next) {
        page = catalog.review().list(filter, EVERYONE, { limit: 2, after: page.next });
        walked.push(...page.items);
      }
      expect(walked).toEqual(whole);
      // And back from the end.
      const back: ReviewItem[] = [...page.items];
      while (page.previous) {
        page = catalog.review().list(filter, EVERYONE, { limit: 2, before: page.previous });
        back.unshift(...page.items);
      }
      expect(back).toEqual(whole);
      const order = whole.map((item) => [item.collection ?? '', item.box ?? '', item.documentId, item.pageNo ?? 0]);
      expect(order).toEqual([...order].sort(compare));
    }
    // A cursor not made by the queue starts from the beginning, as no cursor does.
    expect(catalog.review().list({}, EVERYONE, { limit: 3, after: 'bm90LWEtY3Vyc29y' }).items).toEqual(list().slice(0, 3));
  });

  it('reads every page of the queue along an index, never sorting, whatever the filter', () => {
    library();
    for (const filter of [{}, { collection: 'Obras' }, { collection: 'Obras', box: '2' }, { reason: 'low-confidence' as const }, { collection: 'Obras', reason: 'no-date' as const }, { collection: 'Obras', box: '1', reason: 'no-type' as const }]) {
      for (const after of [false, true]) {
        const plan = catalog.review().plan(filter, EVERYONE, after).join('\n');
        expect(plan, JSON.stringify(filter)).toMatch(/SEARCH review_items USING COVERING INDEX review_items_(in_order|by_reason)|SCAN review_items USING COVERING INDEX review_items_in_order/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});

function compare(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < a.length; i += 1) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

describe('catalog migration 14 (the review queue)', () => {
  it('lists what a catalog of before held, at once', () => {
    const old = path.join(folder, 'v13.sqlite');
    const db = new Database(old);
    db.pragma('foreign_keys = ON');
    for (const [v, sql] of MIGRATIONS.slice(0, 13).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }
    const now = '2026-01-01T00:00:00.000Z';
    db.prepare(`INSERT INTO documents (id, source_path, relative_path, status, output_path, title, collection, box, document_type, doc_date, personal_data, created_at, updated_at)
      VALUES (7, '/s/a.png', 'a.png', 'done', 'documents/a.pdf', 'Ofício', 'Obras', '3', NULL, '1990-01-02', 1, ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO pages (document_id, page_no, text, confidence, text_source, pdf_page) VALUES (7, 1, 'um', 62.5, 'ocr', 1), (7, 2, 'dois', 91, 'ocr', 2)`).run();
    db.close();
    const migrated = Catalog.open(old);
    try {
      expect(migrated.review().list({}, EVERYONE, { limit: 10 }).items.map((item) => `${item.reason}${item.pageNo ?? ''}`)).toEqual(['no-type', 'personal-data-unexpected', 'low-confidence1']);
      expect(migrated.review().counts([]).total).toBe(3);
    } finally {
      migrated.close();
    }
  });
});
