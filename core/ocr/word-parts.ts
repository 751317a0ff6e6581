/**
 * What the dictionary repairs (restore-accents.ts, repair-letters.ts) share: a word as read is
 * its letters, possibly hyphen-joined parts ("pronto-atendimento"), between punctuation, and each
 * part is repaired on its own, the answers remembered (names and terms recur on every page).
 */

/**
 * The revision of the dictionary thread's mending (the signs of número, articles and ordinals,
 * specks read as punctuation, accents, one letter, then gibberish left out), part of a cached
 * reading's identity (readings-cache.ts): raise it when a rule in repair-numero-sign.ts,
 * repair-article-headings.ts, repair-ordinals.ts, repair-speck-punctuation.ts, restore-accents.ts,
 * repair-letters.ts or noise-lines.ts's gibberishWords changes, or what the thread records of each
 * word (`known`, 7), so that readings mended by the old rules are read again.
 */
export const WORD_REPAIR_RULES = 8;

/** A word made of letters, possibly joined by hyphens, between punctuation. */
const WORD = /^(\P{L}*)(\p{L}+(?:-\p{L}+)*)(\P{L}*)$/u;

/** A word as read, split: the punctuation before, its hyphen-joined parts, the punctuation after; null if it is not a word of letters. */
export function wordParts(word: string): { before: string; parts: string[]; after: string } | null {
  const match = WORD.exec(word.normalize('NFC'));
  return match ? { before: match[1]!, parts: match[2]!.split('-'), after: match[3]! } : null;
}

/** The word with each of its parts repaired and its punctuation kept; as it was if it is not a word of letters. */
export function repairEachPart(word: string, repairPart: (part: string) => string): string {
  const split = wordParts(word);
  if (!split) return word;
  const core = split.parts.join('-');
  const repaired = split.parts.map(repairPart).join('-');
  return repaired === core ? word : split.before + repaired + split.after;
}

/** `repair` with its answers remembered per language and part (at most 50,000, then afresh). */
export function remembered(repair: (part: string, language: string) => string): (part: string, language: string) => string {
  const answers = new Map<string, string>();
  return (part, language) => {
    const key = `${language}:${part}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = repair(part, language);
      if (answers.size >= 50_000) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}

/** Lower case, accents and the punctuation around a word taken off ("CLÁUSULA" → "clausula", "Art." → "art"). */
export function folded(word: string | undefined): string {
  if (!word) return '';
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[^\p{L}§]+|[^\p{L}§]+$/gu, '');
}
