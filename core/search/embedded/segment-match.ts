/**
 * Matching one segment: the pages every positive clause matches and no negated one does, each
 * with its relevance (BM25 over the pages' word weights) and whether it matched as typed (or only
 * through a typo). Clauses are matched smallest first, so a rare word narrows the work before a
 * common one is read; phrases check positions only on pages holding all their words.
 */
import type { MemoryCache } from './blob-cache.js';
import { narrow, positionStream, type PositionsSource, type PositionStream } from './phrase-positions.js';
import { pageCount, type PageList } from './postings.js';
import type { SegmentView } from './index-snapshot.js';
import type { PlannedClause, PlannedTerm, QueryPlan, WordChoice } from './query-plan.js';

/** BM25's usual constants: how fast repeated words stop adding, and how much page length matters. */
export const K1 = 1.2;
export const B = 0.75;

export interface ScoredPages {
  /** Local pages, ascending. */
  pages: Int32Array;
  scores: Float32Array;
  /** 1: matched as typed; 0: only through a typo expansion. */
  exact: Uint8Array;
  length: number;
}

export interface SegmentContext {
  segment: SegmentView;
  plan: QueryPlan;
  /** Live pages over every segment: BM25's collection size. */
  livePages: number;
  /** Where the word's positions lie in this segment's file. */
  positions: (word: string) => PositionsSource | undefined;
  scratch: Scratch;
  /** A word's pages list decoded (kept for common words). */
  decode: (word: string, blob: Buffer) => PageList;
  /** Per page, BM25's length norm: K1 × (1 − B + B × length ÷ mean length). */
  norms: Float32Array;
  /** Clauses matched before, per segment, while the ranking statistics hold (IndexSnapshot.statistics). */
  clauses: MemoryCache<ScoredPages>;
}

/** What a clause matches, as a key: its words and how each may be matched. */
function clauseKey(clause: PlannedClause): string {
  return JSON.stringify(clause.anyOf.map((term) => term.tokens.map((choices) => choices.map((c) => (c.exact ? c.word : `~${c.word}`)))));
}

/** Dense per-page arrays reused from search to search (searches in one thread run one at a time). */
export class Scratch {
  scores = new Float32Array(0);
  flags = new Uint8Array(0);

  ensure(size: number): void {
    if (this.scores.length >= size) return;
    this.scores = new Float32Array(size);
    this.flags = new Uint8Array(size);
  }
}

const EMPTY: ScoredPages = { pages: new Int32Array(0), scores: new Float32Array(0), exact: new Uint8Array(0), length: 0 };

export function matchSegment(context: SegmentContext): ScoredPages {
  const decoded = new Map<string, PageList | null>();
  const list = (word: string): PageList | null => {
    if (!decoded.has(word)) {
      const lists = context.plan.lists.get(word)?.bySegment.get(context.segment.id);
      decoded.set(word, lists === undefined ? null : context.decode(word, lists.pages));
    }
    return decoded.get(word) as PageList | null;
  };
  const size = (word: string) => {
    const lists = context.plan.lists.get(word)?.bySegment.get(context.segment.id);
    return lists === undefined ? 0 : pageCount(lists.pages);
  };
  // A clause holds at most this many pages: its words' lists, a phrase no more than its rarest word's.
  const estimate = (clause: PlannedClause) =>
    clause.anyOf.reduce((sum, term) => sum + Math.min(...term.tokens.map((choices) => choices.reduce((n, choice) => n + size(choice.word), 0))), 0);

  const positive = context.plan.clauses.filter((clause) => !clause.negated).map((clause) => ({ clause, pages: estimate(clause) }));
  positive.sort((a, b) => a.pages - b.pages);
  if (positive.length === 0 || (positive[0] as { pages: number }).pages === 0) return EMPTY;

  const matcher = new TermMatcher(context, list);
  let found = matcher.clause((positive[0] as { clause: PlannedClause }).clause);
  for (const { clause } of positive.slice(1)) {
    if (found.length === 0) return EMPTY;
    found = intersect(found, matcher.clause(clause));
  }
  for (const clause of context.plan.clauses) {
    if (!clause.negated || found.length === 0) continue;
    found = subtract(found, matcher.clause(clause));
  }
  return found;
}

class TermMatcher {
  constructor(
    private readonly context: SegmentContext,
    private readonly list: (word: string) => PageList | null,
  ) {}

  clause(clause: PlannedClause): ScoredPages {
    // A common word's clause (tens of thousands of pages) is kept for the searches that follow —
    // the same words filtered, sorted or paged another way — while the index stays as it is.
    return this.context.clauses.get(this.context.segment.id, clauseKey(clause), 'clause', () => {
      const matches = clause.anyOf.map((term) => (term.tokens.length === 1 ? this.word(term.tokens[0] as WordChoice[]) : this.phrase(term)));
      return matches.length === 1 ? (matches[0] as ScoredPages) : this.union(matches);
    }) as ScoredPages;
  }

