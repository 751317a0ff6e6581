/**
 * A parsed query resolved against the index: for each typed word, the index words that may stand
 * for it — the word itself, the words it begins (the last word, still being typed) and, for a bare
 * word, the words within a typo or two (typo-expansion.ts) — and each word's posting lists in
 * every segment, read once for the whole search.
 */
import type Database from 'better-sqlite3';
import type { ParsedQuery, QueryTerm } from '../query-parser.js';
import { expandWord, type Vocabulary } from '../typo-expansion.js';
import type { MemoryCache } from './blob-cache.js';
import { compareTerms } from './postings.js';
import { readAt } from './segment-files.js';
import type { SegmentView } from './index-snapshot.js';

/**
 * Words a prefix stands for at most, the commonest first: a two-letter prefix begins tens of
 * thousands, and while a clerk types "de" the commonest words it begins are what helps.
 */
export function maxCompletions(prefix: string): number {
  return prefix.length <= 2 ? 20 : prefix.length === 3 ? 60 : 300;
}

/** Prefixes' completions kept for the searches that follow (as a word is typed, a letter at a time). */
const COMPLETIONS_KEPT = 500;

export interface WordChoice {
  word: string;
  /** Typed (or begun) as it is; false for a typo expansion. */
  exact: boolean;
}

export interface PlannedTerm {
  /** One entry per typed word: the index words that may stand for it. A phrase has several. */
  tokens: WordChoice[][];
}

export interface PlannedClause {
  anyOf: PlannedTerm[];
  negated: boolean;
}

/** Where a word's lists lie in one segment: its pages list (read), and its positions (read when a phrase needs them). */
export interface SegmentLists {
  pages: Buffer;
  positionsAt: number;
  positionsBytes: number;
}

export interface WordLists {
  /** Pages holding the word, over every segment (deleted pages included until merged away). */
  pages: number;
  bySegment: Map<number, SegmentLists>;
}

export interface QueryPlan {
  clauses: PlannedClause[];
  lists: Map<string, WordLists>;
  /** Some words a prefix begins were left out (maxCompletions): counts are lower bounds. */
  truncated: boolean;
}

export class Planner {
  private readonly completionsIn: Database.Statement;
  /** Completions found for the segments a snapshot holds (a new snapshot starts afresh, in plan()). */
  private completed: { segments: readonly SegmentView[]; byPrefix: Map<string, { words: string[]; truncated: boolean }> } | null = null;
  /** Typo expansions found, for the same snapshot. */
  private expanded = new Map<string, string[]>();
  private readonly listIn: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly vocabulary: Vocabulary,
    private readonly cache: MemoryCache<Buffer>,
  ) {
    this.completionsIn = db.prepare('SELECT term, pages FROM terms WHERE segment = ? AND term >= ? AND term < ?');
    this.listIn = db.prepare('SELECT pages, at, pages_bytes AS pagesBytes, positions_bytes AS positionsBytes FROM terms WHERE segment = ? AND term = ?');
  }

  plan(query: ParsedQuery, segments: readonly SegmentView[]): QueryPlan {
    // What was found for another snapshot's words may no longer hold.
    if (this.completed?.segments !== segments) {
      this.completed = { segments, byPrefix: new Map() };
      this.expanded = new Map();
    }
    let truncated = false;
    const completionsOf = (prefix: string): WordChoice[] => {
      const found = this.completions(prefix, segments);
      if (found.truncated) truncated = true;
      return found.words.map((word) => ({ word, exact: true }));
    };
    const clauses = query.clauses.map((clause) => ({
      negated: clause.negated,
      anyOf: clause.anyOf.map((term) => this.planTerm(term, clause.negated, completionsOf)),
    }));
    const lists = new Map<string, WordLists>();
    for (const clause of clauses) {
      for (const term of clause.anyOf) {
        for (const choices of term.tokens) for (const { word } of choices) if (!lists.has(word)) lists.set(word, this.lists(word, segments));
      }
    }
    return { clauses, lists, truncated };
  }

  private planTerm(term: QueryTerm, negated: boolean, completionsOf: (prefix: string) => WordChoice[]): PlannedTerm {
    const last = term.tokens.length - 1;
    return {
      tokens: term.tokens.map((token, index) => {
        const choices: WordChoice[] = [{ word: token, exact: true }];
        if (index === last && term.prefix && !negated) {
          for (const choice of completionsOf(token)) if (choice.word !== token) choices.push(choice);
        }
        if (term.fuzzy && !negated) {
          for (const word of this.expansions(token, term.prefix && index === last)) choices.push({ word, exact: false });
        }
        return choices;
      }),
    };
  }

  /** The vocabulary words within a typo or two of the word (typo-expansion.ts), kept while the snapshot lasts. */
  private expansions(word: string, prefix: boolean): string[] {
    const key = `${prefix ? '*' : ''}${word}`;
    let found = this.expanded.get(key);
    if (found === undefined) {
      found = expandWord(word, this.vocabulary, { prefix });
      if (this.expanded.size >= COMPLETIONS_KEPT) this.expanded.delete(this.expanded.keys().next().value as string);
      this.expanded.set(key, found);
    }
    return found;
  }

  /** The index words the prefix begins, commonest first, at most maxCompletions(prefix). */
  private completions(prefix: string, segments: readonly SegmentView[]): { words: string[]; truncated: boolean } {
    const byPrefix = this.completed!.byPrefix;
    const known = byPrefix.get(prefix);
    if (known !== undefined) return known;
    const last = prefix.codePointAt(prefix.length - 1) as number;
    const upper = prefix.slice(0, prefix.length - (last > 0xffff ? 2 : 1)) + String.fromCodePoint(last + 1);
    const pages = new Map<string, number>();
    for (const segment of segments) {
      for (const row of this.completionsIn.all(segment.id, prefix, upper) as Array<{ term: string; pages: number }>) {
        pages.set(row.term, (pages.get(row.term) ?? 0) + row.pages);
      }
    }
    const words = [...pages.keys()].sort((a, b) => (pages.get(b) as number) - (pages.get(a) as number) || compareTerms(a, b));
    const limit = maxCompletions(prefix);
    const found = { words: words.slice(0, limit), truncated: words.length > limit };
    if (byPrefix.size >= COMPLETIONS_KEPT) byPrefix.delete(byPrefix.keys().next().value as string);
    byPrefix.set(prefix, found);
    return found;
  }

  private lists(word: string, segments: readonly SegmentView[]): WordLists {
    const bySegment = new Map<number, SegmentLists>();
    let pages = 0;
    for (const segment of segments) {
      const row = this.listIn.get(segment.id, word) as { pages: number; at: number; pagesBytes: number; positionsBytes: number } | undefined;
      if (row === undefined) continue;
      const list = this.cache.get(segment.id, word, 'pages', () => readAt(segment.fd, row.at, row.pagesBytes)) as Buffer;
      bySegment.set(segment.id, { pages: list, positionsAt: row.at + row.pagesBytes, positionsBytes: row.positionsBytes });
      pages += row.pages;
    }
    return { pages, bySegment };
  }
}
