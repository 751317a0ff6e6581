/**
 * The typed page: the laid-out lines drawn as SVG (rendered by librsvg through sharp) into an ink
 * coverage map. Typewriter faces strike every character on its own: worn slugs that always sit a
 * little high or low, a random wobble per strike, uneven ink per line and per character, the odd
 * faint or heavy strike. Typeset faces draw one run per line.
 */
import { FONTS, metrics } from '../render/fonts.js';
import { type Raster, rasterize } from '../render/raster.js';
import type { Rng } from '../render/rng.js';
import { svgOpen, xml } from '../render/svg.js';
import { type Coverage, coverageOf } from './canvas.js';
import { fontOf, isTypewriter } from './layout.js';
import type { LaidPage, PlacedLine } from './types.js';

export interface InkOptions {
  /** Whole-page rotation about the centre, degrees (the sheet a little crooked in the machine or on the glass). */
  skewDeg?: number;
  /** Gaussian blur of the rendered ink, px. */
  blur?: number;
  /** Typewriter ribbon: how uneven (0 = every strike alike, 1 = very uneven). */
  uneven?: number;
  /** Mirror left-right (the back of the sheet seen through it). */
  mirror?: boolean;
  /** Extra SVG drawn with the text (rules, signatures), in page coordinates. */
  shapes?: string[];
}

function charSvg(ch: string, x: number, y: number, l: PlacedLine, family: string, weight: string, grey: number, heavy: boolean): string {
  const fill = `rgb(${grey},${grey},${grey})`;
  const stroke = heavy ? ` stroke="${fill}" stroke-width="${(l.size / 45).toFixed(2)}"` : '';
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${family}" font-weight="${weight}" font-size="${l.size.toFixed(1)}" fill="${fill}"${stroke}>${xml(ch)}</text>`;
}

/** Per-character typewriter strikes of every line. */
function typewriterBody(page: LaidPage, rng: Rng, uneven: number): string {
  const scale = page.lines[0] ? page.lines[0].size / 50 : 1;
  const slug = new Map<string, number>();
  const bias = (ch: string): number => {
    let b = slug.get(ch);
    if (b === undefined) {
      b = rng.next() < 0.35 ? (rng.next() < 0.5 ? -1 : 1) * rng.range(0.6, 1.3) * scale : 0;
      slug.set(ch, b);
    }
    return b;
  };
  const parts: string[] = [];
  for (const l of page.lines) {
    const font = fontOf(page.face, false);
    const f = FONTS[font];
    const m = metrics(font);
    const lineInk = rng.range(0, 25 * uneven);
    let x = l.x;
    for (const ch of l.text) {
      if (ch !== ' ') {
        const dy = Math.max(-2 * scale, Math.min(2 * scale, bias(ch) + rng.gauss() * 0.6 * scale));
        const dx = Math.max(-scale, Math.min(scale, rng.gauss() * 0.45 * scale));
        const faded = rng.next() < 0.06 * uneven;
        const heavy = !faded && rng.next() < 0.1;
        const grey = Math.round(Math.min(110, lineInk + (faded ? rng.range(55, 85) : rng.range(0, 35 * uneven))));
        parts.push(charSvg(ch, x + dx, l.y + dy, l, f.family, f.weight, grey, heavy));
      }
      x += m.advance(ch) * l.size;
    }
  }
  return parts.join('');
}

function typesetBody(page: LaidPage): string {
  return page.lines
    .map((l) => {
      const f = FONTS[fontOf(page.face, l.bold)];
      return `<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" font-family="${f.family}" font-weight="${f.weight}" font-size="${l.size.toFixed(1)}" fill="#000">${xml(l.text)}</text>`;
    })
    .join('');
}

export function pageSvg(page: LaidPage, rng: Rng, o: InkOptions = {}): string {
  const body = (isTypewriter(page.face) ? typewriterBody(page, rng, o.uneven ?? 1) : typesetBody(page)) + (o.shapes ?? []).join('');
  const transforms: string[] = [];
  if (o.mirror) transforms.push(`translate(${page.width} 0) scale(-1 1)`);
  if (o.skewDeg) transforms.push(`rotate(${o.skewDeg.toFixed(3)} ${page.width / 2} ${page.height / 2})`);
  const g = transforms.length ? `<g transform="${transforms.join(' ')}">${body}</g>` : body;
  return svgOpen(page.width, page.height) + g + '</svg>';
}

/** The page's ink as coverage (0 = paper, 1 = full ink). */
export async function inkCoverage(page: LaidPage, rng: Rng, o: InkOptions = {}): Promise<Coverage> {
  const raster = await rasterize(pageSvg(page, rng, o), page.width, page.height, { blur: o.blur });
  return coverageOf(raster);
}

/** The page's ink as an 8-bit grey raster on white (what samples/render/damage.ts's carbonCopy takes). */
export async function inkRaster(page: LaidPage, rng: Rng, o: InkOptions = {}): Promise<Raster> {
  return rasterize(pageSvg(page, rng, o), page.width, page.height, { blur: o.blur });
}
