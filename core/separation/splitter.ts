/**
 * Where a batch scan's documents begin and end, decided page by page in order. A page is either
 * a separator (left out of every document) or belongs to the current part; a part begins at the
 * first kept page after a separator, so no part is ever empty.
 *
 * - barcode: a page with an Acervo separator code separates; a blank page right after it is the
 *   sheet's back (duplex scanners) and goes with it. A metadata code describes the next part
 *   (a later sheet before that part's first page wins, field by field).
 * - blank, blankPages 1: every blank page separates.
 * - blank, blankPages 2: two or more blank pages in a row separate; a lone blank page stays in its
 *   document, so the decision on a blank page waits for the page after it.
 */
import type { ManualMetadata, SeparatorFound, SplitOptions } from '../model.js';
import type { SeparatorCode } from './separator-code.js';

/** What was seen on a page. */
export interface PageSignals {
  pageNo: number;
  /** An Acervo separator code found on the page, if any. */
  code: SeparatorCode | null;
  blank: boolean;
}

export type PageDecision =
  | { pageNo: number; kind: 'keep'; partNo: number; startsPart: boolean; separator: SeparatorFound | null; metadata: ManualMetadata | null }
  | { pageNo: number; kind: 'separator'; found: SeparatorFound };

export class Splitter {
  private partNo = 0;
  /** A separator was seen since the current part's last page: the next kept page opens a part. */
  private opened: { separator: SeparatorFound | null; metadata: ManualMetadata | null } | null = { separator: null, metadata: null };
  /** blank, 2: a lone blank page waiting for the page after it. */
  private pendingBlanks: PageSignals[] = [];
  /** blank, 2: inside a run of blank pages already known to separate. */
  private inBlankRun = false;
  /** barcode: the last page was a separator sheet (its blank back may follow). */
  private afterSheet = false;

  constructor(private readonly options: SplitOptions) {}

  /** Decisions for this page, and for pages held before it; none while a blank page waits. */
  push(page: PageSignals): PageDecision[] {
    const { mode, blankPages } = this.options;
    if (mode === 'barcode') {
      if (page.code) {
        this.afterSheet = true;
        return [this.separate(page, 'barcode')];
      }
      if (page.blank && this.afterSheet) return [this.separate(page, 'blank')];
      this.afterSheet = false;
      return [this.keep(page.pageNo)];
    }
    if (mode === 'blank' && page.blank) {
      if (blankPages === 1 || this.inBlankRun) return [this.separate(page, 'blank')];
      this.pendingBlanks.push(page);
      if (this.pendingBlanks.length < blankPages) return [];
      this.inBlankRun = true;
      return this.flushBlanks();
    }
    this.inBlankRun = false;
    const decisions = this.flushBlanks();
    decisions.push(this.keep(page.pageNo));
    return decisions;
  }

  /** Decisions for pages still held at the end of the file (a lone blank last page stays in its document). */
  end(): PageDecision[] {
    return this.flushBlanks();
  }

  /** Held blank pages: separators once there are enough of them in a row, else pages of the document. */
  private flushBlanks(): PageDecision[] {
    const held = this.pendingBlanks;
    this.pendingBlanks = [];
    if (held.length >= this.options.blankPages) return held.map((page) => this.separate(page, 'blank'));
    return held.map((page) => this.keep(page.pageNo));
  }

  private separate(page: PageSignals, kind: 'barcode' | 'blank'): PageDecision {
    const found: SeparatorFound = { page: page.pageNo, kind, text: kind === 'barcode' ? (page.code?.text ?? null) : null, metadata: kind === 'barcode' ? (page.code?.metadata ?? null) : null, warnings: kind === 'barcode' ? (page.code?.warnings ?? []) : [] };
    const metadata = found.metadata ? { ...(this.opened?.metadata ?? {}), ...found.metadata } : (this.opened?.metadata ?? null);
    // The separator that opens the next part is the first since the last kept page.
    this.opened = { separator: this.opened?.separator ?? found, metadata };
    return { pageNo: page.pageNo, kind: 'separator', found };
  }

  private keep(pageNo: number): PageDecision {
    const opened = this.opened;
    this.opened = null;
    if (opened) this.partNo++;
    return { pageNo, kind: 'keep', partNo: this.partNo, startsPart: opened !== null, separator: opened?.separator ?? null, metadata: opened?.metadata ?? null };
  }
}
