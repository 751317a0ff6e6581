/**
 * What a document's place in the archive says about it. Archives file scans as
 * `<collection>/<year>/<box>/...`. With a configured path template (see path-template.ts) the
 * folders are read by it; without one, the first folder is the collection and a folder that is a
 * plausible year is the year.
 */
import path from 'node:path';
import { parsePathTemplate, readPathTemplate } from './path-template.js';

export interface PathMetadata {
  collection: string | null;
  year: number | null;
  box: string | null;
  series: string | null;
  /** The file name made readable, for a title when the text offers none. */
  fileTitle: string;
}

export function plausibleYear(value: number, now = new Date()): boolean {
  return Number.isInteger(value) && value >= 1800 && value <= now.getFullYear();
}

export function metadataFromPath(relativePath: string, pathTemplate: string | null = null): PathMetadata {
  const parts = relativePath.split(/[\\/]+/).filter(Boolean);
  const fileName = parts.pop() ?? relativePath;
  const fileTitle = path.parse(fileName).name.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim() || fileName;
  if (pathTemplate) {
    const values = readPathTemplate(parsePathTemplate(pathTemplate), relativePath);
    const year = values.year && plausibleYear(Number(values.year)) ? Number(values.year) : null;
    return { collection: values.collection ?? null, year, box: values.box ?? null, series: values.series ?? null, fileTitle };
  }
  const folders = parts;
  const yearFolder = folders.find((folder) => /^\d{4}$/.test(folder) && plausibleYear(Number(folder)));
  const collectionFolder = folders.find((folder) => folder !== yearFolder);
  return {
    collection: collectionFolder ?? null,
    year: yearFolder ? Number(yearFolder) : null,
    box: null,
    series: null,
    fileTitle,
  };
}
