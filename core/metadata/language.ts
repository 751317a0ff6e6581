/**
 * The language a document is written in, among those the archives hold (Portuguese, Spanish,
 * English), from how often each one's commonest little words, and the spellings only it has, occur.
 * A text too short, or with no clear winner, stays unknown (null).
 */
import { foldWord } from './document-type.js';

const COMMON_WORDS = {
  pt: ['de', 'do', 'da', 'dos', 'das', 'e', 'em', 'no', 'na', 'nos', 'nas', 'que', 'nao', 'os', 'um', 'uma', 'para', 'com', 'ao', 'aos', 'pelo', 'pela', 'pelos', 'pelas', 'sao', 'foi', 'este', 'esta', 'seu', 'sua', 'ou', 'mais', 'desta', 'deste'],
  es: ['de', 'del', 'la', 'las', 'el', 'los', 'en', 'que', 'y', 'un', 'una', 'para', 'con', 'por', 'al', 'su', 'sus', 'es', 'lo', 'como', 'mas', 'este', 'esta', 'fue', 'sobre', 'entre', 'ha', 'han'],
  en: ['the', 'of', 'and', 'to', 'in', 'is', 'that', 'for', 'on', 'with', 'as', 'by', 'this', 'be', 'are', 'was', 'from', 'or', 'an', 'at', 'which', 'it', 'not', 'have'],
};
/** Only the words that belong to one language tell languages apart ("de", "que" do not). */
const STOPWORDS = Object.fromEntries(
  Object.entries(COMMON_WORDS).map(([language, words]) => [
    language,
    new Set(words.filter((word) => Object.entries(COMMON_WORDS).every(([other, list]) => other === language || !list.includes(word)))),
  ]),
) as unknown as Record<keyof typeof COMMON_WORDS, ReadonlySet<string>>;
/**
 * Spellings only one of the languages has, counted like its little words: a short form or receipt
 * ("Endereço", "JOÃO", "actuación", "Tesorería… Recibí") has few of those.
 */
const SPELLINGS: Partial<Record<keyof typeof COMMON_WORDS, RegExp>> = {
  pt: /(?:ção|ções|ão|ões|ãe|nh|lh|ê)/,
  es: /(?:ción|ciones|ñ|¿|¡)/,
};
/** Fewer hits than this is too little to tell. */
const MIN_HITS = 5;
/** The winner must lead the runner-up by this factor. */
const MIN_LEAD = 1.5;

export type Language = keyof typeof STOPWORDS;

export function detectLanguage(text: string): Language | null {
  const words = foldWord(text).match(/[a-z]+/g) ?? [];
  const written = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const scores = (Object.keys(STOPWORDS) as Language[]).map((language) => ({
    language,
    hits:
      words.reduce((n, word) => n + (STOPWORDS[language].has(word) ? 1 : 0), 0) +
      written.reduce((n, word) => n + (SPELLINGS[language]?.test(word) ? 1 : 0), 0),
  }));
  scores.sort((a, b) => b.hits - a.hits);
  const [best, second] = scores as [{ language: Language; hits: number }, { language: Language; hits: number }];
  if (best.hits < MIN_HITS || best.hits < second.hits * MIN_LEAD) return null;
  return best.language;
}
