/**
 * PDFs under LIBRARY/documents/ that no catalog row owns: put there by hand, left by an old
 * library, or restored from a backup of another. Only `.pdf` files count (case aside); what
 * else lies there is not Acervo's.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import type { Library } from '../library.js';

/** Paths relative to the library, with forward slashes, as the catalog writes `output_path`. */
export async function findUnexpectedPdfs(library: Library, catalog: Catalog): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(library.documentsDir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pdfs = entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.pdf'))
    .map((entry) => path.relative(library.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  const owned = catalog.ownedOutputPaths();
  const candidates = pdfs.filter((file) => !owned.has(file));
  if (candidates.length === 0) return [];
  // A writer may have renamed a new PDF into place just before recording it: ask the catalog again.
  const ownedNow = catalog.ownedOutputPaths();
  return candidates.filter((file) => !ownedNow.has(file)).sort();
}
