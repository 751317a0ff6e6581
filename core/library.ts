/**
 * A library folder: the catalog, the embedded search index, the searchable PDFs and a private
 * temporary folder (on the same file system, so finished files are renamed into place).
 *
 *     DIR/catalog.sqlite      the source of truth
 *     DIR/index/search.sqlite the embedded search index (rebuildable from the catalog)
 *     DIR/documents/...       one searchable PDF per original, mirroring the input folders
 *     DIR/tmp/                work in progress; never holds anything worth keeping
 *     DIR/access-log.sqlite   who searched, opened and downloaded what (append-only, hash-chained)
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from './errors.js';

export interface Library {
  root: string;
  catalogFile: string;
  indexFile: string;
  documentsDir: string;
  tempDir: string;
  /** The access log (core/access/access-log.ts): every search, view, download and sign-in, for LGPD accountability. */
  accessLogFile: string;
}

export function libraryAt(root: string): Library {
  const absolute = path.resolve(root);
  return {
    root: absolute,
    catalogFile: path.join(absolute, 'catalog.sqlite'),
    indexFile: path.join(absolute, 'index', 'search.sqlite'),
    documentsDir: path.join(absolute, 'documents'),
    tempDir: path.join(absolute, 'tmp'),
    accessLogFile: path.join(absolute, 'access-log.sqlite'),
  };
}

/** Creates the library's folders if needed and clears what crashed runs left in its temporary folder. */
export async function prepareLibrary(root: string): Promise<Library> {
  const library = libraryAt(root);
  try {
    await mkdir(library.documentsDir, { recursive: true });
    await mkdir(library.tempDir, { recursive: true });
    for (const entry of await readdir(library.tempDir)) {
      // `<pid>-…` is this machine's; queue workers on other machines keep their own `w-<host>-<pid>/`.
      if (!/^\d+-/.test(entry)) continue;
      if (!isAlive(Number(entry.split('-')[0]))) await rm(path.join(library.tempDir, entry), { force: true, recursive: true });
    }
  } catch (error) {
    throw new AppError('LIBRARY_UNUSABLE', `The library folder ${library.root} cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)}); check its permissions and free space.`, { cause: error });
  }
  return library;
}

/** A library that must already exist (for searching, status, re-indexing). */
export function existingLibrary(root: string): Library {
  const library = libraryAt(root);
  if (!existsSync(library.catalogFile)) {
    throw new AppError('LIBRARY_NOT_FOUND', `No Acervo library at ${library.root}: ingest documents into it first (acervo ingest <folder> --library ${root}).`);
  }
  return library;
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
