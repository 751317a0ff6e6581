/**
 * Where a redaction box lies: a rectangle on a page as a viewer shows it (turned by its /Rotate,
 * cut to its crop box), in fractions of the shown width and height, y down. One frame for the
 * review page (boxes drawn over the page image at any zoom), the catalog, and the copy's pixels.
 */
export interface PageBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** The box inside the page, corners in order; null when nothing of it is left. */
export function normalisedBox(box: PageBox): PageBox | null {
  const values = [box.x0, box.y0, box.x1, box.y1];
  if (!values.every(Number.isFinite)) return null;
  const x0 = clamp(Math.min(box.x0, box.x1));
  const x1 = clamp(Math.max(box.x0, box.x1));
  const y0 = clamp(Math.min(box.y0, box.y1));
  const y1 = clamp(Math.max(box.y0, box.y1));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

export function boxArea(box: PageBox): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
}

export function intersection(a: PageBox, b: PageBox): number {
  return boxArea({ x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) });
}

/** Intersection over union: how much two boxes are the same box. */
export function overlapRatio(a: PageBox, b: PageBox): number {
  const shared = intersection(a, b);
  return shared === 0 ? 0 : shared / (boxArea(a) + boxArea(b) - shared);
}

export function union(a: PageBox, b: PageBox): PageBox {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
