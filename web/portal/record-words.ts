/**
 * How a public record's date and title read in each language. The title: what the portal shows of a document in which staff drew a box (a name, a signature): its own
 * title is never shown, since it may hold what the box covers, and nothing tells where in the
 * title that is (the words under a box, read by OCR, need not be spelled as in a title corrected
 * by hand, or the box covers a signature whose name the title repeats). It gets a neutral title
 * made of its type and date alone ("Decreto de 10/03/1990"), and its collection is shown only
 * when the configuration names it public (a name someone chose to publish, not the document's
 * own text). Every portal output takes the title from here: pages, lists, citations, open data,
 * the PDF's name and metadata.
 */
import type { Lang } from './portal-i18n.js';
import { typeWords } from './portal-i18n.js';
import type { PublicRecord } from './public-set.js';

const WORDS: Record<Lang, { document: string; dated: (kind: string, when: string) => string; undated: (kind: string) => string }> = {
  pt: { document: 'Documento', dated: (kind, when) => `${kind} de ${when}`, undated: (kind) => `${kind} sem data` },
  es: { document: 'Documento', dated: (kind, when) => `${kind} del ${when}`, undated: (kind) => `${kind} sin fecha` },
  en: { document: 'Document', dated: (kind, when) => `${kind}, ${when}`, undated: (kind) => `${kind}, undated` },
};

type Dated = Pick<PublicRecord, 'documentType' | 'date' | 'year'>;

/** "Decreto de 10/03/1990", "Lei sem data", "Documento de 1987": the type in the singular and the date. */
export function neutralTitle(record: Dated, lang: Lang): string {
  const w = WORDS[lang];
  // The singular from "um decreto" / "a decree": the article's last word, capitalised.
  const singular = record.documentType ? typeWords(record.documentType, lang).article.replace(/^(um|uma|un|una|a|an)\s+/i, '') : null;
  const kind = singular ? singular.charAt(0).toUpperCase() + singular.slice(1) : w.document;
  const when = displayDate(record, lang);
  return when === null ? w.undated(kind) : w.dated(kind, when);
}

/** The title a page in `lang` shows: the neutral one, in that language, for a document with a drawn box. */
export function shownTitle(record: PublicRecord, lang: Lang): string {
  return record.covered ? neutralTitle(record, lang) : record.title;
}

/** 10/03/1990 (en: 1990-03-10), else the year, else null. */
export function displayDate(record: Pick<PublicRecord, 'date' | 'year'>, lang: Lang): string | null {
  if (record.date) {
    const [y, m, d] = record.date.split('-');
    if (y && m && d) return lang === 'en' ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
    return record.date;
  }
  return record.year === null ? null : String(record.year);
}
