/**
 * What the search index may hold of a personal number: nothing of its digits. A page's text and a
 * document's title go into every backend with each personal number masked (`***.***.***-**`), and
 * the number itself only as an opaque key, a hash of its kind and digits. A query holding a whole
 * personal number (as a clerk at the counter types a citizen's CPF, in any written form) searches
 * for that key; a part of a number (`390 533 447`) has nothing to match, so no run of guesses can
 * find which digits go with a masked number (issue 20, "no oracle").
 *
 * The key is a plain SHA-256, not keyed: whoever can read the index file can read the catalog, which
 * holds the numbers anyway. It is written in letters only, so every tokenizer keeps it one word.
 */
import { createHash } from 'node:crypto';
import type { IndexChange } from '../search/search-backend.js';
import { findPersonalNumbers, maskPersonalNumbers, personalNumberKey } from './personal-numbers.js';

/** The start of every key: no Portuguese or Spanish word starts so, and a typed word starting so is left out of a query. */
export const PERSONAL_KEY_PREFIX = 'qxj';
const LETTERS = 'abcdefghijklmnop';

/** The word standing for a personal number in the index: `qxj` and 32 letters (128 bits of its hash). */
export function personalKeyWord(key: string): string {
  const hash = createHash('sha256').update(`acervo-personal-number:${key}`).digest();
  let word = PERSONAL_KEY_PREFIX;
  for (let i = 0; i < 16; i += 1) word += LETTERS[hash[i]! >> 4]! + LETTERS[hash[i]! & 15]!;
  return word;
}

/** A text as the index may take it: personal numbers masked, and the key words of those it held. */
export function indexableText(text: string): { text: string; keys: string[] } {
  const numbers = findPersonalNumbers(text).filter((number) => number.personal);
  if (numbers.length === 0) return { text, keys: [] };
  const keys = [...new Set(numbers.map((number) => personalKeyWord(personalNumberKey(number.kind, number.digits))))];
  return { text: maskPersonalNumbers(text), keys };
}

/**
 * A query with each whole personal number replaced by its key word (what the index holds for it);
 * `typed`: those numbers' keys (a hit may show them: the user typed them); `keys`: their key words.
 */
export function queryWithPersonalKeys(query: string): { text: string; typed: Set<string>; keys: Set<string> } {
  const numbers = findPersonalNumbers(query).filter((number) => number.personal);
  const typed = new Set<string>();
  const keys = new Set<string>();
  if (numbers.length === 0) return { text: query, typed, keys };
  let text = '';
  let at = 0;
  for (const number of numbers) {
    const key = personalNumberKey(number.kind, number.digits);
    const word = personalKeyWord(key);
    typed.add(key);
    keys.add(word);
    // Kept against a `-` or a quote before it (`-390.533.447-05` excludes the number), apart from anything else.
    const before = query[number.index - 1];
    const after = query[number.index + number.length];
    const spaceBefore = before !== undefined && !/[\s"-]/u.test(before) ? ' ' : '';
    const spaceAfter = after !== undefined && !/[\s"]/u.test(after) ? ' ' : '';
    text += `${query.slice(at, number.index)}${spaceBefore}${word}${spaceAfter}`;
    at = number.index + number.length;
  }
  return { text: text + query.slice(at), typed, keys };
}

/**
 * A change as a backend may index it: each page's title and text masked, the keys of the personal
 * numbers they held added to its identifiers (searched, never shown). Every backend passes what it
 * is given through this before storing anything, so no caller can put digits in by mistake.
 */
export function indexableChange<C extends IndexChange>(change: C): C {
  if (change.op !== 'upsert' || change.pages.length === 0) return change;
  const title = indexableText(change.pages[0]!.title);
  return {
    ...change,
    pages: change.pages.map((page) => {
      const text = indexableText(page.text);
      const sameTitle = page.title === change.pages[0]!.title;
      const pageTitle = sameTitle ? title : indexableText(page.title);
      const identifiers = indexableText(page.identifiers ?? '');
      const keys = new Set([...identifiers.keys, ...pageTitle.keys, ...text.keys]);
      return {
        ...page,
        title: pageTitle.text,
        text: text.text,
        identifiers: [identifiers.text, ...keys].filter((part) => part !== '').join(' | '),
      };
    }),
  };
}
