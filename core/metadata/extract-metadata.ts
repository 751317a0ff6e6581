/**
 * The metadata stage: what the folder path, the archive's own inventory and the text say about a
 * document — title, type, collection, year and date (and every date found), identifiers, language
 * and personal data. Manual values (the inventory) win over the path, the path over the text.
 */
import type { DocumentMetadata, ManualMetadata } from '../model.js';
import { findDates, mainDate } from './dates.js';
import { documentTypeOfLine, type DocumentTypeRules } from './document-type.js';
import { findIdentifiers } from './identifiers.js';
import { detectLanguage } from './language.js';
import { metadataFromPath } from './path-metadata.js';
import { findPersonalNumbers } from './personal-data.js';

export interface MetadataRules {
  /** How the archive's folders are named (`{collection}/{year}/Caixa {box}`); null: the built-in reading. */
  pathTemplate: string | null;
  documentTypes: DocumentTypeRules;
}

const TITLE_SEARCH_LINES = 12;
const MAX_TITLE_LENGTH = 120;
const PAGE_BREAK = '\n\f\n';

/**
 * A title typed with spaced letters, as typewritten headings were (`D E C R E T O  Nº 345`), with its
 * words closed up: in a line with three or more single capitals one space apart, each such run
 * (two letters or more) makes one word. Lower-case single letters are the words "a", "e", "o".
 */
export function closeLetterSpacing(line: string): string {
  // Three or more set the line's style; then the short words of it are spaced too (`D E`).
  if (!/(?<![\p{L}\p{N}])\p{Lu}(?: \p{Lu}){2,}(?![\p{L}\p{N}])/u.test(line)) return line;
  return line.replace(/(?<![\p{L}\p{N}])\p{Lu}(?: \p{Lu})+(?![\p{L}\p{N}])/gu, (spaced) => spaced.replaceAll(' ', ''));
}

/** The first line near the top that opens with a record type ("ALVARÁ DE CONSTRUÇÃO Nº 412/1987"). */
function titleLine(firstPage: string, rules: DocumentTypeRules): { title: string; documentType: string } | null {
  const lines = firstPage.split('\n').map((line) => closeLetterSpacing(line.trim())).filter(Boolean).slice(0, TITLE_SEARCH_LINES);
  let stamp: { title: string; documentType: string } | null = null;
  for (const line of lines) {
    const documentType = documentTypeOfLine(line, rules);
    if (!documentType) continue;
    const found = { title: line.replace(/\s+/g, ' ').slice(0, MAX_TITLE_LENGTH), documentType };
    // A protocol stamp at the top ("PROTOCOLO Nº 4.512 — RECEBIDO EM …") is not what the record is,
    // unless nothing else says so.
    if (documentType !== 'protocolo') return found;
    stamp ??= found;
  }
  return stamp;
}

export function extractMetadata(relativePath: string, pageTexts: readonly string[], rules: MetadataRules, manual: ManualMetadata = {}): DocumentMetadata {
  const fromPath = metadataFromPath(relativePath, rules.pathTemplate);
  const text = pageTexts.join(PAGE_BREAK);
  // Where each page starts in the joined text, to say which page a date or number is on.
  const starts: number[] = [];
  pageTexts.reduce((at, page) => (starts.push(at), at + page.length + PAGE_BREAK.length), 0);
  const pageAt = (index: number) => {
    let page = 0;
    while (page + 1 < starts.length && starts[page + 1]! <= index) page++;
    return pageTexts.length > 0 ? page + 1 : null;
  };

  const found = titleLine(pageTexts[0] ?? '', rules.documentTypes);
  const dates = findDates(text);
  const main = mainDate(dates);
  const date = manual.date ?? main?.iso ?? null;
  const numbers = findPersonalNumbers(text);
  return {
    title: manual.title ?? found?.title ?? fromPath.fileTitle,
    documentType: manual.documentType ?? found?.documentType ?? null,
    collection: manual.collection ?? fromPath.collection,
    year: manual.year ?? fromPath.year ?? (date ? Number(date.slice(0, 4)) : null),
    date,
    language: detectLanguage(text),
    personalData: numbers.some((n) => n.personal),
    box: manual.box ?? fromPath.box,
    series: manual.series ?? fromPath.series,
    notes: manual.notes ?? null,
    dates: dates.map((d) => ({ iso: d.iso, text: d.text, page: pageAt(d.index), main: d === main && manual.date === undefined })),
    identifiers: findIdentifiers(text).map((id) => ({ kind: id.kind, value: id.value, text: id.text, page: pageAt(id.index) })),
    taxNumbers: numbers.map((n) => ({ kind: n.kind, value: n.digits, page: pageAt(n.index), personal: n.personal })),
  };
}
