/**
 * Typo tolerance for the embedded index, which FTS5 lacks: each query word also matches the
 * index's words within a small edit distance (1 from 5 letters, 2 from 9) that start with the
 * same letter. Expansion always runs, not only for unknown words, because OCR puts the
 * misspellings in the text (`licltação`) as often as clerks put them in queries.
 *
 * The vocabulary is a table of the index's distinct words with the number of pages their posting
 * lists hold, kept as segments are written and merged (the embedded index), so a typo lookup
 * reads a small slice of it by first letter and length.
 */
import type { Database, Statement } from 'better-sqlite3';

/** Expansions kept per query word: bounds the cost of a query whatever the vocabulary holds. */
export const MAX_EXPANSIONS_PER_WORD = 20;

/** Vocabulary words shorter than the shortest word that gets an expansion (5 − 1) are never candidates. */
const MIN_TERM_LENGTH = 4;
/** Longer runs of letters are OCR noise (lines read as one word), not words anyone types. */
const MAX_TERM_LENGTH = 40;

const LETTERS_ONLY = /^\p{L}+$/u;

/** Edits allowed for a folded query word: none for short words or anything with digits (years, process numbers). */
export function typoBudget(word: string): 0 | 1 | 2 {
  if (!LETTERS_ONLY.test(word)) return 0;
  if (word.length >= 9) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

/** Whether a folded word belongs in the vocabulary: letters only, of a length a typo can reach. */
export function isVocabularyTerm(term: string): boolean {
  return term.length >= MIN_TERM_LENGTH && term.length <= MAX_TERM_LENGTH && LETTERS_ONLY.test(term);
}

/** DP rows reused across calls, grown on demand: no allocation per candidate word. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Edit distance with adjacent transpositions counting one edit (optimal string alignment),
 * over UTF-16 units (folded Latin text is all single units). Stops early: any distance above
 * `max` is returned as `max + 1`.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  if (n + 1 > rows[0].length) {
    const size = 2 * (n + 1);
    rows = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  let [before, previous, current] = rows;
  for (let j = 0; j <= n; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j += 1) {
      const bj = b.charCodeAt(j - 1);
      let value = (previous[j - 1] as number) + (ai === bj ? 0 : 1);
      const up = (previous[j] as number) + 1;
      const left = (current[j - 1] as number) + 1;
      if (up < value) value = up;
      if (left < value) value = left;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const swap = (before[j - 2] as number) + 1;
        if (swap < value) value = swap;
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  const distance = previous[n] as number;
  return distance > max ? max + 1 : distance;
}

/** Where expansions come from: the index's words and how many pages hold each. */
export interface VocabularySource {
  /** Words starting with `first` whose length is within [minLength, maxLength]. */
  candidates(first: string, minLength: number, maxLength: number): Iterable<string>;
  /** Pages holding the word (0 when unknown). */
  pages(term: string): number;
}

export interface ExpandOptions {
  /** The word is also matched as a prefix: words it begins are already found, so skip them. */
  prefix?: boolean;
  limit?: number;
}

/**
 * Vocabulary words that may stand for `word` (folded): same first letter, within its typo
 * budget, closest first and then the most frequent, at most `limit`. Never `word` itself.
 */
export function expandWord(word: string, vocabulary: VocabularySource, options: ExpandOptions = {}): string[] {
  const budget = typoBudget(word);
  if (budget === 0) return [];
  const limit = options.limit ?? MAX_EXPANSIONS_PER_WORD;
  const found: { term: string; pages: number; distance: number }[] = [];
  for (const term of vocabulary.candidates(word.charAt(0), word.length - budget, word.length + budget)) {
    if (term === word || (options.prefix === true && term.startsWith(word))) continue;
    const distance = boundedEditDistance(word, term, budget);
    // Frequencies only for the few words within reach: the candidate scan stays index-only.
    if (distance <= budget) found.push({ term, pages: vocabulary.pages(term), distance });
  }
  found.sort((x, y) => x.distance - y.distance || y.pages - x.pages || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  return found.slice(0, limit).map((entry) => entry.term);
}

/** Table the vocabulary lives in; part of the embedded index's schema. */
export const VOCABULARY_SCHEMA = `
  CREATE TABLE vocabulary (
    term TEXT PRIMARY KEY,
    first TEXT NOT NULL,
    length INTEGER NOT NULL,
    pages INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Candidates are read by first letter and length band: a small slice of the vocabulary.
  -- Page counts stay out of the index: they change on every update, the shape never does.
  CREATE INDEX vocabulary_by_shape ON vocabulary (first, length);
`;

/** Page-count changes per word, gathered over a batch and written once. */
export type VocabularyDelta = Map<string, number>;

/** The vocabulary table of one open index. Writes belong inside the caller's transaction; a read-only connection only reads. */
export class Vocabulary implements VocabularySource {
  private writes: { add: Statement<[string, string, number, number]>; subtract: Statement<[number, string]>; drop: Statement<[string]>; wipe: Statement<[]> } | null = null;
  private readonly byShape: Statement<[string, number, number], string>;
  private readonly count: Statement<[string], number>;

  constructor(private readonly db: Database) {
    this.byShape = db.prepare<[string, number, number], string>('SELECT term FROM vocabulary WHERE first = ? AND length BETWEEN ? AND ?').pluck();
    this.count = db.prepare<[string], number>('SELECT pages FROM vocabulary WHERE term = ?').pluck();
  }

  private writer() {
    this.writes ??= {
      add: this.db.prepare(
        `INSERT INTO vocabulary (term, first, length, pages) VALUES (?, ?, ?, ?)
         ON CONFLICT (term) DO UPDATE SET pages = pages + excluded.pages`,
      ),
      subtract: this.db.prepare('UPDATE vocabulary SET pages = pages + ? WHERE term = ?'),
      drop: this.db.prepare('DELETE FROM vocabulary WHERE term = ? AND pages <= 0'),
      wipe: this.db.prepare('DELETE FROM vocabulary'),
    };
    return this.writes;
  }

  apply(delta: VocabularyDelta): void {
    const { add, subtract, drop } = this.writer();
    for (const [term, change] of delta) {
      if (change > 0) add.run(term, term.charAt(0), term.length, change);
      else if (change < 0) {
        subtract.run(change, term);
        drop.run(term);
      }
    }
  }

  candidates(first: string, minLength: number, maxLength: number): string[] {
    return this.byShape.all(first, minLength, maxLength);
  }

  pages(term: string): number {
    return this.count.get(term) ?? 0;
  }

  clear(): void {
    this.writer().wipe.run();
  }
}
