/**
 * Tesseract language data comes from npm packages (@tesseract.js-data/<lang>): nothing is ever
 * downloaded at run time. tesseract.js reads every language from one folder (`langPath`), and its
 * in-memory alternative is broken in v7, so we gather links to the packages' files in a private
 * temporary folder.
 */
import { mkdtemp, rm, symlink, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Languages whose data packages Acervo depends on. */
export const SHIPPED_LANGUAGES = ['por', 'spa', 'eng', 'osd'] as const;

/** The integer-quantised LSTM models: the accuracy of tessdata_best at close to tessdata_fast's speed. */
const MODEL_FOLDER = '4.0.0_best_int';

const LANGUAGE_CODE = /^[a-z]{3}(_[a-z]+)?$/;

export function languageDataFile(language: string): string {
  if (!LANGUAGE_CODE.test(language)) {
    throw new AppError('LANGUAGE_UNAVAILABLE', `"${language}" is not a Tesseract language code (use codes such as por, spa, eng).`);
  }
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${language}/package.json`);
  } catch {
    throw new AppError(
      'LANGUAGE_UNAVAILABLE',
      `No language data for "${language}": install the npm package @tesseract.js-data/${language} (shipped: ${SHIPPED_LANGUAGES.join(', ')}).`,
    );
  }
  return path.join(path.dirname(packageJson), MODEL_FOLDER, `${language}.traineddata.gz`);
}

export interface LanguageFolder {
  path: string;
  remove(): Promise<void>;
}

/** A temporary folder holding links to the data of each language, for tesseract.js's `langPath`. */
export async function prepareLanguageFolder(languages: readonly string[]): Promise<LanguageFolder> {
  const files = languages.map((language) => ({ language, file: languageDataFile(language) }));
  const folder = await mkdtemp(path.join(os.tmpdir(), 'acervo-tessdata-'));
  try {
    for (const { language, file } of files) {
      await symlink(await realpath(file), path.join(folder, `${language}.traineddata.gz`));
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new AppError('DEPENDENCY_MISSING', `Cannot prepare the OCR language data: ${(error as Error).message}`, { cause: error });
  }
  return { path: folder, remove: () => rm(folder, { recursive: true, force: true }) };
}
