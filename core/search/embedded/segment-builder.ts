/**
 * Builds one segment of the embedded index in memory: pages in, posting lists out. A segment's
 * pages are numbered 0, 1, 2… in the order they were added (its local page numbers); for each,
 * the segment keeps its document, its page number and its length in words.
 *
 * A page's words are its title's, its identifiers' (searched, never shown) and its text's, each
 * field at positions of its own with a gap between, so a phrase never runs from one into the
 * next. Title and identifier words weigh double: a title says what the whole document is.
 */
import { scanWords } from '../text-folding.js';
import { ColumnsWriter, type PageCodes } from './page-columns.js';
import { compareTerms, ByteWriter, SKIP_EVERY, skipBytes } from './postings.js';

export const TITLE_WEIGHT = 2;
export const IDENTIFIER_WEIGHT = 2;
const FIELD_GAP = 2;

export interface PageFields {
  title: string;
  identifiers: string;
  text: string;
}

export interface BuiltSegment {
  pages: number;
  /** Per local page: its document, page number, length and fields (page-columns.ts). */
  columns: Buffer;
  /** Every word's lists, one after another: its pages list, then its positions. */
  bytes: Uint8Array;
  /** The words, sorted as SQLite sorts TEXT. */
  terms: string[];
  /** Per word, four numbers: its pages, where its lists start in `bytes`, the pages list's length, the positions' length. */
  layout: Float64Array;
}

/** A growable typed array (grown by half: the lists of a big segment are hundreds of MB). */
class GrowableList<A extends Int32Array | Uint8Array> {
  values: A;
  length = 0;

