/**
 * Bulk changes in the catalog (issue 25, point 5), on a real SQLite catalog: a box's documents
 * found as shown (corrections laid over), a preview of what would change, one operation made of
 * ordinary per-field corrections (each in the document's history, each revertable alone), refused
 * whole when a field changed after the preview, and a revert that puts back what is still current
 * and reports what a later change superseded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, type ApplyResult, type BulkChange } from '../../core/catalog/catalog.js';
import { summarize } from '../../core/catalog/bulk-selection.js';
import type { DocumentMetadata } from '../../core/model.js';
import { convertedDocument, convertedRecord, machineMetadata } from '../helpers/converted-record.js';

let folder: string;
let catalog: Catalog;

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-bulk-'));
  catalog = Catalog.open(path.join(folder, 'catalog.sqlite'));
});
afterEach(() => {
  catalog.close();
  rmSync(folder, { recursive: true, force: true });
});

/** One converted one-page document, filed as the machine read it. */
function add(name: string, over: Partial<DocumentMetadata> = {}): number {
  const metadata = machineMetadata({ title: name.toUpperCase(), documentType: 'oficio', collection: 'Obras', year: 1987, box: '12', ...over });
  const document = convertedDocument([`texto de ${name}`], metadata, { outputSha256: `sha-${name}`, outputBytes: 100 });
  return catalog.recordConverted(convertedRecord(`/scans/${name}.png`, [document], { relativePath: `${name}.png`, sha256: name.padEnd(64, '0') })).ids[0]!;
}

const bulk = () => catalog.bulkChanges();
const applied = (result: ApplyResult): BulkChange => {
  if ('conflicts' in result) throw new Error(`conflicts: ${JSON.stringify(result.conflicts)}`);
  return result.change!;
};
const setOn = (ids: number[], values: Record<string, string | null>, author = 'bruno', seenUpTo = bulk().seenUpTo()) =>
  bulk().apply({ ids, values, author, selection: { kind: 'documents', ids }, seenUpTo, collections: [] });

describe('selecting a box', () => {
  it('finds a box’s documents as shown: moved in or out by a correction, not the same box number of another collection', () => {
    const [a, b, c, d] = [add('a'), add('b'), add('c', { box: '13' }), add('d', { collection: 'Gabinete' })];
    catalog.corrections().save(b, [{ field: 'box', value: '14', basedOn: null }], 'ana');
    catalog.corrections().save(c, [{ field: 'box', value: '12', basedOn: null }], 'ana');
    expect(bulk().boxDocumentIds('Obras', '12')).toEqual([a, c]);
    expect(bulk().boxDocumentIds('Gabinete', '12')).toEqual([d]);
    expect(bulk().boxes()).toEqual([
      { collection: 'Gabinete', box: '12', documents: 1 },
      { collection: 'Obras', box: '12', documents: 2 },
      { collection: 'Obras', box: '14', documents: 1 },
    ]);
    const none = add('e', { collection: null, box: null });
    expect(bulk().boxDocumentIds(null, null)).toEqual([none]);
  });
});

