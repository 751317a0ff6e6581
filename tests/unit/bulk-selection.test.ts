/**
 * A bulk change's selection resolved to documents (web/bulk-selection.ts), on a real catalog and a
 * real embedded index: a search's results walked page after page of hits (more than one page of
 * the walk), each document once, restricted collections the user may not see left out; picked
 * documents the user may not open are "not found".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../core/access/policy.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { convertedDocument, convertedRecord, machineMetadata } from '../helpers/converted-record.js';
import { rebuildIndex } from '../../core/pipeline/rebuild-index.js';
import { openEmbeddedIndex } from '../../core/search/embedded/embedded-backend.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { documentsFor, resolveSelection } from '../../web/bulk-selection.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-bulk-selection-'));
let catalog: Catalog;
let backend: SearchBackend;
const policy = new AccessPolicy([{ collection: 'Pessoal', roles: ['admin'] }], () => ['Obras', 'Pessoal']);
const archivist = policy.view({ name: 'bruno', role: 'archivist', personalData: false });
const admin = policy.view({ name: 'joao', role: 'admin', personalData: false });

/** 700 documents of two pages in Obras (1,400 pages: more than one walk page), 5 in Pessoal. */
beforeAll(async () => {
  catalog = Catalog.open(path.join(folder, 'catalog.sqlite'));
  const add = (i: number, collection: string) => {
    const metadata = machineMetadata({ title: `Requerimento ${i}`, documentType: 'requerimento', collection, year: 1990, box: '1' });
    const document = convertedDocument([1, 2].map((pageNo) => `Requerimento ${i} folha ${pageNo} vistoria`), metadata, { outputSha256: `s${i}`, outputBytes: 1 });
    const record = convertedRecord(`/s/${i}.tif`, [document], { relativePath: `${collection}/${i}.tif`, mediaType: 'image/tiff', sha256: String(i).padStart(64, '0') });
    return catalog.recordConverted(record).ids[0]!;
  };
  for (let i = 1; i <= 700; i++) add(i, 'Obras');
  for (let i = 701; i <= 705; i++) add(i, 'Pessoal');
  backend = openEmbeddedIndex(path.join(folder, 'index.sqlite'));
  await rebuildIndex(catalog, backend);
});
afterAll(async () => {
  await backend?.close();
  catalog?.close();
  rmSync(folder, { recursive: true, force: true });
});

const search = (q: string, collection: string[] = []) => ({ search: { q, collection, type: [], yearFrom: null, yearTo: null } });

describe('a bulk change’s selection', () => {
  it('walks every page of a search’s results to its documents, each once, leaving out the collections the user may not see', async () => {
    const mine = await resolveSelection({ catalog, backend }, archivist, search('vistoria'));
    expect(mine.selection).toEqual({ kind: 'search', q: 'vistoria', collections: [], types: [], yearFrom: null, yearTo: null });
    expect(mine.ids).toHaveLength(700);
    expect(new Set(mine.ids).size).toBe(700);
    expect(documentsFor({ catalog }, archivist, mine.selection, mine.ids).map((document) => document.fields.collection.value)).not.toContain('Pessoal');
    expect((await resolveSelection({ catalog, backend }, admin, search('vistoria'))).ids).toHaveLength(705);
    expect((await resolveSelection({ catalog, backend }, admin, search('vistoria', ['Pessoal']))).ids).toHaveLength(5);
  });

  it('refuses a search with nothing to search for, and picked documents the user may not open', async () => {
    await expect(resolveSelection({ catalog, backend }, archivist, search('  '))).rejects.toMatchObject({ status: 400, code: 'INVALID_BULK_CHANGE' });
    await expect(resolveSelection({ catalog, backend }, archivist, search('-vistoria'))).rejects.toMatchObject({ status: 400, code: 'INVALID_BULK_CHANGE' });
    const picked = await resolveSelection({ catalog, backend }, archivist, { documents: [1, 703, 1] });
    expect(picked.ids).toEqual([1, 703]);
    expect(() => documentsFor({ catalog }, archivist, picked.selection, picked.ids)).toThrow(expect.objectContaining({ status: 404, message: 'No such document: 703.' }));
    expect(documentsFor({ catalog }, admin, picked.selection, picked.ids).map((document) => document.id)).toEqual([1, 703]);
  });
});
