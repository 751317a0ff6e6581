/**
 * The options several commands share, built in one place so that they read, parse and are
 * documented alike (`acervo <command> --help`, docs/reference/cli.md). A command adds only the
 * ones it takes; what is its own stays in its file.
 */
import { Option } from 'commander';
import { AppError } from '../core/errors.js';

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError('USAGE', `"${value}" is not a positive whole number.`);
  return n;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new AppError('USAGE', `"${value}" is not a number of seconds.`);
  return n;
}

export function parsePositiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('USAGE', `"${value}" is not a positive number of seconds.`);
  return n;
}

export function libraryOption(description = 'library folder'): Option {
  return new Option('-l, --library <dir>', description);
}

export function configOption(description = 'config file (default: ./acervo.yaml if present)'): Option {
  return new Option('-c, --config <file>', description);
}

export function jsonOption(description = 'print one JSON document on stdout'): Option {
  return new Option('--json', description);
}

export function waitLockOption(description = 'wait this long for another run on the library to finish (default: lock.waitSeconds, 0)'): Option {
  return new Option('--wait-lock <seconds>', description).argParser(parseSeconds);
}

export function langOption(): Option {
  return new Option('--lang <codes>', 'OCR languages, e.g. por+spa+eng');
}

export function jobsOption(inHand: 'documents' | 'files' = 'documents'): Option {
  return new Option('-j, --jobs <n>', `OCR workers, one per core by default; twice as many ${inHand} are kept in hand`).argParser(parsePositiveInt);
}

export function queueOption(description = 'OCR by `acervo worker` processes through this Redis server (redis://host:port); this process keeps the catalog and the index'): Option {
  return new Option('--queue <url>', description);
}

export function logFormatOption(): Option {
  return new Option('--log-format <format>', 'json: JSON log lines (with the run id) on stderr, for journald').choices(['text', 'json']).default('text');
}

export function logFileOption(): Option {
  return new Option('--log-file <file>', 'also write the JSON log lines to this file (rotated daily and by size: <name>.<n>.log; logging.*)');
}
