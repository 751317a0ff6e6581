/** The DejaVu fonts the samples are drawn with: their files, advance widths, and a check that librsvg really uses them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { xml } from './svg.js';

export type FontKey = 'serif' | 'serif-bold' | 'sans' | 'sans-bold' | 'mono';

export const FONTS: Record<FontKey, { file: string; family: string; weight: 'normal' | 'bold' }> = {
  serif: { file: 'DejaVuSerif.ttf', family: 'DejaVu Serif', weight: 'normal' },
  'serif-bold': { file: 'DejaVuSerif-Bold.ttf', family: 'DejaVu Serif', weight: 'bold' },
  sans: { file: 'DejaVuSans.ttf', family: 'DejaVu Sans', weight: 'normal' },
  'sans-bold': { file: 'DejaVuSans-Bold.ttf', family: 'DejaVu Sans', weight: 'bold' },
  mono: { file: 'DejaVuSansMono.ttf', family: 'DejaVu Sans Mono', weight: 'normal' },
};

export const FONT_HELP =
  'The samples are drawn with the DejaVu fonts (DejaVu Serif, DejaVu Sans, DejaVu Sans Mono). ' +
  'Install them and retry: on Debian/Ubuntu `sudo apt-get install fonts-dejavu-core` ' +
  '(Fedora: dejavu-sans-fonts dejavu-serif-fonts dejavu-sans-mono-fonts; Alpine: font-dejavu).';

export class FontMetrics {
  private readonly unitsPerEm: number;
  private readonly numHMetrics: number;
  private readonly hmtx: number;
  private readonly segs: { end: number; start: number; delta: number; rangeOffset: number; rangePos: number }[] = [];
  private readonly cache = new Map<number, number>();

  constructor(
    private readonly buf: Buffer,
    readonly name: string,
  ) {
    const tables = new Map<string, number>();
    const numTables = buf.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const rec = 12 + 16 * i;
      tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
    }
    const table = (tag: string): number => {
      const off = tables.get(tag);
      if (off === undefined) throw new Error(`${name}: no '${tag}' table; is it a TrueType font? ${FONT_HELP}`);
      return off;
    };
    this.unitsPerEm = buf.readUInt16BE(table('head') + 18);
    this.numHMetrics = buf.readUInt16BE(table('hhea') + 34);
    this.hmtx = table('hmtx');
    const cmap = table('cmap');
    const n = buf.readUInt16BE(cmap + 2);
    let sub = -1;
    for (let i = 0; i < n; i++) {
      const rec = cmap + 4 + 8 * i;
      const platform = buf.readUInt16BE(rec);
      const encoding = buf.readUInt16BE(rec + 2);
      const off = cmap + buf.readUInt32BE(rec + 4);
      if (buf.readUInt16BE(off) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
        sub = off;
        break;
      }
    }
    if (sub < 0) throw new Error(`${name}: no Unicode BMP cmap. ${FONT_HELP}`);
    const segX2 = buf.readUInt16BE(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let i = 0; i < segX2 / 2; i++) {
      this.segs.push({
        end: buf.readUInt16BE(ends + 2 * i),
        start: buf.readUInt16BE(starts + 2 * i),
        delta: buf.readInt16BE(deltas + 2 * i),
        rangeOffset: buf.readUInt16BE(ranges + 2 * i),
        rangePos: ranges + 2 * i,
      });
    }
  }

  private glyph(cp: number): number {
    for (const s of this.segs) {
      if (cp > s.end) continue;
      if (cp < s.start) return 0;
      if (s.rangeOffset === 0) return (cp + s.delta) & 0xffff;
      const g = this.buf.readUInt16BE(s.rangePos + s.rangeOffset + 2 * (cp - s.start));
      return g === 0 ? 0 : (g + s.delta) & 0xffff;
    }
    return 0;
  }

  /** Advance width of one character in em units. Throws when the font has no glyph for it. */
  advance(ch: string): number {
    const cp = ch.codePointAt(0)!;
    let w = this.cache.get(cp);
    if (w === undefined) {
      const g = this.glyph(cp);
      if (g === 0) throw new Error(`${this.name} has no glyph for U+${cp.toString(16).toUpperCase().padStart(4, '0')} ('${ch}').`);
      const rec = this.hmtx + 4 * Math.min(g, this.numHMetrics - 1);
      w = this.buf.readUInt16BE(rec) / this.unitsPerEm;
      this.cache.set(cp, w);
    }
    return w;
  }

  /** Width in px of `text` at `size` px (sum of advances; kerning only ever makes it narrower here). */
  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.advance(ch);
    return w * size;
  }
}

