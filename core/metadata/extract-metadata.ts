/**
 * The metadata stage: title, type, collection, year, date, language and personal data, from the
 * folder path and the text. The path wins where it speaks (archivists filed it so); the text
 * fills the gaps.
 */
import type { DocumentMetadata } from '../model.js';
import { findDates } from './dates.js';
import { documentTypeOfLine } from './document-type.js';
import { detectLanguage } from './language.js';
import { metadataFromPath } from './path-metadata.js';
import { findPersonalNumbers } from './personal-data.js';

const TITLE_SEARCH_LINES = 12;
const MAX_TITLE_LENGTH = 120;

/** The first line near the top that opens with a record type ("ALVARÁ DE CONSTRUÇÃO Nº 412/1987"). */
function titleLine(firstPage: string): { title: string; documentType: string } | null {
  const lines = firstPage.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, TITLE_SEARCH_LINES);
  for (const line of lines) {
    const documentType = documentTypeOfLine(line);
    if (documentType) return { title: line.replace(/\s+/g, ' ').slice(0, MAX_TITLE_LENGTH), documentType };
  }
  return null;
}

export function extractMetadata(relativePath: string, pageTexts: readonly string[], pathTemplate: string | null = null): DocumentMetadata {
  const fromPath = metadataFromPath(relativePath, pathTemplate);
  const text = pageTexts.join('\n');
  const found = titleLine(pageTexts[0] ?? '');
  const date = findDates(text)[0];
  return {
    title: found?.title ?? fromPath.fileTitle,
    documentType: found?.documentType ?? null,
    collection: fromPath.collection,
    year: fromPath.year ?? date?.year ?? null,
    date: date ? `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}` : null,
    language: detectLanguage(text),
    personalData: findPersonalNumbers(text).length > 0,
    box: fromPath.box,
    series: fromPath.series,
  };
}
