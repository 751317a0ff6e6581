/**
 * The boxes a redacted copy proposes on a page: one over every personal number the policy knows
 * (CPF, RG, PIS/NIT, título de eleitor, CUIT/CUIL, DNI; core/privacy/personal-numbers.ts) and
 * every e-mail address and telephone number (core/privacy/contact-details.ts) in the page's text.
 * A company's number (CNPJ, a company CUIT) is public and gets none.
 *
 * A finding over two lines gets a box on each. Boxes are padded beyond the characters' estimated
 * place, and by a whole character where the finding is only part of a word (`CPF:123…` read as
 * one word): a misplaced box that leaves a digit's edge showing would be a leak.
 */
import { findContactDetails, type ContactKind } from '../privacy/contact-details.js';
import { findPersonalNumbers, type PersonalNumberKind } from '../privacy/personal-numbers.js';
import { union } from '../rectangles.js';
import type { PageBox } from './page-box.js';
import { charactersBox, type PageReading } from './page-reading.js';

export type FindingKind = PersonalNumberKind | ContactKind;

export interface ProposedBox extends PageBox {
  kind: FindingKind;
}

interface Finding {
  kind: FindingKind;
  index: number;
  length: number;
}

/** Padding around the characters, as a part of the line's height. */
const PAD = 0.15;

/**
 * What on the page's text a redacted copy covers, in text order. `contacts`: e-mail addresses and
 * telephones too (a citizen's copy); without, personal numbers only (what the access policy masks).
 */
export function findings(text: string, contacts = true): Finding[] {
  const all: Finding[] = [
    ...findPersonalNumbers(text)
      .filter((number) => number.personal)
      .map(({ kind, index, length }) => ({ kind, index, length })),
    ...(contacts ? findContactDetails(text) : []),
  ].sort((a, b) => a.index - b.index);
  // A telephone found inside a personal number (or the reverse) is one finding: the first, longest.
  const kept: Finding[] = [];
  for (const finding of all) {
    const last = kept[kept.length - 1];
    if (last && finding.index < last.index + last.length) {
      const end = Math.max(last.index + last.length, finding.index + finding.length);
      last.length = end - last.index;
      continue;
    }
    kept.push({ ...finding });
  }
  return kept;
}

export function proposedBoxes(reading: PageReading, contacts = true): ProposedBox[] {
  const boxes: ProposedBox[] = [];
  for (const finding of findings(reading.text, contacts)) {
    const end = finding.index + finding.length;
    let current: PageBox | null = null;
    let lineHeight = 0;
    const close = () => {
      if (current) boxes.push({ kind: finding.kind, ...padded(current, lineHeight, reading) });
      current = null;
      lineHeight = 0;
    };
    reading.items.forEach((item, index) => {
      const start = reading.starts[index]!;
      const itemEnd = start + item.str.length;
      if (itemEnd <= finding.index || start >= end) return;
      let from = Math.max(0, finding.index - start);
      let to = Math.min(item.str.length, end - start);
      // Part of a word: one character more on the cut side, where the estimate is least sure.
      if (from > 0) from -= 1;
      if (to < item.str.trimEnd().length) to += 1;
      const box = charactersBox(reading, index, from, to);
      const height = (box.y1 - box.y0) * reading.height;
      if (current && !sameLine(current, box)) close();
      current = current ? union(current, box) : box;
      lineHeight = Math.max(lineHeight, Math.min(height, (box.x1 - box.x0) * reading.width));
    });
    close();
  }
  return boxes;
}

/** Boxes on one line: they overlap by most of their height. */
function sameLine(a: PageBox, b: PageBox): boolean {
  const shared = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return shared > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

function padded(box: PageBox, lineHeight: number, reading: PageReading): PageBox {
  const padX = (PAD * lineHeight) / reading.width;
  const padY = (PAD * lineHeight) / reading.height;
  return {
    x0: Math.max(0, box.x0 - padX),
    y0: Math.max(0, box.y0 - padY),
    x1: Math.min(1, box.x1 + padX),
    y1: Math.min(1, box.y1 + padY),
  };
}
