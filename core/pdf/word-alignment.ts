/**
 * A corrected page text lined up with the words the machine read, word by word, so that each
 * corrected word can be drawn where the machine's word was (issue 25): the invisible text layer
 * is word-aligned to the scan, and a viewer must find the corrected word where the misread one
 * was.
 *
 * The two word sequences are compared as a diff is (longest common subsequence, after the common
 * start and end are set aside: a correction is usually a word or two on a page of hundreds).
 * What is left between two words in common is a change, lined up again by the words' letters
 * (an edit distance, as a spelling aligner does), in steps of one machine word to one corrected
 * word (a misread word: the corrected one takes its place), one to several (a word the machine ran
 * together: the corrected words share its place in proportion to their letters), several to one
 * (a word the machine cut in two: the corrected word spans both places), or one to none (a word
 * the correction removed: nothing is drawn there). Corrected words with no machine word (an
 * insertion) share the place of the word before them (the one after, at the page's start).
 *
 * Places are spans in "word positions": position p in [i, i+1) is the fraction p - i of machine
 * word i's width, so a span may run over several machine words (and the gaps between them).
 */

export interface AlignedWord {
  text: string;
  /** Where it is drawn, in word positions (see above): from `start` to `end`. */
  start: number;
  end: number;
  /** The machine's own word, unchanged, in its own place: written exactly as before. */
  same: boolean;
}

/** Above this many cells (machine × corrected words in the changed middle), a change is taken whole rather than diffed. */
const MAX_DIFF_CELLS = 4_000_000;

interface Segment {
  /** Machine words [m0, m1) and corrected words [c0, c1). */
  m0: number;
  m1: number;
  c0: number;
  c1: number;
  same: boolean;
}

const key = (word: string) => word.normalize('NFC');

/**
 * The corrected words in reading order, each with its place among the machine's words; null when
 * the machine read no word to place them by (and the correction holds some).
 */
export function alignWords(machine: readonly string[], corrected: readonly string[]): AlignedWord[] | null {
  if (corrected.length === 0) return [];
  if (machine.length === 0) return null;
  const segments = mergeInsertions(segmentsOf(machine.map(key), corrected.map(key)));
  const aligned: AlignedWord[] = [];
  for (const segment of segments) {
    if (segment.same) {
      aligned.push({ text: corrected[segment.c0]!, start: segment.m0, end: segment.m1, same: true });
      continue;
    }
    for (const step of steps(machine, corrected, segment)) {
      const words = corrected.slice(step.c0, step.c1);
      if (words.length === 1 && step.m1 - step.m0 === 1) aligned.push({ text: words[0]!, start: step.m0, end: step.m1, same: false });
      else if (words.length > 0) aligned.push(...shared(words, machine.slice(step.m0, step.m1), step.m0));
    }
  }
  return aligned;
}

/** The longest run of words one step may take on either side. */
const MAX_RUN = 3;
/** What leaving a machine word out, or adding a corrected word, costs: more than most misreadings of it. */
const GAP = 0.6;
/** What taking several words in one step costs beyond their letters: one for one wins a tie. */
const RUN = 0.05;
/** Above this many cells, a change is shared out whole in proportion to its letters. */
const MAX_STEP_CELLS = 10_000;

/**
 * A changed segment in steps: machine words [m0, m1) to corrected words [c0, c1), each step 0–3
 * words to 0–3 words, the least costly by edit distance of the words' letters joined. Corrected
 * words left without a machine word join the step before them (after them, at the start).
 */
function steps(machine: readonly string[], corrected: readonly string[], segment: Segment): Segment[] {
  const m = segment.m1 - segment.m0;
  const k = segment.c1 - segment.c0;
  if (m === 0 || k === 0 || m * k > MAX_STEP_CELLS) return [{ ...segment }];
  const width = k + 1;
  const cost = new Float64Array((m + 1) * width).fill(Infinity);
  const from = new Int32Array((m + 1) * width);
  cost[0] = 0;
  const joined = (words: readonly string[], start: number, count: number) => words.slice(start, start + count).join('');
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= k; j++) {
      const here = cost[i * width + j]!;
      if (here === Infinity) continue;
      for (let a = 0; a <= MAX_RUN && i + a <= m; a++) {
        for (let b = 0; b <= MAX_RUN && j + b <= k; b++) {
          // One word on at least one side: one to one, one to several, several to one, or a gap of one.
          if (a + b === 0 || (a !== 1 && b !== 1) || ((a === 0 || b === 0) && a + b > 1)) continue;
          const step = a === 0 || b === 0 ? GAP : distance(key(joined(machine, segment.m0 + i, a)), key(joined(corrected, segment.c0 + j, b))) + RUN * (a + b - 2);
          const at = (i + a) * width + j + b;
          if (here + step < cost[at]!) {
            cost[at] = here + step;
            from[at] = i * width + j;
          }
        }
      }
    }
  }
  const path: Segment[] = [];
  for (let at = m * width + k; at !== 0; at = from[at]!) {
    const before = from[at]!;
    const [i0, j0, i1, j1] = [Math.floor(before / width), before % width, Math.floor(at / width), at % width];
    path.unshift({ m0: segment.m0 + i0, m1: segment.m0 + i1, c0: segment.c0 + j0, c1: segment.c0 + j1, same: false });
  }
  return mergeInsertions(path);
}

