/**
 * The typed page's line model: blocks of text wrapped to the page's text width with the font
 * files' advance widths, placed top to bottom. The ground truth is read from this model (one line
 * per placed line), never from the image.
 */
import { type FontKey, metrics } from '../render/fonts.js';
import type { Block, Face, LaidPage, PageText, PlacedLine } from './types.js';

export const mmToPx = (mm: number, dpi: number): number => Math.round((mm / 25.4) * dpi);

export function fontOf(face: Face, bold: boolean): FontKey {
  if (face === 'typewriter') return 'mono';
  if (face === 'typewriter-serif') return 'serif';
  if (face === 'serif') return bold ? 'serif-bold' : 'serif';
  return bold ? 'sans-bold' : 'sans';
}

export function isTypewriter(face: Face): boolean {
  return face === 'typewriter' || face === 'typewriter-serif';
}

export interface Geometry {
  width: number;
  height: number;
  dpi: number;
  margin: { left: number; right: number; top: number; bottom: number };
}

/** A sheet of `wMm`×`hMm` millimetres at `dpi`, with 25 mm side margins and 22/20 mm top/bottom. */
export function sheet(wMm: number, hMm: number, dpi: number, marginMm = { left: 25, right: 25, top: 22, bottom: 20 }): Geometry {
  return {
    width: mmToPx(wMm, dpi),
    height: mmToPx(hMm, dpi),
    dpi,
    margin: { left: mmToPx(marginMm.left, dpi), right: mmToPx(marginMm.right, dpi), top: mmToPx(marginMm.top, dpi), bottom: mmToPx(marginMm.bottom, dpi) },
  };
}

function normalise(b: string | Block): Block {
  const block = typeof b === 'string' ? { text: b } : b;
  const text = block.text.replace(/\s+/g, ' ').trim();
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new Error(`text to draw holds a control character: ${JSON.stringify(block.text)}`);
  return { ...block, text };
}

export function textWidth(text: string, font: FontKey, size: number): number {
  return metrics(font).width(text, size);
}

/** Wraps `text` greedily; the first line may have less room. Throws on a word wider than the line. */
function wrap(text: string, font: FontKey, size: number, first: number, rest: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    const cand = cur ? `${cur} ${word}` : word;
    if (textWidth(cand, font, size) <= (out.length === 0 ? first : rest)) cur = cand;
    else {
      if (!cur) throw new Error(`word too long for the line: ${word}`);
      out.push(cur);
      cur = word;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Lays the text out; returns null when it does not fit on the sheet. */
function tryLayout(text: PageText, face: Face, g: Geometry, sizePx: number, leading: number): LaidPage | null {
  const left = g.margin.left;
  const avail = g.width - g.margin.left - g.margin.right;
  const mono = face === 'typewriter';
  const adv = mono ? metrics('mono').advance('M') * sizePx : 0;
  // A typist counts characters: on a monospaced machine every x lies on the character grid.
  const snap = (x: number): number => (mono ? left + Math.round((x - left) / adv) * adv : x);
  const lines: PlacedLine[] = [];
  let y = g.margin.top;
  const step = leading * sizePx;
  for (const raw of text) {
    const b = normalise(raw);
    if (b.text === '') {
      if (lines.length > 0) y += step * 0.6;
      continue;
    }
    const bold = Boolean(b.bold) && !isTypewriter(face);
    const font = fontOf(face, bold);
    const em = sizePx;
    const indent = (b.indent ?? 0) * em;
    const first = indent + (b.firstIndent ?? 0) * em;
    // 1% of the line kept free: the widths are the font's advances, and kerning only narrows.
    const room = (x: number): number => (avail - x) * 0.99;
    const wrapped = b.align && b.align !== 'left' ? [b.text] : wrap(b.text, font, sizePx, room(first), room(indent));
    for (let i = 0; i < wrapped.length; i++) {
      const t = wrapped[i]!;
      const w = textWidth(t, font, sizePx);
      if (w > avail) throw new Error(`line does not fit the text width: ${JSON.stringify(t)}`);
      y += lines.length === 0 ? sizePx : step;
      if (y > g.height - g.margin.bottom) return null;
      let x: number;
      if (b.align === 'center') x = snap(left + (avail - w) / 2);
      else if (b.align === 'right') x = mono ? left + Math.floor((avail - w) / adv) * adv : left + avail - w;
      else x = snap(left + (i === 0 ? first : indent));
      lines.push({ text: t, x, y, size: sizePx, bold });
    }
  }
  return { width: g.width, height: g.height, dpi: g.dpi, face, lines, margin: g.margin };
}

/**
 * Lays `text` out in `face` at `sizePt` (leading in body sizes). When it does not fit on the sheet the
 * leading closes up to 1.25 (or stays, if tighter) and then the size shrinks, down to 60% of the asked size; beyond that it throws.
 */
export function layout(text: PageText, face: Face, g: Geometry, sizePt: number, leading: number): LaidPage {
  const sizePx = (sizePt / 72) * g.dpi;
  const tightest = Math.min(leading, 1.25);
  for (let k = 0; k <= 8; k++) {
    const laid = tryLayout(text, face, g, sizePx, Math.max(tightest, leading - 0.1 * k));
    if (laid) return laid;
  }
  for (let scale = 0.95; scale >= 0.6; scale -= 0.05) {
    const laid = tryLayout(text, face, g, sizePx * scale, tightest);
    if (laid) return laid;
  }
  throw new Error(`the text does not fit on one page even at 60% of ${sizePt} pt (${text.length} blocks)`);
}

export function truthOf(page: LaidPage): string {
  return page.lines.map((l) => l.text).join('\n') + '\n';
}
