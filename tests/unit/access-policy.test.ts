import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../core/access/policy.js';
import { indexableChange, personalKeyWord, queryWithPersonalKeys } from '../../core/privacy/index-privacy.js';
import { parseQuery } from '../../core/search/query-parser.js';
import type { IndexedPage } from '../../core/search/search-backend.js';

const clerk = { name: 'ana', role: 'clerk', personalData: false };
const archivist = { name: 'bruno', role: 'archivist', personalData: false };
const doctor = { name: 'carla', role: 'clerk', personalData: true };
const admin = { name: 'root', role: 'admin', personalData: true };

describe('AccessPolicy', () => {
  const policy = new AccessPolicy(
    [
      { collection: 'Saude', users: ['carla'] },
      { collection: 'Pessoal', roles: ['archivist', 'admin'] },
    ],
    () => ['Saúde', 'SAUDE', 'Pessoal', 'Obras'],
  );

  it('hides a restricted collection, however it is spelled, from everyone the config does not name', () => {
    expect(policy.view(clerk).hiddenCollections().sort()).toEqual(['Pessoal', 'SAUDE', 'Saude', 'Saúde']);
    expect(policy.view(archivist).hiddenCollections().sort()).toEqual(['SAUDE', 'Saude', 'Saúde']);
    expect(policy.view(doctor).hiddenCollections().sort()).toEqual(['Pessoal']);
    expect(policy.view(admin).hiddenCollections().sort()).toEqual(['SAUDE', 'Saude', 'Saúde']);
    expect(policy.view(clerk).maySeeCollection('  saúde ')).toBe(false);
    expect(policy.view(clerk).maySeeCollection('Obras')).toBe(true);
    expect(policy.view(clerk).maySeeCollection(null)).toBe(true);
  });

  it('masks personal numbers for users without the permission, except one they typed whole', () => {
    const text = 'Requerente CPF 390.533.447-05 e CPF 111.444.777-35; processo 1873/1987.';
    const masked = policy.view(clerk).text(text);
    expect(masked).toBe('Requerente CPF ***.***.***-** e CPF ***.***.***-**; processo 1873/1987.');
    expect(masked).toHaveLength(text.length);
    expect(policy.view(clerk).text(text, queryWithPersonalKeys('39053344705').typed)).toBe('Requerente CPF 390.533.447-05 e CPF ***.***.***-**; processo 1873/1987.');
    expect(policy.view(doctor).text(text)).toBe(text);
  });
});

describe('the index and personal numbers', () => {
  const page = (text: string, title = 'Requerimento'): IndexedPage => ({
    documentId: 1, pageNo: 1, title, source: '/x.tif', pdf: 'x.pdf', collection: null, year: null, documentType: null, date: null, language: null, personalData: true, text, identifiers: 'processo 1873/1987',
  });

  it('gets masked text and title, and only a key for each number', () => {
    const change = indexableChange({ op: 'upsert', documentId: 1, pages: [page('CPF 390.533.447-05, RG 12.345.678-9 SSP/SP', 'Requerimento 390 533 447 05')] });
    const [indexed] = change.op === 'upsert' ? change.pages : [];
    expect(indexed!.text).not.toMatch(/[0-9]/);
    expect(indexed!.title).toBe('Requerimento *** *** *** **');
    const key = personalKeyWord('cpf:39053344705');
    expect(key).toMatch(/^qxj[a-p]{32}$/);
    expect(indexed!.identifiers).toContain('processo 1873/1987');
    expect(indexed!.identifiers.split(' | ').filter((part) => part === key)).toHaveLength(1);
  });

  it('searches a whole typed number as its key, exactly, and nothing else for a part', () => {
    const key = personalKeyWord('cpf:39053344705');
    const whole = parseQuery('alvará 390.533.447-05');
    expect(whole.clauses.map((clause) => clause.anyOf[0]!.tokens)).toEqual([['alvara'], [key]]);
    expect(whole.clauses[1]!.anyOf[0]).toMatchObject({ prefix: false, fuzzy: false });
    expect(whole.personalNumbers).toEqual(new Set(['cpf:39053344705']));
    expect(parseQuery('-390.533.447-05 alvará').clauses[0]).toMatchObject({ negated: true, anyOf: [{ tokens: [key] }] });
    const part = parseQuery('390 533 447');
    expect(part.personalNumbers.size).toBe(0);
    expect(part.clauses.flatMap((clause) => clause.anyOf.flatMap((term) => term.tokens))).toEqual(['390', '533', '447']);
    // A key typed as a word, or the start of one, reaches no other number's key.
    expect(parseQuery(`${key} alvará`).ignored).toEqual([key]);
    expect(parseQuery('qx').clauses[0]!.anyOf[0]).toMatchObject({ prefix: false, fuzzy: false });
  });
});