/** Levenshtein distance over the longer word's length: 0 the same, 1 nothing in common. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0 || y.length === 0) return 1;
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[y.length]! / Math.max(x.length, y.length);
}

/** The machine and corrected sequences cut into runs of equal words (one each) and changes between them. */
function segmentsOf(machine: readonly string[], corrected: readonly string[]): Segment[] {
  let head = 0;
  while (head < machine.length && head < corrected.length && machine[head] === corrected[head]) head++;
  let tail = 0;
  while (tail < machine.length - head && tail < corrected.length - head && machine[machine.length - 1 - tail] === corrected[corrected.length - 1 - tail]) tail++;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < head; i++) pairs.push([i, i]);
  for (const [i, j] of commonWords(machine.slice(head, machine.length - tail), corrected.slice(head, corrected.length - tail))) pairs.push([head + i, head + j]);
  for (let k = tail; k > 0; k--) pairs.push([machine.length - k, corrected.length - k]);

  const segments: Segment[] = [];
  let m = 0;
  let c = 0;
  for (const [i, j] of pairs) {
    if (i > m || j > c) segments.push({ m0: m, m1: i, c0: c, c1: j, same: false });
    segments.push({ m0: i, m1: i + 1, c0: j, c1: j + 1, same: true });
    m = i + 1;
    c = j + 1;
  }
  if (m < machine.length || c < corrected.length) segments.push({ m0: m, m1: machine.length, c0: c, c1: corrected.length, same: false });
  return segments;
}

/** A longest common subsequence of two word lists, as index pairs; none when the table would be too large (the whole is then one change). */
function commonWords(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_DIFF_CELLS) return [];
  // lengths[i][j]: the LCS of a[i..] and b[j..], row-major in one array.
  const width = m + 1;
  const lengths = n < 65535 && m < 65535 ? new Uint16Array((n + 1) * width) : new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Insertions (corrected words where the machine has none) joined to the segment before them, or after them at the start. */
function mergeInsertions(segments: readonly Segment[]): Segment[] {
  const merged: Segment[] = [];
  let pending: Segment | null = null;
  for (const segment of segments) {
    let current: Segment = segment;
    if (pending) {
      current = { m0: pending.m0, m1: current.m1, c0: pending.c0, c1: current.c1, same: false };
      pending = null;
    }
    if (current.m1 === current.m0) {
      const before = merged.pop();
      if (before) current = { m0: before.m0, m1: current.m1, c0: before.c0, c1: current.c1, same: false };
      else {
        pending = current;
        continue;
      }
    }
    merged.push(current);
  }
  // Only reached with no machine word at all, which alignWords has ruled out.
  if (pending) merged.push(pending);
  return merged;
}

/** Corrected words sharing the places of `machine` words (starting at position `first`) in proportion to their letters. */
function shared(words: readonly string[], machine: readonly string[], first: number): AlignedWord[] {
  const letters = (word: string) => [...word].length;
  // Each word with the space after it, but the last.
  const machineWeights = machine.map((word, i) => letters(word) + (i < machine.length - 1 ? 1 : 0));
  const machineTotal = machineWeights.reduce((a, b) => a + b, 0);
  const correctedTotal = words.reduce((sum, word, i) => sum + letters(word) + (i < words.length - 1 ? 1 : 0), 0);
  /** A letter offset among the corrected words, as a word position over the machine words. */
  const position = (offset: number): number => {
    let at = (offset * machineTotal) / Math.max(1, correctedTotal);
    for (let i = 0; i < machine.length; i++) {
      const own = letters(machine[i]!);
      if (at <= own || i === machine.length - 1) return first + i + Math.min(1, at / Math.max(1, own));
      at -= machineWeights[i]!;
      // In the space after word i: the start of the next word.
      if (at < 0) return first + i + 1;
    }
    return first + machine.length;
  };
  const placed: AlignedWord[] = [];
  let offset = 0;
  for (const text of words) {
    const start = position(offset);
    offset += letters(text);
    placed.push({ text, start, end: Math.max(start, position(offset)), same: false });
    offset += 1;
  }
  return placed;
}
