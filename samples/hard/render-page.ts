/**
 * Renders text as a page of one hard class (or a clean page), deterministically from a seed.
 *
 *   const { image, ext, dpi, lines } = await renderHardPage(['Ofício nº 12/84', ...], 'carbon', 'my-seed');
 *
 * Strings are paragraphs wrapped to the text width (left-aligned; '' is a vertical gap); Block objects
 * also centre, right-align, indent and embolden. `lines` are the text lines as drawn, top to bottom —
 * the page's ground truth (stamps, handwriting, the back of the sheet and tractor strips are noise and
 * never in it). Too much text for one page closes up the leading, then shrinks the type (to 60%).
 *
 * Needs the DejaVu fonts (fonts-dejavu-core); the first call checks that librsvg draws them.
 */
import sharp from 'sharp';
import { loadAndCheckFonts } from '../render/fonts.js';
import { rawSharp, withJfif } from '../render/raster.js';
import { Rng } from '../render/rng.js';
import { Canvas } from './canvas.js';
import { A4_300, type ClassOutput, type ClassSpec } from './class-spec.js';
import { bleedThrough } from './classes/bleed-through.js';
import { carbon } from './classes/carbon.js';
import { dotMatrix } from './classes/dot-matrix.js';
import { mimeograph } from './classes/mimeograph.js';
import { phonePhoto } from './classes/phone-photo.js';
import { photocopy } from './classes/photocopy.js';
import { speckle } from './classes/speckle.js';
import { stains } from './classes/stains.js';
import { stamps } from './classes/stamps.js';
import { layout, sheet } from './layout.js';
import { inkCoverage } from './typed-page.js';
import type { HardClass, HardPageOptions, PageText, Rendered } from './types.js';

export type { HardClass } from './types.js';
export { HARD_CLASSES } from './types.js';

/** A clean page: typeset on good white paper, a light scanner blur, greyscale PNG at 300 DPI. */
const clean: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.5,
  render: async (page, rng) => {
    const ink = await inkCoverage(page, rng, { skewDeg: rng.range(-0.3, 0.3), blur: 0.7 });
    const c = Canvas.paper(rng, page.width, page.height, { tone: [240, 240, 240], shade: 3 });
    c.inkLevels = 16;
    c.ink(ink, [26, 26, 26]);
    return { raster: c.toRaster(1), ext: 'png', dpi: 300 };
  },
};

export const CLASS_SPECS: Record<HardClass | 'clean', ClassSpec> = {
  carbon,
  mimeograph,
  speckle,
  'bleed-through': bleedThrough,
  stamps,
  stains,
  'dot-matrix': dotMatrix,
  photocopy,
  'phone-photo': phonePhoto,
  clean,
};

let fontsChecked: Promise<void> | null = null;

async function encode(out: ClassOutput): Promise<Buffer> {
  const r = out.raster;
  if (out.ext === 'png') return rawSharp(r).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(out.dpi).toBuffer();
  // sharp writes no JFIF segment (its density goes to EXIF only): add one with the density, as scanners do.
  return withJfif(await rawSharp(r).jpeg({ quality: 85, chromaSubsampling: '4:2:0', mozjpeg: true }).toBuffer(), out.dpi);
}

export async function renderHardPage(lines: PageText, klass: HardClass | 'clean', seed: string, options: HardPageOptions = {}): Promise<Rendered> {
  const spec = CLASS_SPECS[klass];
  if (!spec) throw new Error(`unknown page class "${klass}"`);
  fontsChecked ??= loadAndCheckFonts();
  await fontsChecked;
  const o: HardPageOptions = { ...options, severity: options.severity ?? 'moderate' };
  const rng = new Rng(`${klass}:${seed}`);
  const page = layout(lines, spec.onlyFace ?? o.face ?? spec.face, spec.geometry(o), o.sizePt ?? spec.sizePt, o.leading ?? spec.leading);
  if (page.lines.length === 0) throw new Error('renderHardPage: no text to draw');
  const out = await spec.render(page, rng, o);
  const image = await encode(out);
  const meta = await sharp(image).metadata();
  if (meta.density !== out.dpi) throw new Error(`${klass}: wrote ${String(meta.density)} DPI, meant ${out.dpi}`);
  return {
    image,
    ext: out.ext,
    dpi: out.dpi,
    width: out.raster.width,
    height: out.raster.height,
    channels: out.raster.channels as 1 | 3,
    lines: page.lines.map((l) => l.text),
    sizePt: Math.round((((page.lines[0]?.size ?? 0) * 72) / page.dpi) * 100) / 100,
  };
}
