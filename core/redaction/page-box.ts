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
