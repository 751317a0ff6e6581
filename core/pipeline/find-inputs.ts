/**
 * The files a batch covers: files as given, folders walked recursively in a stable order.
 * Hidden, temporary and system files that scanners and desktops leave around are passed over;
 * everything else is tried, so a stray non-scan is reported, not silently ignored.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';

export interface InputFile {
  /** Canonical absolute path. */
  source: string;
  /** Relative to the folder given on the command line (the file name for files given directly), '/'-separated. */
  relativePath: string;
}

export interface UnreachableInput {
  path: string;
  error: AppError;
}

const IGNORED_NAMES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);
const IGNORED_SUFFIXES = ['.part', '.partial', '.tmp', '.crdownload', '.download', '~'];

export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('.') || lower.startsWith('~$') || IGNORED_NAMES.has(lower) || IGNORED_SUFFIXES.some((s) => lower.endsWith(s));
}

/**
 * `skipFolders` are never walked into: the library itself, when it lies inside an input folder,
 * must not be ingested into itself.
 */
export async function findInputs(paths: readonly string[], skipFolders: readonly string[] = []): Promise<{ files: InputFile[]; unreachable: UnreachableInput[] }> {
  const skip = new Set<string>();
  for (const folder of skipFolders) skip.add(await realpath(folder).catch(() => path.resolve(folder)));
  const files: InputFile[] = [];
  const unreachable: UnreachableInput[] = [];
  const seen = new Set<string>();
  const add = (source: string, relativePath: string) => {
    if (seen.has(source)) return;
    seen.add(source);
    files.push({ source, relativePath });
  };

  for (const given of paths) {
    let real: string;
    try {
      real = await realpath(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const appError =
        code === 'ENOENT'
          ? new AppError('INPUT_NOT_FOUND', `${given} does not exist; check the path.`, { cause: error })
          : new AppError('INPUT_UNREADABLE', `${given} cannot be read (${code ?? String(error)}).`, { cause: error });
      unreachable.push({ path: path.resolve(given), error: appError });
      continue;
    }
    const info = await stat(real);
    if (info.isDirectory()) {
      await walk(real, real, new Set([real, ...skip]), add, unreachable);
    } else {
      add(real, path.basename(given));
    }
  }
  return { files, unreachable };
}

async function walk(
  root: string,
  folder: string,
  ancestors: Set<string>,
  add: (source: string, relativePath: string) => void,
  unreachable: UnreachableInput[],
): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    unreachable.push({ path: folder, error: new AppError('INPUT_UNREADABLE', `The folder ${folder} cannot be read (${code ?? String(error)}).`, { cause: error }) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue;
    const full = path.join(folder, entry.name);
    let target: string;
    let isDirectory: boolean;
    try {
      target = await realpath(full);
      isDirectory = entry.isSymbolicLink() ? (await stat(target)).isDirectory() : entry.isDirectory();
    } catch {
      continue; // a dangling link is not an input
    }
    const relativePath = path.relative(root, full).split(path.sep).join('/');
    if (isDirectory) {
      if (ancestors.has(target)) continue; // a link back up the tree, or a folder to skip
      await walk(root, full, new Set([...ancestors, target]), add, unreachable);
    } else {
      add(target, relativePath);
    }
  }
}
