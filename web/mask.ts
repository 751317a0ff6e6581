/**
 * A snippet (HTML-escaped text with <mark>…</mark>) as a user may see it: the same masking as any
 * text (core/access/policy.ts), applied to its text with the marks kept where they were. Backends
 * build snippets from masked text already, so a number cut at a snippet's edge was masked whole
 * before it was cut; this is the second lock on that door.
 */
import type { AccessView } from '../core/access/policy.js';
import { findPersonalNumbers } from '../core/privacy/personal-numbers.js';
import type { Facets } from '../core/search/search-backend.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A piece of a number cut off by the snippet's edge ("…605-35, matrícula"). */
const EDGE_PIECES = [/^(…\s*)([\d.\-/ ]{4,18})/u, /([\d.\-/ ]{4,18})(\s*…)$/u];

/** Digits of a number-like piece touching the snippet's "…", masked: what was cut off cannot be told. */
function maskEdges(text: string): string {
  let out = text;
  for (const [index, edge] of EDGE_PIECES.entries()) {
    const m = edge.exec(out);
    if (!m) continue;
    const piece = index === 0 ? m[2]! : m[1]!;
    if ((piece.match(/\d/g) ?? []).length < 4) continue;
    // A whole personal number ending at the edge was not cut: the mask already decided on it (one the user typed stays).
    if (findPersonalNumbers(piece).some((number) => number.personal && number.text === piece.trim())) continue;
    const at = index === 0 ? m[1]!.length : m.index;
    out = out.slice(0, at) + piece.replace(/\d/g, '*') + out.slice(at + piece.length);
  }
  return out;
}

/**
 * `mask` must keep the text's length (personal-numbers.ts's masking does). `edges`: also mask a
 * number-like piece cut off at either end (for users who may not see personal numbers).
 */
export function maskSnippet(snippet: string, mask: (text: string) => string, edges = true): string {
  const parts = snippet.split(/(<mark>|<\/mark>)/);
  const texts = parts.map((part) => (part === '<mark>' || part === '</mark>' ? '' : part.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!)));
  const joined = mask(texts.join(''));
  const masked = edges ? maskEdges(joined) : joined;
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

/** Facet values are names from folders and metadata: masked like any text (a folder may be named by a CPF). */
export function maskFacets(facets: Facets, view: AccessView, typed: ReadonlySet<string>): Facets {
  if (view.showPersonalData) return facets;
  const masked = (values: Facets['collection']) => values.map((entry) => ({ ...entry, value: view.text(entry.value, typed) }));
  return { ...facets, collection: masked(facets.collection), documentType: masked(facets.documentType) };
}
