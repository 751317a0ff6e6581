/**
 * Axis-aligned rectangles, in whatever unit their corners are given (OCR pixels, fractions of a
 * shown page): area, intersection, how much two are the same box, the box around both.
 */
import type { Box } from './model.js';

export function boxArea(box: Box): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
}

export function intersection(a: Box, b: Box): number {
  return boxArea({ x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) });
}

/** Intersection over union: how much two boxes are the same box. */
export function overlapRatio(a: Box, b: Box): number {
  const shared = intersection(a, b);
  return shared === 0 ? 0 : shared / (boxArea(a) + boxArea(b) - shared);
}

export function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
