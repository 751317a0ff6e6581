/**
 * Where an inbox original goes after it is settled, and the move itself. Within one file system
 * a move is a rename (atomic). Across file systems (a processed folder on another disk) the file
 * is copied next to its destination under a fixed temporary name, flushed, renamed into place,
 * and only then removed from the inbox: a crash at any point leaves the original in the inbox or
 * in its destination, whole, and the next run finishes the move.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const PARTIAL_SUFFIX = '.acervo-partial';

export async function moveOriginal(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await rename(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const partial = `${to}${PARTIAL_SUFFIX}`;
  await rm(partial, { force: true });
  await copyFile(from, partial, constants.COPYFILE_EXCL);
  const handle = await open(partial, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, to);
  await rm(from, { force: true });
}

/**
 * `<folder>/<relative path>`, or `<name> (2).<ext>`… when a file is there already or the catalog
 * or a claim in flight means to put one there (a scanner that reuses its file names).
 */
export async function freeDestination(folder: string, relativePath: string, isTaken: (file: string) => boolean): Promise<string> {
  const parsed = path.parse(path.join(folder, ...relativePath.split('/')));
  for (let n = 1; ; n++) {
    const candidate = path.join(parsed.dir, `${parsed.name}${n === 1 ? '' : ` (${n})`}${parsed.ext}`);
    if (!isTaken(candidate) && !(await exists(candidate))) return candidate;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