describe('previewing and applying', () => {
  it('previews what would change, field by field, and changes exactly that: one correction per field changed, in each history, searchable', () => {
    const ids = [add('a'), add('b', { series: 'Licenças' }), add('c', { series: 'Alvarás' })];
    const summary = summarize(bulk().documents(ids), { series: 'Alvarás', box: '12' });
    expect(summary).toMatchObject({
      documents: 3,
      changing: 2,
      fields: { series: { to: 'Alvarás', changing: 2, unchanged: 1, from: [{ value: 'Licenças', documents: 1 }, { value: null, documents: 1 }] }, box: { to: '12', changing: 0, unchanged: 3 } },
    });
    expect(summary.sample.map((entry) => [entry.document.id, entry.changes])).toEqual([
      [ids[0], { series: { from: null, to: 'Alvarás' } }],
      [ids[1], { series: { from: 'Licenças', to: 'Alvarás' } }],
    ]);
    const outboxBefore = catalog.pendingIndexUpdates(100).length;
    const change = applied(setOn(ids, { series: 'Alvarás', box: '12' }));
    expect(change).toMatchObject({ author: 'bruno', values: { series: 'Alvarás', box: '12' }, documents: 3, changed: 2, corrections: 2, current: 2, collections: ['Obras'], reverts: null, revertedBy: null });
    for (const id of ids) expect(catalog.getDocument(id)!.series).toBe('Alvarás');
    expect(catalog.machineDocument(ids[1]!)!.series).toBe('Licenças');
    const [history] = catalog.corrections().history(ids[1]!);
    expect(history).toMatchObject({ field: 'series', action: 'set', value: 'Alvarás', before: 'Licenças', machineValue: 'Licenças', author: 'bruno', bulkChange: change.id, supersededBy: null });
    expect(catalog.corrections().history(ids[2]!)).toEqual([]);
    // One index update per document changed, in the same transaction.
    expect(catalog.pendingIndexUpdates(100).length - outboxBefore).toBe(2);
    expect(bulk().pendingIndex(change.id)).toBe(2);
  });

  it('records nothing when nothing would change', () => {
    const ids = [add('a'), add('b')];
    expect(setOn(ids, { collection: 'Obras' })).toEqual({ change: null, corrections: 0 });
    expect(bulk().list(10)).toEqual([]);
  });

  it('moves documents to another collection: the catalog, the box lists and the collections follow, and the change names both collections', () => {
    const ids = [add('a'), add('b')];
    const change = applied(setOn(ids, { collection: 'Obras Públicas', box: '7' }));
    expect(change.collections).toEqual(['Obras', 'Obras Públicas']);
    expect(catalog.collections()).toEqual([{ collection: 'Obras Públicas', documents: 2 }]);
    expect(bulk().boxDocumentIds('Obras Públicas', '7')).toEqual(ids);
    expect(bulk().boxDocumentIds('Obras', '12')).toEqual([]);
  });

  it('refuses the whole change when a field to set was corrected after the preview, naming it, who and what it holds', () => {
    const ids = [add('a'), add('b'), add('c')];
    const seen = bulk().seenUpTo();
    // While Bruno looks at the preview, Ana corrects one document's series, another's title.
    const [anas] = (catalog.corrections().save(ids[1]!, [{ field: 'series', value: 'Da Ana', basedOn: null }], 'ana') as { saved: Array<{ id: number }> }).saved;
    catalog.corrections().save(ids[2]!, [{ field: 'title', value: 'Outro título', basedOn: null }], 'ana');
    const result = setOn(ids, { series: 'Do Bruno' }, 'bruno', seen);
    expect(result).toEqual({ conflicts: [{ documentId: ids[1], field: 'series', value: 'Da Ana', current: expect.objectContaining({ id: anas!.id, author: 'ana' }) }] });
    expect(ids.map((id) => catalog.getDocument(id)!.series)).toEqual([null, 'Da Ana', null]);
    expect(bulk().list(10)).toEqual([]);
    // Having seen hers (a new preview), his wins, over hers too.
    const change = applied(setOn(ids, { series: 'Do Bruno' }));
    expect(change.changed).toBe(3);
    expect(catalog.corrections().history(ids[1]!)[0]).toMatchObject({ value: 'Do Bruno', before: 'Da Ana', supersedes: anas!.id });
  });

  it('changes a box of thousands of documents in one transaction (npm run bench times ten thousand)', () => {
    for (let i = 0; i < 2_500; i++) add(`doc-${i}`, { box: i % 5 === 0 ? '13' : '12' });
    const ids = bulk().boxDocumentIds('Obras', '12');
    expect(ids).toHaveLength(2_000);
    const change = applied(setOn(ids, { series: 'Correspondência', documentType: 'memorando' }));
    expect(change).toMatchObject({ documents: 2_000, changed: 2_000, corrections: 4_000 });
    expect(bulk().pendingIndex(change.id)).toBe(2_000);
    expect(bulk().boxDocumentIds('Obras', '13').map((id) => catalog.getDocument(id)!.series)).not.toContain('Correspondência');
    const reverted = bulk().revert(change.id, 'ana', () => true)!;
    expect(reverted).toMatchObject({ reverted: 4_000, superseded: [], skipped: 0 });
    expect(catalog.getDocument(ids[1_999]!)).toMatchObject({ series: null, documentType: 'oficio' });
  });
});

