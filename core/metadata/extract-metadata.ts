/**
 * The metadata stage: title, collection and year from the folder path and the text.
 * The path wins where it speaks (archivists filed it so); the text fills the gaps.
 */
import type { DocumentMetadata } from '../model.js';
import { findDates } from './dates.js';
import { metadataFromPath } from './path-metadata.js';

/** Words that open the title line of municipal records, accent-folded. */
const DOCUMENT_TYPES = [
  'alvara', 'ata', 'certidao', 'contrato', 'decreto', 'edital', 'lei', 'memorando', 'oficio', 'portaria', 'processo',
  'protocolo', 'recibo', 'requerimento', 'resolucao', 'resolucion', 'ordenanza', 'acta', 'certificado', 'decreto-lei', 'parecer',
];
const TITLE_SEARCH_LINES = 12;
const MAX_TITLE_LENGTH = 120;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function titleFromText(firstPage: string): string | null {
  const lines = firstPage.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, TITLE_SEARCH_LINES);
  const line = lines.find((candidate) => {
    const firstWord = fold(candidate).match(/^[a-z-]+/)?.[0];
    return firstWord !== undefined && DOCUMENT_TYPES.includes(firstWord);
  });
  return line ? line.replace(/\s+/g, ' ').slice(0, MAX_TITLE_LENGTH) : null;
}

export function extractMetadata(relativePath: string, pageTexts: readonly string[], pathTemplate: string | null = null): DocumentMetadata {
  const fromPath = metadataFromPath(relativePath, pathTemplate);
  const firstPage = pageTexts[0] ?? '';
  const date = findDates(pageTexts.join('\n'))[0];
  return {
    title: titleFromText(firstPage) ?? fromPath.fileTitle,
    collection: fromPath.collection,
    year: fromPath.year ?? date?.year ?? null,
    box: fromPath.box,
    series: fromPath.series,
  };
}
