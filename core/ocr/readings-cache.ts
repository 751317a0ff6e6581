/**
 * Readings kept by the content of the image read: an engine whose answers for an image it has
 * been handed before come from a folder instead of from Tesseract. The same cleaned image, read by
 * the same engine (its version, language data, dictionaries and settings: `identity`), always
 * reads the same, so a batch run again (`ingest --force` after a metadata rule changed, a library
 * rebuilt from the same scans) reads no page twice. A command whose pages were all read before
 * never starts Tesseract or loads a dictionary (engine-on-first-use.ts, accent-restoring-engine.ts
 * sit under this).
 *
 * Off unless `ocr.readingsCache` names a folder: a page's reading is 20–100 KB of words and boxes,
 * too much to keep for a million pages by default. Nothing kept here is trusted blindly: an entry
 * that does not parse is read again and replaced; a failed reading is never kept.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OcrPage } from '../model.js';
import type { OcrEngine, OcrInput, PageOrientation } from './ocr-engine.js';
import { READING_FILTER_RULES } from './noise-lines.js';
import { WORD_REPAIR_RULES } from './word-parts.js';

export function withReadingsCache(engine: OcrEngine, folder: string, identity: string): OcrEngine {
  const cached = async <T>(kind: string, input: OcrInput, read: () => Promise<T>): Promise<T> => {
    const key = createHash('sha256').update(`${identity}\n${kind}\n${input.dpi}\n${input.removeNoise ? 'remove-noise\n' : ''}`).update(input.png).digest('hex');
    const file = path.join(folder, key.slice(0, 2), `${key}.json`);
    const kept = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { answer: T })
      .catch(() => null);
    if (kept && typeof kept === 'object' && 'answer' in kept) return kept.answer;
    const answer = await read();
    await keep(file, { answer }).catch(() => {
      // A folder that cannot be written (full, read-only) costs only the next reading of this image.
    });
    return answer;
  };
  return {
    get languages() {
      return engine.languages;
    },
    get concurrency() {
      return engine.concurrency;
    },
    get counters() {
      return engine.counters;
    },
    recognize: (input) =>
      cached<OcrPage>('recognize', input, async () => {
        // The time the engine took belongs to that run: a page taken from here took none.
        const { durationMs: _took, ...page } = await engine.recognize(input);
        return page;
      }),
    detectOrientation: (input) => cached<PageOrientation | null>('orientation', input, () => engine.detectOrientation(input)),
    readingConfidence: (input) => cached<number | null>('reading-confidence', input, () => engine.readingConfidence(input)),
    close: () => engine.close(),
  };
}

/** Written whole or not at all: processes sharing the folder never read half an entry. */
async function keep(file: string, entry: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(partial, JSON.stringify(entry));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** A package's version from its package.json, looked up the node_modules folders as Node does. */
function versionOf(name: string): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      if (path.dirname(dir) === dir) return 'absent';
    }
  }
}

/**
 * What decides a reading besides the image: Acervo's version (its OCR settings), the languages in
 * their order, what the engine leaves out (noise-lines.ts), accent restoring and the revision of
 * the dictionary's repairs, and the versions of tesseract.js, of each
 * language's data and of the dictionaries. Any of them changing makes every earlier entry unused.
 */
export function readingIdentity(acervoVersion: string, languages: readonly string[], restoreAccents: boolean): string {
  const packages = ['tesseract.js', 'tesseract.js-core', ...languages.map((l) => `@tesseract.js-data/${l}`), '@tesseract.js-data/osd'];
  if (restoreAccents) packages.push('hunspell-asm', 'dictionary-pt', 'dictionary-es', 'dictionary-en');
  const wordRepairRules = restoreAccents ? WORD_REPAIR_RULES : null;
  return JSON.stringify({ acervo: acervoVersion, languages, readingFilter: READING_FILTER_RULES, restoreAccents, wordRepairRules, packages: packages.map((name) => `${name}@${versionOf(name)}`) });
}
