/**
 * The environment variables Acervo reads, each as a setting of the config schema: this table is
 * the only place that reads ACERVO_* settings (secrets are read where the config names their
 * variable: `readSecret`). A value is parsed here and validated by the schema like a file's, and
 * a wrong one is reported with the variable's name, not only the setting's.
 */
export type EnvironmentKind = 'string' | 'number' | 'boolean' | 'languages';

export interface EnvironmentSetting {
  variable: string;
  /** The setting it sets, as a path in the config ("ocr.jobs"). */
  setting: string;
  kind: EnvironmentKind;
}

export const ENVIRONMENT: readonly EnvironmentSetting[] = [
  { variable: 'ACERVO_LIBRARY', setting: 'library', kind: 'string' },
  { variable: 'ACERVO_LANG', setting: 'ocr.languages', kind: 'languages' },
  { variable: 'ACERVO_JOBS', setting: 'ocr.jobs', kind: 'number' },
  { variable: 'ACERVO_FORCE_OCR', setting: 'ocr.forceOcr', kind: 'boolean' },
  { variable: 'ACERVO_OCR_READINGS_CACHE', setting: 'ocr.readingsCache', kind: 'string' },
  { variable: 'ACERVO_SEARCH_BACKEND', setting: 'search.backend', kind: 'string' },
  { variable: 'ACERVO_MEILISEARCH_HOST', setting: 'search.meilisearch.host', kind: 'string' },
  { variable: 'ACERVO_QUEUE', setting: 'queue.url', kind: 'string' },
  { variable: 'ACERVO_PDF_WHOLE_LOAD_MB', setting: 'input.pdfWholeLoadMb', kind: 'number' },
];

/** The variable that names the config file (read before the file, so not a setting). */
export const CONFIG_FILE_VARIABLE = 'ACERVO_CONFIG';

/** "por+spa", "por,spa" or "por spa". */
export function splitLanguages(value: string): string[] {
  return value.split(/[+,\s]+/).filter(Boolean);
}

function parse(kind: EnvironmentKind, value: string): unknown {
  switch (kind) {
    case 'string':
      return value;
    // Left as text when it is not a number, so the schema's message names what was expected.
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    case 'boolean':
      return /^(1|true|yes|on)$/i.test(value) ? true : /^(0|false|no|off)$/i.test(value) ? false : value;
    case 'languages':
      return splitLanguages(value);
  }
}

export interface EnvironmentLayer {
  /** The settings, nested as in a config file. */
  values: Record<string, unknown>;
  /** Which variable set each setting path, for messages. */
  sources: Map<string, string>;
}

export function fromEnvironment(env: NodeJS.ProcessEnv): EnvironmentLayer {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const { variable, setting, kind } of ENVIRONMENT) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const keys = setting.split('.');
    let section = values;
    for (const key of keys.slice(0, -1)) section = (section[key] ??= {}) as Record<string, unknown>;
    section[keys.at(-1)!] = parse(kind, value);
    sources.set(setting, variable);
  }
  return { values, sources };
}

/** A secret (an API key, the session secret) from the variable the config names for it; null when unset. */
export function readSecret(variable: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return env[variable] || null;
}