  constructor(private readonly make: (size: number) => A) {
    this.values = make(1024);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.make(Math.ceil(this.values.length * 1.5));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

const ints = () => new GrowableList((size) => new Int32Array(size));

/**
 * Pages in, posting lists out. Each (page, distinct word) is one entry in flat arrays — its word,
 * page, weight, and where its positions (already in their final bytes) lie — so adding a page
 * allocates nothing per word; entries are grouped by word only when the segment is built, into
 * one buffer the segment's rows are views of.
 */
export class SegmentBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly entryTerm = ints();
  private readonly entryPage = ints();
  private readonly entryWeight = new GrowableList((size) => new Uint8Array(size));
  /** Where each entry's positions start in `positionBytes` (they end where the next entry's start). */
  private readonly entryPositions = ints();
  private readonly positionBytes = new ByteWriter(1 << 16);
  private readonly columns = new ColumnsWriter();
  // One page's words, reused from page to page: each position's word, and for each distinct word
  // its first and last position, linked position to position through `next`.
  private readonly words: string[] = [];
  private next = new Int32Array(1024);
  private readonly slotOf = new Map<string, number>();
  private readonly slotWord: string[] = [];
  private slotFirst = new Int32Array(256);
  private slotLast = new Int32Array(256);

  get pages(): number {
    return this.columns.length;
  }

  addPage(documentId: number, pageNo: number, fields: PageFields, codes: PageCodes): void {
    const local = this.columns.length;
    const words = this.words;
    let count = 0;
    const push = (word: string, _start: number, _end: number, tooLong: boolean) => {
      if (!tooLong) words[count++] = word;
    };
    // Positions: title from 0, identifiers and text each after a gap; a gap holds no word.
    scanWords(fields.title, push);
    const titleEnd = count;
    count += FIELD_GAP;
    scanWords(fields.identifiers, push);
    const identifiersEnd = count;
    count += FIELD_GAP;
    scanWords(fields.text, push);
    const textStart = identifiersEnd + FIELD_GAP;
    if (this.next.length < count) this.next = new Int32Array(2 * count);

    // Each distinct word once, its positions linked in order.
    const { slotOf, next } = this;
    slotOf.clear();
    let slots = 0;
    for (let index = 0; index < count; index += 1) {
      // Gap positions hold no word.
      if (index === titleEnd) index += FIELD_GAP;
      if (index === identifiersEnd) index += FIELD_GAP;
      if (index >= count) break;
      const word = words[index] as string;
      const slot = slotOf.get(word);
      next[index] = -1;
      if (slot === undefined) {
        if (slots === this.slotFirst.length) this.growSlots();
        slotOf.set(word, slots);
        this.slotWord[slots] = word;
        this.slotFirst[slots] = index;
        this.slotLast[slots] = index;
        slots += 1;
      } else {
        next[this.slotLast[slot] as number] = index;
        this.slotLast[slot] = index;
      }
    }
    const bytes = this.positionBytes;
    for (let slot = 0; slot < slots; slot += 1) {
      const word = this.slotWord[slot] as string;
      let term = this.termIds.get(word);
      if (term === undefined) {
        term = this.termNames.length;
        this.termIds.set(word, term);
        this.termNames.push(word);
      }
      let weight = 0;
      for (let at = this.slotFirst[slot] as number; at >= 0; at = next[at] as number) weight += at < titleEnd ? TITLE_WEIGHT : at < textStart ? IDENTIFIER_WEIGHT : 1;
      this.entryTerm.push(term);
      this.entryPage.push(local);
      this.entryWeight.push(weight > 255 ? 255 : weight);
      this.entryPositions.push(bytes.length);
      // As writePositions() would: the byte length, the first position, then distances (one byte
      // each below 128, two below 16,384: a page's words never reach further).
      let length = 0;
      for (let at = this.slotFirst[slot] as number, previous = 0; at >= 0; at = next[at] as number) {
        length += at - previous < 0x80 ? 1 : at - previous < 0x4000 ? 2 : at - previous < 0x200000 ? 3 : 4;
        previous = at;
      }
      bytes.varint(length);
      for (let at = this.slotFirst[slot] as number, previous = 0; at >= 0; at = next[at] as number) {
        bytes.varint(at - previous);
        previous = at;
      }
    }
    this.columns.push(documentId, pageNo, Math.max(0, count - 2 * FIELD_GAP), codes);
  }

  private growSlots(): void {
    const size = 2 * this.slotFirst.length;
    const first = new Int32Array(size);
    first.set(this.slotFirst);
    const last = new Int32Array(size);
    last.set(this.slotLast);
    this.slotFirst = first;
    this.slotLast = last;
  }

  build(): BuiltSegment {
    const pages = this.columns.length;
    // Entries grouped by word (a counting sort keeps each word's pages in page order).
    const terms = this.termNames.length;
    const entries = this.entryTerm.length;
    const starts = new Int32Array(terms + 1);
    const entryTerm = this.entryTerm.values;
    for (let e = 0; e < entries; e += 1) starts[(entryTerm[e] as number) + 1]! += 1;
    for (let t = 0; t < terms; t += 1) starts[t + 1]! += starts[t] as number;
    const fill = starts.slice(0, terms);
    const order = new Int32Array(entries);
    for (let e = 0; e < entries; e += 1) order[fill[entryTerm[e] as number]!++] = e;

    const [entryPage, entryWeight, entryPositions] = [this.entryPage.values, this.entryWeight.values, this.entryPositions.values];
    const positions = this.positionBytes.view();
    const positionEnd = (e: number) => (e + 1 < entries ? (entryPositions[e + 1] as number) : positions.length);
    // Every row's bytes in one buffer: positions copied as they are, page lists encoded (≤ 6 bytes
    // a page, 5 for the count), skip tables (4 bytes every 64 pages, and one more a word).
    const out = new Uint8Array(positions.length + 6 * entries + 5 * terms + 4 * (Math.ceil(entries / SKIP_EVERY) + terms));
    let w = 0;
    const varint = (value: number) => {
      let v = value;
      while (v >= 0x80) {
        out[w++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      out[w++] = v;
    };
    const names = this.termNames.map((name, id) => ({ name, id })).sort((a, b) => compareTerms(a.name, b.name));
    const layout = new Float64Array(4 * terms);
    names.forEach(({ id }, index) => {
      const from = starts[id] as number;
      const to = starts[id + 1] as number;
      // The pages list, as encodePages() writes it.
      const pagesAt = w;
      varint(to - from);
      let previous = 0;
      for (let i = from; i < to; i += 1) {
        const e = order[i] as number;
        const page = entryPage[e] as number;
        const weight = entryWeight[e] as number;
        varint((page - previous) * 2 + (weight === 1 ? 0 : 1));
        if (weight !== 1) out[w++] = weight;
        previous = page;
      }
      // The skip table, then the positions: every 64th page's start, relative to the positions.
      const positionsAt = w;
      const skipAt = w;
      w += skipBytes(to - from);
      const firstPosition = w;
      for (let i = from; i < to; i += 1) {
        if ((i - from) % SKIP_EVERY === 0 && to - from > SKIP_EVERY) {
          const offset = w - firstPosition;
          const slot = skipAt + 4 * ((i - from) / SKIP_EVERY);
          out[slot] = offset & 0xff;
          out[slot + 1] = (offset >>> 8) & 0xff;
          out[slot + 2] = (offset >>> 16) & 0xff;
          out[slot + 3] = offset >>> 24;
        }
        const e = order[i] as number;
        for (let b = entryPositions[e] as number, end = positionEnd(e); b < end; b += 1) out[w++] = positions[b] as number;
      }
      layout.set([to - from, pagesAt, positionsAt - pagesAt, w - positionsAt], 4 * index);
    });
    return { pages, columns: this.columns.finish(), bytes: out.subarray(0, w), terms: names.map((n) => n.name), layout };
  }
}