  private idf(word: string): number {
    const pages = this.context.plan.lists.get(word)?.pages ?? 0;
    const n = Math.max(this.context.livePages, pages);
    return Math.log(1 + (n - pages + 0.5) / (pages + 0.5));
  }

  /** BM25 of one word on one page; `idf` is the word's rarity. */
  private relevance(idf: number, weight: number, page: number): number {
    return (idf * (K1 + 1) * weight) / (weight + (this.context.norms[page] as number));
  }

  /** Pages holding any of the words, each scored by the best of them. */
  private word(choices: readonly WordChoice[]): ScoredPages {
    const present = choices.map((choice) => ({ choice, found: this.list(choice.word) })).filter((c): c is { choice: WordChoice; found: PageList } => c.found !== null);
    if (present.length === 0) return EMPTY;
    if (present.length === 1) {
      const { choice, found } = present[0] as { choice: WordChoice; found: PageList };
      // BM25 as relevance() computes it, inlined: this loop runs over every page of a common word.
      const factor = this.idf(choice.word) * (K1 + 1);
      const { norms } = this.context;
      const { pages, weights } = found;
      const scores = new Float32Array(pages.length);
      for (let i = 0; i < pages.length; i += 1) {
        const weight = weights[i] as number;
        scores[i] = (factor * weight) / (weight + (norms[pages[i] as number] as number));
      }
      return { pages: found.pages, scores, exact: new Uint8Array(found.pages.length).fill(choice.exact ? 1 : 0), length: found.pages.length };
    }
    // Several words (a prefix's completions, typo expansions): scored straight into per-page scratch.
    const { scores, flags } = this.scratchFor();
    const touched = new Int32Array(present.reduce((sum, { found }) => sum + found.pages.length, 0));
    let count = 0;
    const { norms } = this.context;
    for (const { choice, found } of present) {
      const factor = this.idf(choice.word) * (K1 + 1);
      const exact = choice.exact ? 2 : 1;
      const { pages, weights } = found;
      for (let i = 0; i < pages.length; i += 1) {
        const page = pages[i] as number;
        const weight = weights[i] as number;
        const score = (factor * weight) / (weight + (norms[page] as number));
        if (flags[page] === 0) {
          touched[count++] = page;
          scores[page] = score;
          flags[page] = exact;
        } else {
          if (score > (scores[page] as number)) scores[page] = score;
          if (exact === 2) flags[page] = 2;
        }
      }
    }
    return this.collect(touched, count, true);
  }

  /** Pages where the words stand together in order; scored by how often, with the words' rarity. */
  private phrase(term: PlannedTerm): ScoredPages {
    const tokens = term.tokens.map((choices) => choices.map((choice) => ({ choice, found: this.list(choice.word) })).filter((c) => c.found !== null));
    if (tokens.some((choices) => choices.length === 0)) return EMPTY;
    // Candidates: pages holding a choice of every word, the rarest word first.
    let candidates: ScoredPages | null = null;
    for (const choices of [...tokens].sort((a, b) => total(a) - total(b))) {
      const pages = this.union(choices.map(({ found }) => ({ pages: (found as PageList).pages, scores: NO_SCORES, exact: NO_FLAGS, length: (found as PageList).pages.length })), false);
      candidates = candidates === null ? pages : intersect(candidates, pages, false);
      if (candidates.length === 0) return EMPTY;
    }
    const idf = tokens.reduce((sum, choices) => sum + Math.max(...choices.map(({ choice }) => this.idf(choice.word))), 0);
    const streams = tokens.map((choices) => choices.map(({ choice, found }) => positionStream((found as PageList).pages, this.context.positions(choice.word), (candidates as ScoredPages).length)));
    // The words are checked rarest first: on most candidate pages the phrase is not there, and the
    // first words read usually tell, so the commonest word's positions are read least often.
    const order = tokens.map((choices, offset) => ({ offset, pages: total(choices) })).sort((a, b) => a.pages - b.pages).map((t) => t.offset);
    let buffer = new Int32Array(64);
    let starts = new Int32Array(64);
    const { pages, length } = candidates as ScoredPages;
    const out = { pages: new Int32Array(length), scores: new Float32Array(length), exact: new Uint8Array(length), length: 0 };
    for (let c = 0; c < length; c += 1) {
      const page = pages[c] as number;
      let alive = 0;
      for (let k = 0; k < order.length; k += 1) {
        const offset = order[k] as number;
        const choices = streams[offset] as PositionStream[];
        let n = 0;
        for (const stream of choices) {
          // A position takes at least a byte: `found` bytes hold at most `found` positions.
          const found = stream.seek(page);
          if (found === 0) continue;
          if (n + found > buffer.length) {
            const grown = new Int32Array(2 * (n + found));
            grown.set(buffer.subarray(0, n));
            buffer = grown;
          }
          n = stream.read(found, buffer, n);
        }
        // Several choices for one word (a prefix still being typed): their positions merged in order.
        if (choices.length > 1) buffer.subarray(0, n).sort();
        if (k === 0) {
          // Where the phrase would start, by this word's place in it.
          if (starts.length < n) starts = new Int32Array(2 * n);
          for (let i = 0; i < n; i += 1) starts[i] = (buffer[i] as number) - offset;
          alive = n;
        } else alive = narrow(starts, alive, buffer, n, offset);
        if (alive === 0) break;
      }
      if (alive === 0) continue;
      out.pages[out.length] = page;
      out.scores[out.length] = this.relevance(idf, alive, page);
      out.exact[out.length] = 1;
      out.length += 1;
    }
    return out;
  }

