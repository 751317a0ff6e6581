/**
 * stamps: rubber stamps and pen marks over a typed page. Round stamps (text around the rim, a date in
 * the middle) and rectangular ones (RECEBIDO, a date, a section), in red, blue or violet, inked
 * unevenly, turned a little, partly over the text; a handwritten note and initials in pen. Stamps and
 * handwriting are noise: the ground truth holds only the typed text. Colour JPEG, 300 DPI. Heavy: three
 * stamps over the body text and a note written across the lines.
 */
import { FONTS, metrics } from '../../render/fonts.js';
import { rasterize, valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { scribble, svgOpen, xml } from '../../render/svg.js';
import { handwrittenLine } from '../handwriting.js';
import { Canvas, type Coverage, coverageOf, type Rgb } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

const STAMP_INKS: Rgb[] = [
  [196, 42, 52], // red
  [40, 72, 168], // blue
  [112, 58, 160], // violet
];
const PEN: Rgb[] = [
  [28, 44, 120],
  [30, 30, 36],
];

const DEFAULT_TEXTS = { round: ['PREFEITURA MUNICIPAL', 'PROTOCOLO GERAL'] as [string, string], box: ['RECEBIDO', '12 MAR. 1986', 'Setor de Protocolo'] as [string, string, string] };

/** Font size at which `text` in DejaVu Sans Bold is at most `width` px wide (and at most `size`). */
function fit(text: string, size: number, width: number): number {
  return Math.min(size, width / metrics('sans-bold').width(text, 1));
}

function arcText(text: string, cx: number, cy: number, r: number, top: boolean, size: number): string {
  const sans = FONTS['sans-bold'];
  const chars = [...text];
  const step = (size * 0.78) / r; // radians per character
  const span = step * (chars.length - 1);
  return chars
    .map((ch, i) => {
      const phi = top ? -Math.PI / 2 - span / 2 + i * step : Math.PI / 2 + span / 2 - i * step;
      const rr = top ? r : r + size * 0.7;
      const x = cx + rr * Math.cos(phi);
      const y = cy + rr * Math.sin(phi);
      const rot = ((top ? phi + Math.PI / 2 : phi - Math.PI / 2) * 180) / Math.PI;
      return `<text x="0" y="0" transform="translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${rot.toFixed(1)})" text-anchor="middle" font-family="${sans.family}" font-weight="bold" font-size="${size}" fill="#000">${xml(ch)}</text>`;
    })
    .join('');
}

function roundStamp(cx: number, cy: number, r: number, texts: [string, string], date: string, angle: number): string {
  const sans = FONTS['sans-bold'];
  const size = Math.round(r * 0.17);
  return (
    `<g transform="rotate(${angle.toFixed(1)} ${cx} ${cy})">` +
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="#000" stroke-width="${(r * 0.035).toFixed(1)}"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${(r * 0.66).toFixed(1)}" fill="none" stroke="#000" stroke-width="${(r * 0.018).toFixed(1)}"/>` +
    arcText(texts[0], cx, cy, r * 0.78, true, size) +
    arcText(texts[1], cx, cy, r * 0.78 - size * 0.7, false, size) +
    `<text x="${cx}" y="${cy + size * 0.35}" text-anchor="middle" font-family="${sans.family}" font-weight="bold" font-size="${fit(date, size * 1.1, r * 1.15).toFixed(1)}" fill="#000">${xml(date)}</text>` +
    `</g>`
  );
}

function boxStamp(cx: number, cy: number, wd: number, lines: [string, string, string], angle: number): string {
  const sans = FONTS['sans-bold'];
  const ht = wd * 0.42;
  const x = cx - wd / 2;
  const y = cy - ht / 2;
  const t = (text: string, dy: number, size: number): string =>
    `<text x="${cx}" y="${(y + dy).toFixed(1)}" text-anchor="middle" font-family="${sans.family}" font-weight="bold" font-size="${size.toFixed(1)}" fill="#000">${xml(text)}</text>`;
  return (
    `<g transform="rotate(${angle.toFixed(1)} ${cx} ${cy})">` +
    `<rect x="${x}" y="${y}" width="${wd}" height="${ht}" fill="none" stroke="#000" stroke-width="${(wd * 0.014).toFixed(1)}"/>` +
    `<rect x="${x + wd * 0.025}" y="${y + wd * 0.025}" width="${wd * 0.95}" height="${ht - wd * 0.05}" fill="none" stroke="#000" stroke-width="${(wd * 0.006).toFixed(1)}"/>` +
    t(lines[0], ht * 0.36, fit(lines[0], wd * 0.11, wd * 0.86)) +
    t(lines[1], ht * 0.63, fit(lines[1], wd * 0.085, wd * 0.86)) +
    t(lines[2], ht * 0.85, fit(lines[2], wd * 0.06, wd * 0.86)) +
    `</g>`
  );
}

/** Stamp ink: patchy (fine and coarse noise, one side pressed harder), a little soft. */
function inked(rng: Rng, cov: Coverage): Float32Array {
  const { width: w, height: h } = cov;
  const fine = valueNoise(rng, w, h, 5);
  const coarse = valueNoise(rng, w, h, 90);
  const tiltX = rng.range(-0.4, 0.4) / w;
  const tiltY = rng.range(-0.4, 0.4) / h;
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = Math.max(0.05, Math.min(1, 0.8 + 0.3 * fine[y * w + x]! + 0.3 * coarse[y * w + x]! + tiltX * (x - w / 2) + tiltY * (y - h / 2)));
  return m;
}

async function layer(svg: string, w: number, h: number, blur: number): Promise<Coverage> {
  return coverageOf(await rasterize(svgOpen(w, h) + svg + '</svg>', w, h, { blur }));
}

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const w = page.width;
  const h = page.height;
  const texts = o.stampTexts ?? DEFAULT_TEXTS;
  const typed = await inkCoverage(page, rng, { skewDeg: rng.range(-0.4, 0.4), blur: 0.8 });
  const paper = Canvas.paper(rng, w, h, { tone: [238, 234, 222], shade: 5, mottle: 1.5, fibres: 0.0008, fibreDepth: 12 });
  paper.ink(typed, [28, 28, 32]);
  const lines = page.lines;
  const at = (f: number) => lines[Math.min(lines.length - 1, Math.max(0, Math.round(f * (lines.length - 1))))]!;
  const inks = [...STAMP_INKS];
  for (let i = inks.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [inks[i], inks[j]] = [inks[j]!, inks[i]!];
  }
  const stampSvgs: string[] = [];
  // A round stamp over the right part of the text, a rectangular one over the left part lower down.
  const r1 = at(heavy ? 0.35 : rng.range(0.65, 0.85));
  stampSvgs.push(roundStamp(w * rng.range(0.62, 0.72), r1.y - r1.size * 0.3, rng.range(190, 230), texts.round, texts.box[1], rng.range(-15, 15)));
  const r2 = at(heavy ? 0.62 : rng.range(0.1, 0.3));
  stampSvgs.push(boxStamp(w * rng.range(0.3, 0.45), r2.y, rng.range(560, 680), texts.box, rng.range(-8, 8)));
  if (heavy) {
    const r3 = at(0.85);
    stampSvgs.push(boxStamp(w * 0.6, r3.y, 620, [texts.box[0], texts.box[1], texts.box[2]], rng.range(-12, -4)));
  }
  for (let k = 0; k < stampSvgs.length; k++) {
    const cov = await layer(stampSvgs[k]!, w, h, 1);
    paper.ink(cov, inks[k % inks.length]!, inked(rng, cov));
  }
  // Pen: a note (over the top right, or across the body when heavy) and initials near the end.
  const pen = PEN[rng.int(0, PEN.length - 1)]!;
  const noteLine = at(heavy ? 0.45 : 0.02);
  const pens: string[] = [];
  const xh = rng.range(26, 34);
  const noteY = noteLine.y - (heavy ? 0 : noteLine.size * 1.7);
  pens.push(handwrittenLine(rng, w * (heavy ? 0.15 : 0.5), noteY, w * (heavy ? 0.6 : 0.36), xh, rng.range(-8, -3), xh / 8));
  pens.push(handwrittenLine(rng, w * (heavy ? 0.3 : 0.55), noteY + xh * 3.2, w * 0.25, xh, rng.range(-8, -3), xh / 8));
  const last = lines[lines.length - 1]!;
  pens.push(scribble(rng, w * rng.range(0.12, 0.25), Math.min(h - 120, last.y + rng.range(120, 200)), rng.range(180, 260), rng.range(70, 100), '#000', 4.5));
  if (o.penInk !== 'none') paper.ink(await layer(pens.join(''), w, h, 0.6), o.penInk ?? pen);
  paper.grain(rng, 0.8);
  return { raster: paper.toRaster(3), ext: 'jpg' as const, dpi: 300 };
}

export const stamps: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.6,
  render,
};
