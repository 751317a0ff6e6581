/**
 * LGPD: people's taxpayer numbers (CPF, CUIL) in what the API sends are masked for users who may
 * not see personal data: `318.472.605-35` becomes `***.472.605-**`. A snippet may cut a number at
 * its edge, so a number-like piece touching the snippet's "…" is masked whole.
 */
import { findPersonalNumbers, maskNumber } from '../core/metadata/personal-data.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Looks like a CPF whatever its check digits (a misread one is still someone's). */
const CPF_SHAPE = /\d{3}\.\d{3}\.\d{3}\s?-\s?\d{2}/g;
/** A cut-off piece of a number at the snippet's edge. */
const EDGE_PIECES = [/^(…\s*)([\d.\-/ ]{4,18})/, /([\d.\-/ ]{4,18})(\s*…)$/];

export function maskText(text: string): string {
  let out = text;
  const hide = (index: number, length: number) => {
    out = out.slice(0, index) + maskNumber(out.slice(index, index + length)) + out.slice(index + length);
  };
  for (const number of findPersonalNumbers(text)) if (number.personal) hide(number.index, number.text.length);
  for (const m of out.matchAll(CPF_SHAPE)) hide(m.index!, m[0].length);
  for (const edge of EDGE_PIECES) {
    const m = edge.exec(out);
    if (!m) continue;
    const piece = edge === EDGE_PIECES[0] ? m[2]! : m[1]!;
    if ((piece.match(/\d/g) ?? []).length < 4) continue;
    const at = edge === EDGE_PIECES[0] ? m[1]!.length : m.index!;
    out = out.slice(0, at) + piece.replace(/\d/g, '*') + out.slice(at + piece.length);
  }
  return out;
}

/** The same masking on a snippet (escaped text with <mark>…</mark>), keeping its marks where they were. */
export function maskSnippet(snippet: string): string {
  const parts = snippet.split(/(<mark>|<\/mark>)/);
  const texts = parts.map((part) => (part === '<mark>' || part === '</mark>' ? '' : part.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!)));
  const masked = maskText(texts.join(''));
  let at = 0;
  return parts
    .map((part, i) => {
      if (part === '<mark>' || part === '</mark>') return part;
      const piece = masked.slice(at, at + texts[i]!.length);
      at += texts[i]!.length;
      return piece.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
    })
    .join('');
}
