/**
 * dot-matrix: a 9-pin impact printer's draft print on continuous tractor-feed paper (9.5 × 11 in,
 * 300 DPI): every character is a pattern of visible dots on a grid of 1/72 in rows (7 rows for a
 * capital, 2 below the baseline, accents above) in half-columns of 1/120 in (never two in a row along a
 * row), 10 characters per inch, 6 lines per inch. The ribbon fades (the upper rows of a worn ribbon print lighter, and it varies along the page);
 * the sprocket strips at both sides, with their holes and perforations, are noise (not text). Variant
 * `greenbar`: pale green bands, colour JPEG; otherwise greyscale PNG. Heavy: a worn ribbon and one weak pin.
 */
import { FONTS } from '../../render/fonts.js';
import { rasterize, valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { svgOpen, xml } from '../../render/svg.js';
import { Canvas, coverageOf, type Coverage } from '../canvas.js';
import type { ClassSpec } from '../class-spec.js';
import { mmToPx, sheet } from '../layout.js';
import { disk, smoothstep } from '../marks.js';
import type { HardPageOptions, LaidPage } from '../types.js';

const DPI = 300;
const ROW = DPI / 72; // the pins are 1/72 in apart
const STRIP = DPI / 2; // each sprocket strip is 1/2 in wide

/** The glyphs the print head follows: DejaVu Sans Mono with a 7-row cap height, stretched to 10 per inch. */
function glyphSvg(page: LaidPage): string {
  const mono = FONTS.mono;
  const size = (7 * ROW) / 0.729; // DejaVu Sans Mono's cap height is 0.729 em
  const sx = (0.602 * page.lines[0]!.size) / (0.602 * size);
  const body = page.lines
    .map((l) => `<text transform="translate(${l.x.toFixed(2)} ${l.y.toFixed(2)}) scale(${sx.toFixed(4)} 1)" x="0" y="0" font-family="${mono.family}" font-size="${size.toFixed(2)}" fill="#000">${xml(l.text)}</text>`)
    .join('');
  return svgOpen(page.width, page.height) + body + '</svg>';
}

function cellMean(c: Coverage, x: number, y: number, hw: number, hh: number): number {
  let sum = 0;
  let n = 0;
  for (let yy = Math.round(y - hh); yy <= Math.round(y + hh); yy++) {
    for (let xx = Math.round(x - hw); xx <= Math.round(x + hw); xx++) {
      if (xx < 0 || yy < 0 || xx >= c.width || yy >= c.height) continue;
      sum += c.data[yy * c.width + xx]!;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** The sprocket strips: holes (the scanner lid seen through them, with a shadowed rim) and perforations. */
function strips(paper: Canvas, rng: Rng): void {
  const { width: w, height: h } = paper;
  const holes = new Float32Array(w * h);
  const rims = new Float32Array(w * h);
  const perf = new Float32Array(w * h);
  const r = mmToPx(2, DPI);
  const y0 = rng.range(40, 140);
  for (const cx of [STRIP / 2, w - STRIP / 2]) {
    for (let cy = y0; cy < h + r; cy += DPI / 2) {
      disk(rims, w, h, cx + 1.5, cy + 2, r + 2.5, 1);
      disk(holes, w, h, cx, cy, r, 1);
    }
  }
  for (const px of [STRIP, w - STRIP]) {
    for (let y = 0; y < h; y += 16) for (let yy = y; yy < Math.min(h, y + 9); yy++) for (let x = Math.round(px) - 1; x <= Math.round(px) + 1; x++) perf[yy * w + x] = 0.5;
  }
  paper.tint(rims, [0.72, 0.72, 0.72]);
  paper.toward(holes, [250, 250, 248]);
  paper.tint(perf, [0.85, 0.85, 0.85]);
}

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const greenbar = o.variant === 'greenbar';
  const w = page.width;
  const h = page.height;
  const glyphs = coverageOf(await rasterize(glyphSvg(page), w, h));
  // The head is addressed in half-columns (1/120 in at 10 cpi: 12 per character) but a pin cannot fire
  // twice in a row, so along a row dots are at least two half-columns apart.
  const col = (0.602 * page.lines[0]!.size) / 12;
  const dots = new Float32Array(w * h);
  const wear = valueNoise(rng, w, h, 400);
  const ribbon = heavy ? 0.66 : 1;
  const weakRow = heavy ? 4 : -99; // one pin of the head strikes weakly
  for (const l of page.lines) {
    const lineInk = ribbon * (1 + 0.08 * rng.gauss());
    const cols = [...l.text].length * 12;
    for (let k = -10; k <= 2; k++) {
      const y = l.y + k * ROW - ROW / 2;
      // A worn ribbon prints the top of the line lighter than the bottom.
      const rowInk = 1 - (heavy ? 0.32 : 0.1) * smoothstep(-2, -7, k) - (k === -weakRow ? 0.55 : 0);
      let last = -2;
      for (let c = 0; c < cols; c++) {
        const x = l.x + (c + 0.5) * col;
        if (c === last + 1 || cellMean(glyphs, x, y, col * 0.5, ROW * 0.5) < 0.4) continue;
        last = c;
        const i = Math.round(y) * w + Math.round(x);
        const a = Math.max(0.1, Math.min(1, lineInk * rowInk * (1 + 0.12 * wear[i]!) * (1 + 0.1 * rng.gauss())));
        disk(dots, w, h, x + rng.gauss() * 0.3, y + rng.gauss() * 0.3, 2.1, a);
      }
    }
  }
  const paper = greenbar
    ? Canvas.paper(rng, w, h, { tone: [240, 242, 236], shade: 3, fibres: 0.0005, fibreDepth: 10 })
    : Canvas.paper(rng, w, h, { tone: [238, 238, 236], shade: 3, fibres: 0.0005, fibreDepth: 10 });
  if (!greenbar) paper.inkLevels = 16;
  if (greenbar) {
    const band = new Float32Array(w * h);
    const offset = rng.range(0, DPI);
    for (let y = 0; y < h; y++) {
      const on = Math.floor((y + offset) / (DPI / 2)) % 2 === 0 ? 1 : 0;
      if (on) for (let x = Math.round(STRIP + mmToPx(6, DPI)); x < w - STRIP - mmToPx(6, DPI); x++) band[y * w + x] = 1;
    }
    paper.tint(band, [0.86, 0.95, 0.88]);
  }
  strips(paper, rng);
  paper.ink({ width: w, height: h, data: dots }, [34, 34, 40]);
  if (greenbar) paper.grain(rng, 0.6);
  return greenbar ? { raster: paper.toRaster(3), ext: 'jpg' as const, dpi: DPI } : { raster: paper.toRaster(1), ext: 'png' as const, dpi: DPI };
}

export const dotMatrix: ClassSpec = {
  // Continuous stationery, 9.5 × 11 in; the text starts 3/4 in inside the sprocket strips.
  geometry: () => sheet(241.3, 279.4, DPI, { left: 12.7 + 19, right: 12.7 + 19, top: 16, bottom: 14 }),
  face: 'typewriter',
  onlyFace: 'typewriter',
  sizePt: 12, // DejaVu Sans Mono at 12 pt advances 1/10 in: 10 characters per inch
  leading: 1.0, // 6 lines per inch
  render,
};
