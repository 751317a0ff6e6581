/**
 * An inbox: a folder scanners and staff drop files into, with the folders where the watcher puts
 * originals after success (`processed/`) and failure (`failed/`). Those live inside the inbox by
 * default (same file system: a move is a rename) and are never taken as new files.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { AppError } from '../core/errors.js';
import type { SplitOptions } from '../core/model.js';
import { isIgnoredName } from '../core/pipeline/find-inputs.js';

export type WatchSettings = Config['watch'];

export interface Inbox {
  /** Absolute, symbolic links resolved. */
  root: string;
  processedDir: string;
  failedDir: string;
  /** Folders inside the inbox that are never taken from: processed/, failed/, a library kept there. */
  passOver: string[];
  /** How this inbox's batch scans are cut into documents, when not as the run's `split`. */
  split?: SplitOptions;
}

export async function openInbox(given: string, settings: Pick<WatchSettings, 'processedDir' | 'failedDir'>, libraryRoot: string, split?: SplitOptions): Promise<Inbox> {
  let root: string;
  try {
    root = await realpath(given);
    if (!(await stat(root)).isDirectory()) throw new AppError('INBOX_NOT_FOUND', `The inbox ${given} is not a folder.`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INBOX_NOT_FOUND', `The inbox folder ${given} does not exist or cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
  }
  const place = (dir: string) => (path.isAbsolute(dir) ? path.resolve(dir) : path.join(root, dir));
  const processedDir = place(settings.processedDir);
  const failedDir = place(settings.failedDir);
  const library = await realpath(libraryRoot).catch(() => path.resolve(libraryRoot));
  return { root, processedDir, failedDir, passOver: [processedDir, failedDir, library], ...(split ? { split } : {}) };
}

/** `file`'s path below the inbox, '/'-separated. */
export function relativeToInbox(inbox: Inbox, file: string): string {
  return path.relative(inbox.root, file).split(path.sep).join('/');
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Paths the watcher never takes: the processed and failed folders, and hidden, temporary and
 * system files or folders (`.part`, `~$x`, `.DS_Store`, `Thumbs.db`, the watcher's own lock).
 */
export function isPassedOver(inbox: Inbox, file: string): boolean {
  if (inbox.passOver.some((folder) => isInside(folder, file))) return true;
  if (!isInside(inbox.root, file)) return true;
  return relativeToInbox(inbox, file)
    .split('/')
    .some((part) => part !== '' && isIgnoredName(part));
}
