/**
 * One writing run at a time on a library (ingest, watch, reindex, index --sync, retry): the
 * catalog, the index and the documents folder change together. Readers (search, status, serve)
 * need no lock.
 */
import path from 'node:path';
import { lockFolder, type FolderLock } from './folder-lock.js';

export const LIBRARY_LOCK_NAME = '.acervo-library.lock';

export function lockLibrary(root: string, holder: string, waitMs: number, onLost: (error: Error) => void, runId?: string): Promise<FolderLock> {
  return lockFolder({ folder: root, lockPath: path.join(root, LIBRARY_LOCK_NAME), holder, ...(runId ? { runId } : {}), code: 'LIBRARY_LOCKED', what: `the library ${root}`, waitMs, onLost });
}

/**
 * The lock for a moment's write (serve indexing a correction): taken only if free at once, and
 * marked brief, so a run starting meanwhile waits for it instead of refusing (folder-lock.ts).
 */
export function lockLibraryBriefly(root: string, holder: string): Promise<FolderLock> {
  return lockFolder({ folder: root, lockPath: path.join(root, LIBRARY_LOCK_NAME), holder, brief: true, code: 'LIBRARY_LOCKED', what: `the library ${root}`, waitMs: 0, onLost: () => {} });
}
