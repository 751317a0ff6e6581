/**
 * Loads the configuration: defaults < file < environment < flags.
 *
 * The file is `--config FILE`, else $ACERVO_CONFIG, else ./acervo.yaml if present. The
 * environment variables and the settings they set are listed in environment.ts. Every problem
 * is reported at once, in one line: an operator fixes them all in one go.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';
import { CONFIG_FILE_VARIABLE, fromEnvironment } from './environment.js';
import { ConfigSchema, type Config, type ConfigInput } from './schema.js';

export { splitLanguages } from './environment.js';

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

/** The config file a command reads: --config, else $ACERVO_CONFIG, else ./acervo.yaml; `explicit` when named. */
export function configFile(options: Pick<LoadConfigOptions, 'file' | 'env' | 'cwd'> = {}): { file: string; explicit: boolean } {
  const env = options.env ?? process.env;
  const named = options.file ?? env[CONFIG_FILE_VARIABLE];
  return { file: path.resolve(options.cwd ?? process.cwd(), named ?? DEFAULT_CONFIG_FILE), explicit: named !== undefined };
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const { file, explicit } = configFile(options);
  const environment = fromEnvironment(options.env ?? process.env);
  const merged = merge(readConfigFile(file, explicit), environment.values, options.flags);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.join('.') || '(top level)';
      const variable = environment.sources.get(where);
      return `${where}${variable ? ` (from ${variable})` : ''}: ${issue.message}`;
    });
    throw new AppError('CONFIG_INVALID', `Invalid setting${problems.length > 1 ? `s (${problems.length}):` : ''} ${problems.join('; ')}.`);
  }
  return result.data;
}
