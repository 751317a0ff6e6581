/** Affine matrices in PDF order [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
import type { Matrix } from './model.js';

/** The transform applying `first`, then `second`. */
export function multiply(first: Matrix, second: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [
    a1 * a2 + b1 * c2,
    a1 * b2 + b1 * d2,
    c1 * a2 + d1 * c2,
    c1 * b2 + d1 * d2,
    e1 * a2 + f1 * c2 + e2,
    e1 * b2 + f1 * d2 + f2,
  ];
}

export function invert(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (det === 0) throw new RangeError('Matrix is not invertible');
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function scaling(sx: number, sy: number = sx): Matrix {
  return [sx, 0, 0, sy, 0, 0];
}

/** Pixel space of an image (y down) onto a page of the image's physical size (points, y up). */
export function rasterToPageMatrix(width: number, height: number, dpiX: number, dpiY: number): Matrix {
  const heightPt = (height * 72) / dpiY;
  return [72 / dpiX, 0, 0, -72 / dpiY, 0, heightPt];
}
