/**
 * The metadata test set (tests/fixtures/metadata-set): 150+ records as municipal archives hold them,
 * read from their text layer and scored field by field against what a person reads from them.
 */
import { describe, expect, it } from 'vitest';
import { printMetadataMisses, printMetadataScores } from '../../bench/metadata-set/bench.js';
import { loadMetadataSet, parseMetadataRecords } from '../../bench/metadata-set/load.js';
import { scoreMetadataSet, textLayerPages } from '../../bench/metadata-set/score.js';

const records = loadMetadataSet();

describe('the metadata test set', () => {
  it('holds at least 150 records, in Portuguese and Spanish', () => {
    expect(records.length).toBeGreaterThanOrEqual(150);
    expect(new Set(records.map((record) => record.language))).toEqual(new Set(['pt', 'es']));
  });

  it('is read from the text layer with an F1 of at least 0.95 on dates, identifiers and types', () => {
    const scores = scoreMetadataSet(records, textLayerPages(records));
    printMetadataScores('text layer', scores);
    printMetadataMisses(scores);
    for (const field of ['date', 'dates', 'identifiers', 'type'] as const) expect(scores.fields[field].f1, field).toBeGreaterThanOrEqual(0.95);
  });

  it('scores what is read against the truth: a wrong value is a false positive and a miss', () => {
    const [record] = parseMetadataRecords(
      `- id: pt-900
  about: a made-up decree
  language: pt
  text: "DECRETO Nº 12/1990\\nProcesso nº 7/90\\nSão João, 2 de abril de 1990."
  truth: { title: "Decreto nº 12/1990", type: decreto, date: 1990-04-03, dates: [1990-04-02], identifiers: ["decreto 12/1990", "lei 1/1990"] }
`,
      'inline',
    );
    const scores = scoreMetadataSet([record!], textLayerPages([record!]));
    expect(scores.fields.type).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, f1: 1 });
    expect(scores.fields.title.f1).toBe(1); // case and spacing aside
    expect(scores.fields.date).toMatchObject({ truePositives: 0, falsePositives: 1, falseNegatives: 1, f1: 0 });
    expect(scores.fields.identifiers).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1 });
    expect(scores.fields.identifiers.precision).toBe(0.5);
    expect(scores.misses).toContainEqual({ id: 'pt-900', field: 'identifiers', expected: ['lei 1/1990'], got: ['processo 7/1990'] });
    expect(scores.misses).toContainEqual({ id: 'pt-900', field: 'date', expected: ['1990-04-03'], got: ['1990-04-02'] });
  });

  it('refuses a malformed record, naming its file and id', () => {
    const record = (truth: string) => `- id: es-901\n  about: x\n  language: es\n  text: "ACTA Nº 1"\n  truth: ${truth}\n`;
    expect(() => parseMetadataRecords(record('{ title: null, type: ata, date: 15/05/1987, dates: [], identifiers: [] }'), 'records-es-9.yaml')).toThrow(/records-es-9\.yaml es-901: truth\.date: a date as YYYY-MM-DD/);
    expect(() => parseMetadataRecords(record('{ title: null, type: ata, date: null, dates: [] }'), 'records-es-9.yaml')).toThrow(/es-901: truth\.identifiers/);
    expect(() => parseMetadataRecords(record('{ title: null, type: ata, date: null, dates: [], identifiers: ["4567/1985"] }'), 'f.yaml')).toThrow(/an identifier as "<kind> <value>"/);
    expect(() => parseMetadataRecords('id: es-902', 'f.yaml')).toThrow(/f\.yaml: expected a list of records/);
  });
});
