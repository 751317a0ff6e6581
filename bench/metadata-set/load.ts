/**
 * The metadata test set: records as municipal archives hold them (tests/fixtures/metadata-set/
 * records-*.yaml), each with the text of its page and what a person reads from it — title, type,
 * date, every date and every identifier. A malformed record is refused with its file and id, so a
 * typo in the truth never passes silently as a miss of the extractor.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** The project's root, from here or from the compiled copy in dist/. */
/** The folder holding package.json, from the sources (vitest) or from dist/ alike. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('metadata set: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const METADATA_SET_DIR = path.join(projectRoot(), 'tests', 'fixtures', 'metadata-set');

const ISO_DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** "kind value": "processo 4567-M/1985". */
const IDENTIFIER = z.string().regex(/^[a-z][a-z-]* \S+$/, 'an identifier as "<kind> <value>"');

const RECORD = z.strictObject({
  id: z.string().regex(/^(?:pt|es)-\d{3}$/, 'an id as pt-001 or es-001'),
  about: z.string().min(1),
  language: z.enum(['pt', 'es']),
  text: z.string().min(1),
  truth: z.strictObject({
    title: z.string().min(1).nullable(),
    type: z.string().regex(/^[a-z][a-z-]*$/).nullable(),
    date: ISO_DATE.nullable(),
    dates: z.array(ISO_DATE),
    identifiers: z.array(IDENTIFIER),
  }),
});

export type MetadataRecord = z.infer<typeof RECORD>;
export type MetadataTruth = MetadataRecord['truth'];

/** The records of one YAML file; `source` names it in errors. */
export function parseMetadataRecords(yamlText: string, source: string): MetadataRecord[] {
  const list: unknown = parse(yamlText);
  if (!Array.isArray(list)) throw new Error(`${source}: expected a list of records`);
  return list.map((item, index) => {
    const result = RECORD.safeParse(item);
    if (result.success) return result.data;
    const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : `record ${index + 1}`;
    const problem = result.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
    throw new Error(`${source} ${id}: ${problem}`);
  });
}

/** Every record of the set, in file order; ids must be unique across files. */
export function loadMetadataSet(dir = METADATA_SET_DIR): MetadataRecord[] {
  const files = readdirSync(dir).filter((name) => /^records-.*\.ya?ml$/.test(name)).sort();
  const records = files.flatMap((name) => parseMetadataRecords(readFileSync(path.join(dir, name), 'utf8'), name));
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id)) throw new Error(`metadata set: the id ${record.id} is used twice`);
    seen.add(record.id);
  }
  return records;
}