export function findFontFiles(): Map<FontKey, string> {
  const dirs = [
    '/usr/share/fonts',
    '/usr/local/share/fonts',
    path.join(os.homedir(), '.local/share/fonts'),
    path.join(os.homedir(), '.fonts'),
    '/Library/Fonts',
    path.join(os.homedir(), 'Library/Fonts'),
  ];
  const wanted = new Set(Object.values(FONTS).map((f) => f.file));
  const found = new Map<string, string>();
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (wanted.has(e.name) && !found.has(e.name)) found.set(e.name, p);
    }
  };
  for (const d of dirs) walk(d, 0);
  const out = new Map<FontKey, string>();
  const missing: string[] = [];
  for (const [key, f] of Object.entries(FONTS) as [FontKey, (typeof FONTS)[FontKey]][]) {
    const p = found.get(f.file);
    if (p) out.set(key, p);
    else missing.push(`${f.family}${f.weight === 'bold' ? ' Bold' : ''} (${f.file})`);
  }
  if (missing.length > 0) throw new Error(`Missing font(s): ${missing.join(', ')}. ${FONT_HELP}`);
  return out;
}

export const METRICS = new Map<FontKey, FontMetrics>();

export function metrics(font: FontKey): FontMetrics {
  const m = METRICS.get(font);
  if (!m) throw new Error(`fonts not loaded (${font})`);
  return m;
}

/** Checks that librsvg really draws each font (fontconfig silently substitutes a missing family).
 *  For a few characters, the inked width of a run of 30 minus a run of 10 is 20 advances exactly (the
 *  side bearings cancel); that advance must match the requested font file, and no other DejaVu face. */
export async function loadAndCheckFonts(): Promise<void> {
  for (const [key, file] of findFontFiles()) METRICS.set(key, new FontMetrics(fs.readFileSync(file), path.basename(file)));
  const size = 40;
  const inkWidth = async (f: (typeof FONTS)[FontKey], text: string): Promise<number> => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(text.length * size * 1.2) + 80}" height="${size * 3}">` +
      `<rect width="100%" height="100%" fill="#fff"/><text x="40" y="${size * 2}" font-family="${f.family}" ` +
      `font-weight="${f.weight}" font-size="${size}">${xml(text)}</text></svg>`;
    const { info } = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).trim({ threshold: 60 }).toBuffer({ resolveWithObject: true });
    return info.width;
  };
  const keys = Object.keys(FONTS) as FontKey[];
  for (const key of keys) {
    const f = FONTS[key];
    for (const ch of ['i', 'm', 'W', 'ç']) {
      const measured = ((await inkWidth(f, ch.repeat(30))) - (await inkWidth(f, ch.repeat(10)))) / 20 / size;
      const expected = metrics(key).advance(ch);
      const closest = keys.reduce((best, k) => (Math.abs(metrics(k).advance(ch) - measured) < Math.abs(metrics(best).advance(ch) - measured) ? k : best), key);
      if (Math.abs(measured / expected - 1) > 0.015 || (closest !== key && metrics(closest).advance(ch) !== expected)) {
        throw new Error(
          `Font check failed: "${f.family}"${f.weight === 'bold' ? ' Bold' : ''} is not what librsvg draws ` +
            `(advance of '${ch}' measured ${measured.toFixed(3)} em, ${f.file} says ${expected.toFixed(3)} em), ` +
            `so fontconfig substitutes another font. ${FONT_HELP}`,
        );
      }
    }
  }
}
