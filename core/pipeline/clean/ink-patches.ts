/** Connected patches of ink on the analysis map: what the blank and text checks judge marks by. */
import type { InkMap } from './ink.js';

export interface Patch {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
  /** Indexes into the map of the patch's pixels. */
  pixels: number[];
}

/** Connected patches of ink (8-connected), by an explicit stack: pages are a million pixels. */
export function patches(map: InkMap): Patch[] {
  const { width: W, height: H, ink } = map;
  const seen = new Uint8Array(W * H);
  const found: Patch[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const patch: Patch = { x0: W, y0: H, x1: 0, y1: 0, area: 0, pixels: [] };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % W;
      const y = (i - x) / W;
      patch.pixels.push(i);
      patch.area++;
      if (x < patch.x0) patch.x0 = x;
      if (x > patch.x1) patch.x1 = x;
      if (y < patch.y0) patch.y0 = y;
      if (y > patch.y1) patch.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= W) continue;
          const j = ny * W + nx;
          if (ink[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    found.push(patch);
  }
  return found;
}
