/**
 * The metadata stage: what the folder path, the archive's own inventory and the text say about a
 * document — title, type, collection, year and date (and every date found), identifiers, language
 * and personal data. Manual values (the inventory) win over the path, the path over the text.
 */
import type { DocumentMetadata, ManualMetadata } from '../model.js';
import { findDates, isRival, mainDate } from './dates.js';
import type { DocumentTypeRules } from './document-type.js';
import { findIdentifiers } from './identifiers.js';
import { detectLanguage } from './language.js';
import { metadataFromPath } from './path-metadata.js';
import { findPersonalNumbers } from './personal-data.js';
import { readTitle } from './title.js';

export { closeLetterSpacing } from './letter-spacing.js';

export interface MetadataRules {
  /** How the archive's folders are named (`{collection}/{year}/Caixa {box}`); null: the built-in reading. */
  pathTemplate: string | null;
  documentTypes: DocumentTypeRules;
}

const PAGE_BREAK = '\n\f\n';

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

  const found = readTitle(pageTexts[0] ?? '', rules.documentTypes);
  const dates = findDates(text);
  const main = mainDate(dates);
  const date = manual.date ?? main?.iso ?? null;
  const numbers = findPersonalNumbers(text);
  return {
    title: manual.title ?? found.title ?? fromPath.fileTitle,
    documentType: manual.documentType ?? found.documentType,
    collection: manual.collection ?? fromPath.collection,
    year: manual.year ?? fromPath.year ?? (date ? Number(date.slice(0, 4)) : null),
    date,
    language: detectLanguage(text),
    personalData: numbers.some((n) => n.personal),
    box: manual.box ?? fromPath.box,
    series: manual.series ?? fromPath.series,
    notes: manual.notes ?? null,
    // A date from the inventory or a separator sheet is a person's: no date found rivals it.
    dates: dates.map((d) => ({ iso: d.iso, text: d.text, page: pageAt(d.index), main: d === main && manual.date === undefined, ...(manual.date === undefined && isRival(d, main) ? { rival: true } : {}) })),
    identifiers: findIdentifiers(text).map((id) => ({ kind: id.kind, value: id.value, text: id.text, page: pageAt(id.index) })),
    taxNumbers: numbers.map((n) => ({ kind: n.kind, value: n.digits, page: pageAt(n.index), personal: n.personal })),
  };
}
