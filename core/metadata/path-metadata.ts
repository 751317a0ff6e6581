/**
 * What a document's place in the archive says about it. Archives file scans as
 * `<collection>/<year>/<box>/...`: the first folder is the collection and a folder that is a
 * plausible year is the year.
 */
import path from 'node:path';

export interface PathMetadata {
  collection: string | null;
  year: number | null;
  /** The file name made readable, for a title when the text offers none. */
  fileTitle: string;
}

export function plausibleYear(value: number, now = new Date()): boolean {
  return Number.isInteger(value) && value >= 1800 && value <= now.getFullYear();
}

export function metadataFromPath(relativePath: string): PathMetadata {
  const parts = relativePath.split(/[\\/]+/).filter(Boolean);
  const fileName = parts.pop() ?? relativePath;
  const folders = parts;
  const yearFolder = folders.find((folder) => /^\d{4}$/.test(folder) && plausibleYear(Number(folder)));
  const collectionFolder = folders.find((folder) => folder !== yearFolder);
  return {
    collection: collectionFolder ?? null,
    year: yearFolder ? Number(yearFolder) : null,
    fileTitle: path.parse(fileName).name.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim() || fileName,
  };
}
