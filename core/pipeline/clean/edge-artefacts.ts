/**
 * Marks on a page that paper and scanner make, not writing: what blank-page detection sets aside.
 * Each is a connected patch of ink judged by its size, shape and where it lies:
 *
 * - punch holes: round patches 4–10 mm across within 25 mm of an edge (ISO 838: 6 mm holes
 *   centred 12 mm from the edge, two or four; US three-hole: 1/4–5/16 in, 3/8–1/2 in in), filled
 *   when the lid behind them is dark, a ring when it is light and only the hole's rim shows;
 * - staple shadows: thin strokes up to 18 mm long near a corner;
 * - scanner-edge shadows: what of a patch touching the page's edge lies within 15% of that edge.
 *
 * Letters near an edge can look like a hole, but only a page whose every mark looks like one is
 * taken for blank, and a page of writing has many more.
 */
import { ANALYSIS_DPI, type InkMap } from './ink.js';
import { patches, type Patch } from './ink-patches.js';

const PX_PER_MM = ANALYSIS_DPI / 25.4;
/** A punched hole's size and how far from an edge it lies (also paper-holes.ts, which paints them out of the OCR image). */
export const HOLE_MIN_MM = 3.5;
export const HOLE_MAX_MM = 10;
export const HOLE_ZONE_MM = 25;
const STAPLE_MAX_MM = 18;
const STAPLE_THICK_MM = 2.2;
const CORNER_ZONE_MM = 40;
const SHADOW_DEPTH = 0.15;

/** 1 on every ink pixel that belongs to an artefact of paper or scanner. */
export function edgeArtefacts(map: InkMap): Uint8Array {
  const artefact = new Uint8Array(map.width * map.height);
  for (const patch of patches(map)) {
    if (touchesEdge(patch, map)) markShadow(patch, map, artefact);
    else if (isArtefact(patch, map)) for (const i of patch.pixels) artefact[i] = 1;
  }
  return artefact;
}

function touchesEdge(p: Patch, map: InkMap): boolean {
  return p.x0 === 0 || p.y0 === 0 || p.x1 === map.width - 1 || p.y1 === map.height - 1;
}

/**
 * A patch from the page's edge: the lid's shadow, often along two edges at once (an L). What of
 * it lies within SHADOW_DEPTH of an edge it touches is shadow; what reaches further (a ruled line
 * running off the page) still counts.
 */
function markShadow(p: Patch, map: InkMap, artefact: Uint8Array): void {
  const { width: W, height: H } = map;
  const left = p.x0 === 0 ? W * SHADOW_DEPTH : -1;
  const right = p.x1 === W - 1 ? W * (1 - SHADOW_DEPTH) : W + 1;
  const top = p.y0 === 0 ? H * SHADOW_DEPTH : -1;
  const bottom = p.y1 === H - 1 ? H * (1 - SHADOW_DEPTH) : H + 1;
  for (const i of p.pixels) {
    const x = i % W;
    const y = (i - x) / W;
    if (x < left || x > right || y < top || y > bottom) artefact[i] = 1;
  }
}

function isArtefact(p: Patch, map: InkMap): boolean {
  const { width: W, height: H } = map;
  const w = (p.x1 - p.x0 + 1) / PX_PER_MM;
  const h = (p.y1 - p.y0 + 1) / PX_PER_MM;
  // How far the patch's far side lies from each edge, in mm.
  const fromLeft = (p.x1 + 1) / PX_PER_MM;
  const fromRight = (W - p.x0) / PX_PER_MM;
  const fromTop = (p.y1 + 1) / PX_PER_MM;
  const fromBottom = (H - p.y0) / PX_PER_MM;

  const nearEdge = Math.min(fromLeft, fromRight, fromTop, fromBottom) <= HOLE_ZONE_MM;
  const round = w >= HOLE_MIN_MM && h >= HOLE_MIN_MM && w <= HOLE_MAX_MM && h <= HOLE_MAX_MM && Math.max(w, h) / Math.min(w, h) <= 1.5;
  if (nearEdge && round) {
    const fill = p.area / ((p.x1 - p.x0 + 1) * (p.y1 - p.y0 + 1));
    // A dark hole fills its box like a disc (π/4); a light one leaves its rim, hollow at the centre.
    if (fill >= 0.6) return true;
    const cx = Math.round((p.x0 + p.x1) / 2);
    const cy = Math.round((p.y0 + p.y1) / 2);
    if (fill <= 0.45 && !hasInkAround(map, cx, cy, Math.max(1, Math.round(Math.min(w, h) * PX_PER_MM * 0.2)))) return true;
  }

  const inCorner = Math.min(fromLeft, fromRight) <= CORNER_ZONE_MM && Math.min(fromTop, fromBottom) <= CORNER_ZONE_MM;
  const length = Math.hypot(w, h);
  if (inCorner && length <= STAPLE_MAX_MM * 1.05 && p.area / PX_PER_MM ** 2 <= length * STAPLE_THICK_MM) return true;
  return false;
}

function hasInkAround(map: InkMap, cx: number, cy: number, r: number): boolean {
  for (let y = cy - r; y <= cy + r; y++) {
    for (let x = cx - r; x <= cx + r; x++) if (x >= 0 && y >= 0 && x < map.width && y < map.height && map.ink[y * map.width + x]) return true;
  }
  return false;
}
