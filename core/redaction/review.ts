/**
 * Staff review of a redacted copy: the boxes proposed from the text, as an archivist left them.
 *
 * An archivist's choices are marks kept with the document (catalog table redaction_marks): a box
 * they drew (a name, a signature, a stamp, a photo) and a proposed box they removed. Marks are
 * places, not values: a removed box stays removed while a box is proposed in the same place (most
 * of it shared), so a copy made next month, or after the page was read again, starts from them;
 * a box proposed somewhere new is covered until someone looks at it.
 */
import { overlapRatio } from '../rectangles.js';
import { normalisedBox, type PageBox } from './page-box.js';
import type { FindingKind, ProposedBox } from './proposals.js';

export type MarkAction = 'add' | 'dismiss';

export interface RedactionMark extends PageBox {
  id: number;
  /** Page of the document's PDF, from 1. */
  page: number;
  action: MarkAction;
  /** What an added box covers, in the archivist's words ("assinatura"); never a value. */
  label: string | null;
  madeBy: string;
  madeAt: string;
}

export interface ReviewBox extends PageBox {
  source: 'proposed' | 'drawn';
  /** What a proposed box covers; null for a drawn one. */
  kind: FindingKind | null;
  /** Burned into the copy. */
  covered: boolean;
  /** The mark that drew it or removed it. */
  markId: number | null;
  label: string | null;
}

export interface PageReview {
  /** From 1. */
  page: number;
  /** The page as shown, in points. */
  width: number;
  height: number;
  boxes: ReviewBox[];
}

/** A removed box and a proposed one are the same place when they share this much (intersection over union). */
export const SAME_PLACE = 0.5;

export function reviewPage(page: number, size: { width: number; height: number }, proposed: readonly ProposedBox[], marks: readonly RedactionMark[]): PageReview {
  const own = marks.filter((mark) => mark.page === page);
  const dismissals = own.filter((mark) => mark.action === 'dismiss');
  const boxes: ReviewBox[] = proposed.map(({ kind, x0, y0, x1, y1 }) => {
    const box = { x0, y0, x1, y1 };
    const dismissal = dismissals.find((mark) => overlapRatio(mark, box) >= SAME_PLACE);
    return { ...box, source: 'proposed', kind, covered: !dismissal, markId: dismissal?.id ?? null, label: null };
  });
  for (const mark of own) {
    if (mark.action !== 'add') continue;
    boxes.push({ x0: mark.x0, y0: mark.y0, x1: mark.x1, y1: mark.y1, source: 'drawn', kind: null, covered: true, markId: mark.id, label: mark.label });
  }
  return { page, width: size.width, height: size.height, boxes };
}

/** The boxes the copy burns in, by page. */
export function coveredBoxes(review: readonly PageReview[]): Map<number, PageBox[]> {
  const byPage = new Map<number, PageBox[]>();
  for (const page of review) {
    const boxes = page.boxes.filter((box) => box.covered).map(({ x0, y0, x1, y1 }) => normalisedBox({ x0, y0, x1, y1 })).filter((box): box is PageBox => box !== null);
    if (boxes.length > 0) byPage.set(page.page, boxes);
  }
  return byPage;
}