describe('reverting', () => {
  it('puts back what each correction replaced, leaves what a later change superseded and says which, and a single revert of one of them works too', () => {
    const ids = [add('a', { series: 'Licenças' }), add('b'), add('c'), add('d')];
    catalog.corrections().save(ids[1]!, [{ field: 'series', value: 'Da Ana', basedOn: null }], 'ana');
    const change = applied(setOn(ids, { series: 'Alvarás', documentType: 'alvara' }));
    // Later: Ana corrects document c's series again; one of the bulk's corrections is reverted alone.
    const bulkC = catalog.corrections().current(ids[2]!).find((entry) => entry.field === 'series')!;
    const [later] = (catalog.corrections().save(ids[2]!, [{ field: 'series', value: 'Depois', basedOn: bulkC.id }], 'ana') as { saved: Array<{ id: number }> }).saved;
    const typeD = catalog.corrections().current(ids[3]!).find((entry) => entry.field === 'documentType')!;
    expect(catalog.corrections().revert(typeD.id, 'ana')).toHaveProperty('saved');
    expect(bulk().get(change.id)).toMatchObject({ corrections: 8, current: 6 });

    const result = bulk().revert(change.id, 'bruno', () => true)!;
    expect(result).toMatchObject({ reverted: 6, skipped: 0 });
    expect(result.superseded.map((entry) => [entry.documentId, entry.field, entry.value, entry.current?.author])).toEqual([
      [ids[2], 'series', 'Depois', 'ana'],
      [ids[3], 'documentType', 'oficio', 'ana'],
    ]);
    expect(later).toBeDefined();
    expect(ids.map((id) => catalog.getDocument(id)!.series)).toEqual(['Licenças', 'Da Ana', 'Depois', null]);
    expect(ids.map((id) => catalog.getDocument(id)!.documentType)).toEqual(['oficio', 'oficio', 'oficio', 'oficio']);
    // Back to the machine's value where the bulk change was the first correction: a "machine" change, not a copy of it.
    expect(catalog.corrections().history(ids[0]!)[0]).toMatchObject({ field: expect.any(String), action: 'machine', bulkChange: result.change!.id, author: 'bruno' });
    expect(catalog.corrections().history(ids[1]!).find((entry) => entry.field === 'series')).toMatchObject({ action: 'set', value: 'Da Ana', reverts: expect.any(Number) });
    expect(bulk().get(change.id)).toMatchObject({ current: 0, revertedBy: result.change!.id });
    expect(result.change).toMatchObject({ selection: { kind: 'revert', of: change.id }, reverts: change.id, values: {}, changed: 4, corrections: 6 });
    expect(bulk().list(10).map((entry) => entry.id)).toEqual([result.change!.id, change.id]);
    // Reverting again puts nothing back: everything is superseded (by the revert).
    expect(bulk().revert(change.id, 'bruno', () => true)).toMatchObject({ change: null, reverted: 0 });
    // The revert can itself be reverted: the bulk change's values come back.
    bulk().revert(result.change!.id, 'ana', () => true);
    expect(catalog.getDocument(ids[0]!)!.series).toBe('Alvarás');
  });

  it('leaves alone the documents its author may not change, and counts them', () => {
    const ids = [add('a'), add('b', { collection: 'Pessoal' })];
    const change = applied(setOn(ids, { series: 'Geral' }));
    const result = bulk().revert(change.id, 'bruno', (document) => document.fields.collection.value !== 'Pessoal')!;
    expect(result).toMatchObject({ reverted: 1, skipped: 1 });
    expect(catalog.getDocument(ids[1]!)!.series).toBe('Geral');
  });
});

describe('bulk changes and the review queue', () => {
  it('settles the "no type" items of the documents it sets a type on, and its revert brings them back', () => {
    const ids = [add('a', { documentType: null }), add('b', { documentType: null }), add('c', { documentType: null })];
    const noType = () => catalog.review().counts([]).reasons['no-type'] ?? 0;
    expect(noType()).toBe(3);
    const change = applied(setOn(ids.slice(0, 2), { documentType: 'alvara' }));
    expect(noType()).toBe(1);
    expect(catalog.review().holds(ids[2]!, null, 'no-type')).toBe(true);
    expect(catalog.review().holds(ids[0]!, null, 'no-type')).toBe(false);
    bulk().revert(change.id, 'bruno', () => true);
    expect(noType()).toBe(3);
  });
});
