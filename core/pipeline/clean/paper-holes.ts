/**
 * Holes through the sheet, found in the OCR image and painted over with paper: the two or four
 * holes of a page filed in a binder, and the sprocket holes down both sides of a tractor-feed
 * form. Tesseract reads a hole as a letter: the column of sprocket holes of a dot-matrix notice
 * read as a line of "C C CC OC …" at confidence 58–89, a third of that page's character errors.
 * Scanner drivers offer the same repair ("punch hole removal"); the page the PDF shows keeps them.
 *
 * A hole is a round patch of a punched hole's size (3.5–10 mm) within a punched hole's distance
 * of an edge (25 mm; edge-artefacts.ts gives both, and the standards; a tractor feed's 5/32 in
 * holes, 1/4 in from the edge, fall within them) that stands alone, no other mark within its
 * width, with a partner as large and as far from the same edge (a punch makes two or more holes,
 * a tractor feed a column). It differs from the paper either way: darker when the lid or backing behind it is
 * dark, lighter when it is white and the paper is not, with the rim's shadow darker still, so a
 * patch is whatever differs from the paper's tone by HOLE_CONTRAST: a disc, or a ring when only
 * the rim shows. A letter as large as a hole has letters beside it; a title typed in capitals
 * this large and spaced out (`O F Í C I O`) within 25 mm of an edge could lose its Os to this.
 */
import { HOLE_MAX_MM, HOLE_MIN_MM, HOLE_ZONE_MM } from './edge-artefacts.js';
import type { InkMap } from './ink.js';
import { patches, type Patch } from './ink-patches.js';
import type { GreyImage } from './restore.js';

/** The map holes are looked for on: enough for a 3.5 mm hole to span 14 pixels. */
const MAP_DPI = 100;
/** Grey levels a hole or its rim differs from the paper by (a white hole on paper of 236: 250). */
const HOLE_CONTRAST = 12;
/**
 * A disc fills π/4 of its box. A hole whose inside looks like the paper (white lid, white paper)
 * shows only its rim, a ring: hollow at the centre, still filling a share of its box.
 */
const DISC_FILL = 0.6;
const RING_FILL = 0.15;
const MAX_ASPECT = 1.4;
/**
 * No other mark within the hole's width around it: letters have neighbours closer than that. Only
 * marks this much darker than the paper count, not a tractor feed's faint perforation beside its
 * holes (17 grey levels on the hard pages' dot-matrix forms).
 */
const CLEAR_AROUND = 1;
const NEIGHBOUR_CONTRAST = 24;
/** Holes come in sets punched by one tool: at least two, as far from the same edge and as large as each other. */
const SET_INSET_MM = 1.5;
const SET_SIZE_RATIO = 1.25;

