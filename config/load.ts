/**
 * Loads the configuration: defaults < file < environment < flags.
 *
 * The file is `--config FILE`, else $ACERVO_CONFIG, else ./acervo.yaml if present.
 * Environment: ACERVO_LIBRARY, ACERVO_LANG (por+spa), ACERVO_JOBS, ACERVO_FORCE_OCR (1/true),
 * ACERVO_SEARCH_BACKEND (embedded|meilisearch), ACERVO_MEILISEARCH_HOST, ACERVO_QUEUE (redis://…).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';
import { ConfigSchema, type Config, type ConfigInput } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'acervo.yaml';

export interface LoadConfigOptions {
  /** --config */
  file?: string;
  /** Values from command-line flags. */
  flags?: ConfigInput;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Later layers win; nested sections merge key by key; undefined never overrides. */
function merge(...layers: unknown[]): Plain {
  const out: Plain = {};
  for (const layer of layers) {
    if (!isPlain(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      out[key] = isPlain(value) && isPlain(out[key]) ? merge(out[key], value) : value;
    }
  }
  return out;
}

function fromEnvironment(env: NodeJS.ProcessEnv): ConfigInput {
  const ocr: Plain = {};
  if (env.ACERVO_LANG) ocr.languages = splitLanguages(env.ACERVO_LANG);
  if (env.ACERVO_JOBS) ocr.jobs = Number(env.ACERVO_JOBS);
  if (env.ACERVO_FORCE_OCR) ocr.forceOcr = /^(1|true|yes)$/i.test(env.ACERVO_FORCE_OCR);
  const search: Plain = {};
  if (env.ACERVO_SEARCH_BACKEND) search.backend = env.ACERVO_SEARCH_BACKEND;
  if (env.ACERVO_MEILISEARCH_HOST) search.meilisearch = { host: env.ACERVO_MEILISEARCH_HOST };
  return { ...(env.ACERVO_LIBRARY ? { library: env.ACERVO_LIBRARY } : {}), ...(env.ACERVO_QUEUE ? { queue: { url: env.ACERVO_QUEUE } } : {}), ocr, search } as ConfigInput;
}

/** "por+spa", "por,spa" or "por spa". */
export function splitLanguages(value: string): string[] {
  return value.split(/[+,\s]+/).filter(Boolean);
}

function readConfigFile(file: string, explicit: boolean): Plain {
  if (!existsSync(file)) {
    if (explicit) throw new AppError('CONFIG_NOT_FOUND', `Config file ${file} does not exist.`);
    return {};
  }
  let parsed: unknown;
  try {
    // The YAML parser is loaded only when there is a file to read.
    parsed = (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `Config file ${file} is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlain(parsed)) throw new AppError('CONFIG_INVALID', `Config file ${file} must hold a mapping of settings.`);
  // Paths in a file are relative to the file, not to wherever acervo was started.
  const here = path.dirname(file);
  if (typeof parsed.library === 'string') parsed.library = path.resolve(here, parsed.library);
  const logging = parsed.logging;
  if (isPlain(logging) && typeof logging.file === 'string') logging.file = path.resolve(here, logging.file);
  const metadata = parsed.metadata;
  if (isPlain(metadata) && Array.isArray(metadata.inventories)) {
    metadata.inventories = metadata.inventories.map((inventory) => (typeof inventory === 'string' ? path.resolve(here, inventory) : inventory));
  }
  const watch = parsed.watch;
  if (isPlain(watch)) {
    if (Array.isArray(watch.inboxes)) watch.inboxes = watch.inboxes.map((inbox) => (typeof inbox === 'string' ? path.resolve(here, inbox) : inbox && typeof inbox === 'object' && typeof (inbox as { path?: unknown }).path === 'string' ? { ...inbox, path: path.resolve(here, (inbox as { path: string }).path) } : inbox));
    if (typeof watch.logFile === 'string') watch.logFile = path.resolve(here, watch.logFile);
  }
  return parsed;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.ACERVO_CONFIG;
  const file = path.resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  const merged = merge(readConfigFile(file, explicit !== undefined), fromEnvironment(env), options.flags);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join('.') || '(top level)';
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
    throw new AppError('CONFIG_INVALID', `Invalid setting ${where}: ${issue.message}${more}.`);
  }
  return result.data;
}
