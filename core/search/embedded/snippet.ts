/**
 * A hit's snippet: the stretch of the page's text, a few words long, where the searched words are
 * densest, with those words marked. Words are found as the index found them (the same folding),
 * so `licitacao` marks `Licitação` and a typo expansion marks the misread word it matched.
 */
import { MARK_CLOSE, MARK_OPEN, snippetHtml } from '../search-results.js';
import { scanWords } from '../text-folding.js';

export interface Highlight {
  /** Index words to mark wherever they stand. */
  words: Set<string>;
  /** Mark words beginning with these. */
  prefixes: string[];
  /** Phrases: for each of a phrase's words, the index words that may stand for it; marked where they stand together. */
  phrases: Array<Array<Set<string>>>;
}

interface Word {
  word: string;
  start: number;
  end: number;
  tooLong: boolean;
}

/** Words shown around the matches, as FTS5's snippet() showed them. */
export const SNIPPET_WORDS = 16;
/** A run of letters longer than a word is shown this long, then cut. */
const LONG_RUN_SHOWN = 24;

export function makeSnippet(text: string, highlight: Highlight, size = SNIPPET_WORDS): string {
  const words: Word[] = [];
  scanWords(text, (word, start, end, tooLong) => words.push({ word, start, end, tooLong }));
  if (words.length === 0) return '';
  const marked = new Uint8Array(words.length);
  /** Consecutive marked words that form one phrase match are marked as one. */
  const joined = new Uint8Array(words.length);
  words.forEach((w, i) => {
    if (w.tooLong) return;
    if (highlight.words.has(w.word) || highlight.prefixes.some((prefix) => w.word.startsWith(prefix))) marked[i] = 1;
  });
  for (const phrase of highlight.phrases) {
    for (let i = 0; i + phrase.length <= words.length; i += 1) {
      if (!phrase.every((choices, j) => choices.has((words[i + j] as Word).word))) continue;
      for (let j = 0; j < phrase.length; j += 1) {
        marked[i + j] = 1;
        if (j > 0) joined[i + j] = 1;
      }
    }
  }

  // The window of `size` words with the most distinct marked words, then the most marks; the earliest wins ties.
  let best = 0;
  let bestDistinct = -1;
  let bestMarks = -1;
  for (let first = 0; first < Math.max(1, words.length - size + 1); first += 1) {
    const distinct = new Set<string>();
    let marks = 0;
    for (let i = first; i < Math.min(words.length, first + size); i += 1) {
      if (marked[i] === 1) {
        marks += 1;
        distinct.add((words[i] as Word).word);
      }
    }
    if (distinct.size > bestDistinct || (distinct.size === bestDistinct && marks > bestMarks)) {
      best = first;
      bestDistinct = distinct.size;
      bestMarks = marks;
    }
  }
  const last = Math.min(words.length, best + size) - 1;

  let raw = (words[best] as Word).start > 0 ? '…' : '';
  let at = (words[best] as Word).start;
  for (let i = best; i <= last; i += 1) {
    const w = words[i] as Word;
    const open = marked[i] === 1 && joined[i] !== 1;
    const close = marked[i] === 1 && !(i < last && joined[i + 1] === 1);
    const gap = text.slice(at, w.start);
    raw += plain(gap.length > LONG_RUN_SHOWN * 2 ? `${gap.slice(0, LONG_RUN_SHOWN)}…` : gap);
    const shown = w.tooLong ? `${text.slice(w.start, w.start + LONG_RUN_SHOWN)}…` : text.slice(w.start, w.end);
    raw += `${open ? MARK_OPEN : ''}${plain(shown)}${close ? MARK_CLOSE : ''}`;
    at = w.end;
  }
  if ((words[last] as Word).end < text.length) raw += '…';
  return snippetHtml(raw);
}

/** Text that may not contain the match delimiters. */
function plain(text: string): string {
  return text.replace(/[\uE000\uE001]/g, '\uFFFD');
}