/** A hole's box in the image's pixels, with its rim. */
export interface Hole {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Paints every hole in the image with its paper's tone, in place; how many there were. Before
 * the background is flattened (paper.ts), which would make a light hole paper and leave its
 * shadow alone, a crescent no longer round.
 */
export function fillPaperHoles(image: GreyImage, dpi: number): number {
  const { holes, paper } = paperHoles(image, dpi);
  for (const hole of holes) {
    for (let y = hole.y0; y <= hole.y1; y++) image.data.fill(paper, y * image.width + hole.x0, y * image.width + hole.x1 + 1);
  }
  return holes.length;
}

export function findPaperHoles(image: GreyImage, dpi: number): Hole[] {
  return paperHoles(image, dpi).holes;
}

function paperHoles(image: GreyImage, dpi: number): { holes: Hole[]; paper: number } {
  const step = Math.max(1, Math.round(dpi / MAP_DPI));
  const means = blockMeans(image, step);
  const paper = paperLevel(means);
  const map = differsFromPaper(means, paper, HOLE_CONTRAST);
  const marks = differsFromPaper(means, paper, NEIGHBOUR_CONTRAST);
  const pxPerMm = dpi / step / 25.4;
  const single = patches(map).filter((patch) => isHole(patch, map, pxPerMm) && standsAlone(patch, marks, Math.ceil(CLEAR_AROUND * Math.max(patch.x1 - patch.x0, patch.y1 - patch.y0))));
  // The map's pixels back to the image's, one map pixel wider each way for the rim's blur.
  const holes = inSets(single, map, pxPerMm).map((patch) => ({
    x0: Math.max(0, (patch.x0 - 1) * step),
    y0: Math.max(0, (patch.y0 - 1) * step),
    x1: Math.min(image.width - 1, (patch.x1 + 2) * step - 1),
    y1: Math.min(image.height - 1, (patch.y1 + 2) * step - 1),
  }));
  return { holes, paper };
}

/** The holes that have a partner: as far from the same edge (within SET_INSET_MM), of a size. */
function inSets(candidates: Patch[], map: InkMap, pxPerMm: number): Patch[] {
  const insets = (p: Patch) => [p.x0, p.y0, map.width - 1 - p.x1, map.height - 1 - p.y1];
  const size = (p: Patch) => Math.max(p.x1 - p.x0, p.y1 - p.y0) + 1;
  return candidates.filter((p) =>
    candidates.some((q) => {
      if (q === p || Math.max(size(p), size(q)) > SET_SIZE_RATIO * Math.min(size(p), size(q))) return false;
      const [a, b] = [insets(p), insets(q)];
      return a.some((inset, edge) => inset <= HOLE_ZONE_MM * pxPerMm && Math.abs(inset - b[edge]!) <= SET_INSET_MM * pxPerMm);
    }),
  );
}

/** The image in step×step blocks, each its mean grey level, rounded. */
function blockMeans(image: GreyImage, step: number): GreyImage {
  const width = Math.floor(image.width / step);
  const height = Math.floor(image.height / step);
  const data = new Uint8Array(width * height);
  const area = step * step;
  for (let my = 0; my < height; my++) {
    for (let mx = 0; mx < width; mx++) {
      let sum = 0;
      for (let y = my * step; y < (my + 1) * step; y++) {
        const row = y * image.width;
        for (let x = mx * step; x < (mx + 1) * step; x++) sum += image.data[row + x]!;
      }
      data[my * width + mx] = Math.round(sum / area);
    }
  }
  return { data, width, height };
}

/** The most common grey level: the paper's, in whatever grey the image was made (luminance, an ink channel). */
function paperLevel(means: GreyImage): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of means.data) histogram[v]!++;
  return histogram.indexOf(Math.max(...histogram));
}

function differsFromPaper(means: GreyImage, paper: number, contrast: number): InkMap {
  const ink = new Uint8Array(means.data.length);
  let inkPixels = 0;
  for (let i = 0; i < ink.length; i++) {
    if (Math.abs(means.data[i]! - paper) >= contrast) {
      ink[i] = 1;
      inkPixels++;
    }
  }
  return { width: means.width, height: means.height, ink, inkPixels };
}

function isHole(p: Patch, map: InkMap, pxPerMm: number): boolean {
  const { width: W, height: H } = map;
  // A patch cut by the image's edge is the lid's shadow or the sheet's border, not a hole.
  if (p.x0 === 0 || p.y0 === 0 || p.x1 === W - 1 || p.y1 === H - 1) return false;
  const w = p.x1 - p.x0 + 1;
  const h = p.y1 - p.y0 + 1;
  const [wMm, hMm] = [w / pxPerMm, h / pxPerMm];
  if (Math.min(wMm, hMm) < HOLE_MIN_MM || Math.max(wMm, hMm) > HOLE_MAX_MM || Math.max(w, h) / Math.min(w, h) > MAX_ASPECT) return false;
  const nearestEdgeMm = Math.min(p.x1 + 1, W - p.x0, p.y1 + 1, H - p.y0) / pxPerMm;
  if (nearestEdgeMm > HOLE_ZONE_MM) return false;
  const fill = p.area / (w * h);
  return fill >= DISC_FILL || (fill >= RING_FILL && hollow(p, map));
}

/** Nothing marked in the middle third of the patch's box. */
function hollow(p: Patch, map: InkMap): boolean {
  const w = p.x1 - p.x0 + 1;
  const h = p.y1 - p.y0 + 1;
  for (let y = p.y0 + Math.floor(h / 3); y < p.y0 + Math.ceil((2 * h) / 3); y++) {
    for (let x = p.x0 + Math.floor(w / 3); x < p.x0 + Math.ceil((2 * w) / 3); x++) if (map.ink[y * map.width + x]) return false;
  }
  return true;
}

/** No marked pixel outside the patch's box within `margin` of it. */
function standsAlone(p: Patch, map: InkMap, margin: number): boolean {
  const x0 = Math.max(0, p.x0 - margin);
  const x1 = Math.min(map.width - 1, p.x1 + margin);
  const y0 = Math.max(0, p.y0 - margin);
  const y1 = Math.min(map.height - 1, p.y1 + margin);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const inBox = x >= p.x0 && x <= p.x1 && y >= p.y0 && y <= p.y1;
      if (!inBox && map.ink[y * map.width + x]) return false;
    }
  }
  return true;
}
