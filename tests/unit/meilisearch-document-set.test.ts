/**
 * A prepared document set (core/search/document-set.ts) as Meilisearch filters (issue 26): the ids
 * when few, else the owner's rule of names with short lists of ids, else the ids again (exact);
 * never a filter that grows with the set when the rule can say it. Pinned on the strings, and on
 * the body the adapter sends to a server that answers as Meilisearch does (recorded-meilisearch.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentSetIds, documentSetOfBits, inDocumentSet, makeDocumentSet, markDocument, withRule, type DocumentRule } from '../../core/search/document-set.js';
import { openMeilisearchBackend } from '../../core/search/meilisearch-backend.js';
import { documentSetClauses, filterExpression, MAX_LISTED_IDS, meilisearchName, ruleUsable } from '../../core/search/meilisearch-filters.js';
import { RecordedMeilisearch } from '../helpers/recorded-meilisearch.js';

const rule = (over: Partial<DocumentRule> = {}): DocumentRule => ({
  collections: ['Leis', 'leis'],
  documentTypes: ['decreto'],
  excludeCollections: ['Saúde'],
  otherCollections: ['Obras', 'Arquivo "Geral"'],
  otherTypes: ['lei', 'oficio'],
  exceptIds: [8, 9],
  alsoIds: [],
  ...over,
});

describe('a document set', () => {
  it('holds its ids as bits on shared memory, counted once, listed in order', () => {
    const set = makeDocumentSet([5, 1, 64, 5, 31, 32]);
    expect(set.size).toBe(5);
    expect(set.bits.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(documentSetIds(set)).toEqual([1, 5, 31, 32, 64]);
    expect([0, 1, 2, 31, 32, 33, 64, 65, 1_000_000, -1].filter((id) => inDocumentSet(set, id))).toEqual([1, 31, 32, 64]);
    expect(makeDocumentSet([]).size).toBe(0);
    expect(makeDocumentSet([]).bits.length).toBe(0);
    expect(makeDocumentSet([1]).key).not.toBe(makeDocumentSet([1]).key);
    expect(withRule(set, rule()).key).toBe(set.key);
  });

  it('is made from bits an owner keeps, marked one document at a time', () => {
    let bits = new Uint32Array(0);
    let size = 0;
    for (const [id, member] of [[3, true], [100, true], [3, true], [7, false], [5000, false], [64, true], [100, false]] as const) {
      const marked = markDocument(bits, id, member);
      bits = marked.bits;
      size += marked.moved;
    }
    expect(size).toBe(2);
    const set = documentSetOfBits(bits, size);
    expect(documentSetIds(set)).toEqual([3, 64]);
    // Copied: the owner's next marks do not reach a set handed out.
    markDocument(bits, 10, true);
    expect(documentSetIds(set)).toEqual([3, 64]);
    expect(set.bits.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(set.bits.length).toBe(3);
  });
});

describe('a document set as Meilisearch filters', () => {
  it('lists the ids of a small set; an empty set matches nothing', () => {
    expect(filterExpression({ documentSet: makeDocumentSet([3, 1, 2], rule()) })).toEqual(['documentId IN [1, 2, 3]']);
    expect(filterExpression({ documentSet: makeDocumentSet([]) })).toEqual(['documentId IN []']);
  });

  it('writes a big set as its rule: only listed names let a document in, its short lists by id', () => {
    const set = makeDocumentSet([1, 2, 3, 4], rule());
    expect(documentSetClauses(set, 2)).toEqual([
      'collection IN ["Leis", "leis"] OR (documentType IN ["decreto"] AND (collection IN ["Obras", "Arquivo \\"Geral\\""] OR collection NOT EXISTS))',
      'documentId NOT IN [8, 9]',
    ]);
    expect(documentSetClauses(withRule(set, rule({ exceptIds: [], alsoIds: [12, 40] })), 2)).toEqual([
      'collection IN ["Leis", "leis"] OR (documentType IN ["decreto"] AND (collection IN ["Obras", "Arquivo \\"Geral\\""] OR collection NOT EXISTS)) OR documentId IN [12, 40]',
    ]);
    // With the other filters, each clause ANDed (an array of clauses).
    expect(filterExpression({ documentSet: set, documentTypes: ['decreto'], yearFrom: 1990 }, { listedIds: 2 })).toEqual([
      'collection IN ["Leis", "leis"] OR (documentType IN ["decreto"] AND (collection IN ["Obras", "Arquivo \\"Geral\\""] OR collection NOT EXISTS))',
      'documentId NOT IN [8, 9]',
      'documentType IN ["decreto"]',
      'year >= 1990',
    ]);
  });

  it('keeps a million public documents to a filter of a few hundred bytes, where the ids made megabytes', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => i + 1);
    const set = makeDocumentSet(ids, rule({ exceptIds: Array.from({ length: 300 }, (_, i) => 2_000_000 + i) }));
    const bounded = filterExpression({ documentSet: set }).join(' AND ');
    expect(bounded.length).toBeLessThan(3_000);
    expect(filterExpression({ documentIds: ids }).join('').length).toBeGreaterThan(6_000_000);
  });

  it('lists the ids, exact, when the rule cannot say the set: none, too many ids beside it, names Meilisearch would mix, a name it cannot write', () => {
    const listed = (over: Partial<DocumentRule> | null) => documentSetClauses(makeDocumentSet([1, 2, 3, 4], over === null ? null : rule(over)), 2);
    const ids = ['documentId IN [1, 2, 3, 4]'];
    expect(listed(null)).toEqual(ids);
    expect(listed({ exceptIds: [7, 8], alsoIds: [9] })).toEqual(ids);
    // Meilisearch compares lower-cased (and NFKD): "OBRAS" is "Obras" to it, which lets documents in by type only.
    expect(listed({ otherCollections: ['LEIS'] })).toEqual(ids);
    expect(listed({ excludeCollections: ['Obras'.toUpperCase()] })).toEqual(ids);
    expect(listed({ otherTypes: ['Decreto'] })).toEqual(ids);
    expect(listed({ collections: ['Fundo\\'] })).toEqual(ids);
    expect(listed({ exceptIds: [1.5] })).toEqual(ids);
  });

  it('compares names as Meilisearch does: case and compatibility forms aside, accents kept', () => {
    expect(meilisearchName(' Obras ')).toBe(meilisearchName('OBRAS'));
    expect(meilisearchName('ｏｂｒａｓ')).toBe(meilisearchName('obras'));
    expect(meilisearchName('Saúde')).not.toBe(meilisearchName('Saude'));
    expect(ruleUsable(rule())).toBe(true);
    expect(ruleUsable(rule({ excludeCollections: ['Saúde'], otherCollections: ['Saude'] }))).toBe(true);
    expect(ruleUsable(rule({ excludeCollections: ['Saúde'], otherCollections: ['SAÚDE'] }))).toBe(false);
    // Names alike in their first few hundred bytes are one to Meilisearch (it keeps no more of a facet value).
    const long = 'Secretaria Municipal de Obras, '.repeat(20);
    expect(ruleUsable(rule({ collections: [`${long}A`], otherCollections: [`${long}B`] }))).toBe(false);
  });

  it(`refuses what is not a document set (a filter from a caller's JSON)`, () => {
    const fake = { key: 'x', size: 2, bits: [3], rule: null } as never;
    expect(() => filterExpression({ documentSet: fake })).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(MAX_LISTED_IDS).toBeLessThanOrEqual(10_000);
  });
});

describe('the Meilisearch adapter with a document set', () => {
  let server: RecordedMeilisearch;
  beforeEach(async () => {
    server = await new RecordedMeilisearch().start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends the bounded filter in the search body, for a set of a million', async () => {
    const backend = openMeilisearchBackend({ host: server.url, index: 'acervo', apiKey: null, searchKey: null, batchSize: 1000, taskTimeoutMs: 5000, requestTimeoutMs: 5000 });
    try {
      const set = makeDocumentSet(Array.from({ length: 1_000_000 }, (_, i) => i + 1), rule());
      await backend.search({ text: 'decreto', limit: 20, offset: 0, filters: { documentSet: set } });
      const [search] = server.requestsTo('POST', /^\/indexes\/acervo\/search$/);
      expect(search!.body.filter).toEqual(documentSetClauses(set, MAX_LISTED_IDS));
      expect(JSON.stringify(search!.body).length).toBeLessThan(5_000);
    } finally {
      await backend.close();
    }
  });
});