  /** Pages in any of the lists: the best score, exact if any list matched it exactly. */
  private union(lists: readonly ScoredPages[], scored = true): ScoredPages {
    const present = lists.filter((l) => l.length > 0);
    if (present.length === 0) return EMPTY;
    if (present.length === 1) return present[0] as ScoredPages;
    const { scores, flags } = this.scratchFor();
    const touched = new Int32Array(present.reduce((sum, l) => sum + l.length, 0));
    let count = 0;
    for (const l of present) {
      for (let i = 0; i < l.length; i += 1) {
        const page = l.pages[i] as number;
        if (flags[page] === 0) {
          touched[count++] = page;
          flags[page] = 1;
          scores[page] = 0;
        }
        if (scored) {
          const score = l.scores[i] as number;
          if (score > (scores[page] as number)) scores[page] = score;
          if (l.exact[i] === 1) flags[page] = 2;
        }
      }
    }
    return this.collect(touched, count, scored);
  }

  private scratchFor(): Scratch {
    this.context.scratch.ensure(this.context.segment.pages);
    return this.context.scratch;
  }

  /** The pages touched in the scratch, in page order, with their scores; the scratch left clean. */
  private collect(touched: Int32Array, count: number, scored: boolean): ScoredPages {
    const size = this.context.segment.pages;
    const { scores, flags } = this.context.scratch;
    // In page order: by sorting the pages touched, or — when they are many — by a pass over the segment.
    let pages: Int32Array;
    if (count * 16 < size) pages = touched.subarray(0, count).sort();
    else {
      pages = touched;
      let at = 0;
      for (let page = 0; page < size; page += 1) if (flags[page] !== 0) pages[at++] = page;
    }
    const out = { pages: new Int32Array(pages.subarray(0, count)), scores: new Float32Array(scored ? count : 0), exact: new Uint8Array(scored ? count : 0), length: count };
    for (let i = 0; i < count; i += 1) {
      const page = out.pages[i] as number;
      if (scored) {
        out.scores[i] = scores[page] as number;
        out.exact[i] = flags[page] === 2 ? 1 : 0;
      }
      flags[page] = 0;
    }
    return out;
  }
}

const NO_SCORES = new Float32Array(0);
const NO_FLAGS = new Uint8Array(0);

function total(choices: ReadonlyArray<{ found: PageList | null }>): number {
  return choices.reduce((sum, { found }) => sum + (found?.pages.length ?? 0), 0);
}

/** Pages in both (ascending): scores added, exact only if exact in both. Gallops through the longer list. */
export function intersect(a: ScoredPages, b: ScoredPages, scored = true): ScoredPages {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const out = { pages: new Int32Array(small.length), scores: new Float32Array(scored ? small.length : 0), exact: new Uint8Array(scored ? small.length : 0), length: 0 };
  let j = 0;
  for (let i = 0; i < small.length && j < large.length; i += 1) {
    const page = small.pages[i] as number;
    if ((large.pages[j] as number) < page) {
      // Gallop, then binary search: a rare word's few pages skip through a common word's many.
      let step = 1;
      while (j + step < large.length && (large.pages[j + step] as number) < page) step *= 2;
      let low = j + (step >> 1);
      let high = Math.min(j + step, large.length - 1);
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((large.pages[middle] as number) < page) low = middle + 1;
        else high = middle;
      }
      j = low;
    }
    if (large.pages[j] !== page) continue;
    out.pages[out.length] = page;
    if (scored) {
      out.scores[out.length] = (small.scores[i] as number) + (large.scores[j] as number);
      out.exact[out.length] = small.exact[i] === 1 && large.exact[j] === 1 ? 1 : 0;
    }
    out.length += 1;
  }
  return out;
}

/** Pages of `a` not in `b`. */
export function subtract(a: ScoredPages, b: ScoredPages): ScoredPages {
  const out = { pages: new Int32Array(a.length), scores: new Float32Array(a.length), exact: new Uint8Array(a.length), length: 0 };
  let j = 0;
  for (let i = 0; i < a.length; i += 1) {
    const page = a.pages[i] as number;
    while (j < b.length && (b.pages[j] as number) < page) j += 1;
    if (b.pages[j] === page && j < b.length) continue;
    out.pages[out.length] = page;
    out.scores[out.length] = a.scores[i] as number;
    out.exact[out.length] = a.exact[i] as number;
    out.length += 1;
  }
  return out;
}
