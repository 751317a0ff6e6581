/**
 * Generates Acervo's bundled sample scans and their ground-truth text.
 *
 *   npm run samples:generate        (= tsc, then node dist/samples/generate.js)
 *
 * Every document is fictional. Output is deterministic: each sample has its own seeded PRNG, PDFs
 * carry fixed dates, so running the script twice with the same sharp/libvips and fonts writes the
 * same bytes. The ground truth is built from the same line model that is drawn, never from OCR.
 *
 * Writes samples/scans/<collection>/<year>/<name>.<ext> and samples/ground-truth/.../<name>.txt
 * (one line per drawn text line, top to bottom; pages separated by a line holding only "\f").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { agedDamage, carbonCopy } from './render/damage.js';
import { FONTS, type FontKey, loadAndCheckFonts, metrics } from './render/fonts.js';
import { onPaper } from './render/paper.js';
import { type Raster, rasterize, rawSharp, valueNoise, withJfif } from './render/raster.js';
import { Rng } from './render/rng.js';
import { scribble, svgOpen, xml } from './render/svg.js';

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

function repoRoot(): string {
  // Compiled to dist/samples/generate.js; the sources live in samples/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'samples'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('samples/generate: cannot find the repository root (a folder with package.json and samples/).');
}

const ROOT = repoRoot();
const SCANS = path.join(ROOT, 'samples', 'scans');
const TRUTH = path.join(ROOT, 'samples', 'ground-truth');

// Shared primitives (seeded Rng, DejaVu fonts and their check, rasters, paper, carbon and ageing
// damage, the pen scribble) live in samples/render/, where samples/hard/ draws with them too.

// ---------------------------------------------------------------------------------------------
// Text model: pages of positioned text runs; the ground truth is read from the same model
// ---------------------------------------------------------------------------------------------

interface Run {
  text: string;
  x: number;
  y: number; // baseline
  font: FontKey;
  size: number;
  anchor: 'start' | 'middle' | 'end';
  fill: string;
}

interface Line {
  runs: Run[];
}

interface Page {
  width: number;
  height: number;
  lines: Line[];
  /** Non-text SVG fragments: rules, frames, signatures. */
  shapes: string[];
}

function lineText(l: Line): string {
  return l.runs.map((r) => r.text).join(' ');
}

function groundTruth(pages: Page[]): string {
  return pages.map((p) => p.lines.map(lineText).join('\n')).join('\n\f\n') + '\n';
}

function checkDrawable(text: string): void {
  if (text !== text.trim() || /\s\s/.test(text) || /[\u0000-\u001f\u007f]/.test(text) || text.length === 0) {
    throw new Error(`text to draw must be one trimmed line with single spaces: ${JSON.stringify(text)}`);
  }
}

interface Style {
  font: FontKey;
  size: number;
  fill?: string;
}

interface FlowOptions {
  width: number;
  height: number;
  margin: { left: number; right: number; top: number; bottom: number };
  body: Style;
  leading: number; // baseline to baseline, px
  /** Called at the top of every page after the first (e.g. "fl. 2"). */
  header?: (flow: Flow, pageNo: number) => void;
  /** Widths are measured from the font files; keep this fraction of the line free as a safety margin. */
  slack?: number;
  /** Monospace "typewriter" layout: x positions snap to the character grid. */
  mono?: boolean;
}

/** A simple top-to-bottom layout engine: centred/left/right lines, wrapped paragraphs, signatures. */
class Flow {
  readonly pages: Page[] = [];
  y = 0;
  private page!: Page;

  constructor(
    readonly o: FlowOptions,
    private readonly rng: Rng,
  ) {
    this.newPage();
  }

  get left(): number {
    return this.o.margin.left;
  }
  get right(): number {
    return this.o.width - this.o.margin.right;
  }
  get textWidth(): number {
    return this.right - this.left;
  }
  newPage(): void {
    this.page = { width: this.o.width, height: this.o.height, lines: [], shapes: [] };
    this.pages.push(this.page);
    this.y = this.o.margin.top;
    if (this.pages.length > 1 && this.o.header) this.o.header(this, this.pages.length);
  }

  private style(s?: Partial<Style>): Required<Style> {
    return { font: s?.font ?? this.o.body.font, size: s?.size ?? this.o.body.size, fill: s?.fill ?? this.o.body.fill ?? '#000' };
  }

  private fits(text: string, st: Style, avail: number): boolean {
    return metrics(st.font).width(text, st.size) <= avail * (1 - (this.o.slack ?? 0.02));
  }

  /** Moves down one line and returns the baseline, breaking the page when needed. */
  private advance(leading: number, size: number): number {
    // The first line of a page sits one font size below the cursor; later ones one leading below.
    const step = (): number => (this.page.lines.length === 0 ? size : leading);
    if (this.y + step() > this.o.height - this.o.margin.bottom) this.newPage();
    this.y += step();
    return this.y;
  }

  gap(px: number): void {
    this.y += px;
  }

  /** Ensure `px` of vertical room is left on the page, else start a new one. */
  keep(px: number): void {
    if (this.y + px > this.o.height - this.o.margin.bottom) this.newPage();
  }

  private snap(x: number, st: Style): number {
    if (!this.o.mono) return x;
    const adv = metrics(st.font).advance('M') * st.size;
    return this.left + Math.round((x - this.left) / adv) * adv;
  }

  line(text: string, opts: Partial<Style> & { align?: 'left' | 'center' | 'right'; indent?: number; leading?: number } = {}): void {
    checkDrawable(text);
    const st = this.style(opts);
    const indent = opts.indent ?? 0;
    if (!this.fits(text, st, this.textWidth - indent)) throw new Error(`line does not fit the page width: ${JSON.stringify(text)}`);
    const y = this.advance(opts.leading ?? this.o.leading, st.size);
    const align = opts.align ?? 'left';
    let x: number;
    let anchor: Run['anchor'] = 'start';
    if (this.o.mono) {
      // A typist centres by counting characters: everything is laid out from the left on the grid.
      const w = metrics(st.font).width(text, st.size);
      x = align === 'center' ? this.snap(this.left + (this.textWidth - w) / 2, st) : align === 'right' ? this.snap(this.right - w, st) : this.snap(this.left + indent, st);
    } else if (align === 'center') {
      x = (this.left + this.right) / 2;
      anchor = 'middle';
    } else if (align === 'right') {
      x = this.right;
      anchor = 'end';
    } else {
      x = this.left + indent;
    }
    this.page.lines.push({ runs: [{ text, x, y, font: st.font, size: st.size, anchor, fill: st.fill }] });
  }

  /** One line made of differently styled pieces (e.g. a printed label and a typed value). */
  segments(parts: (Partial<Style> & { text: string })[], opts: { leading?: number; gapPx?: number } = {}): void {
    const styled = parts.map((p) => ({ ...this.style(p), text: p.text }));
    const gapPx = opts.gapPx ?? metrics(styled[0]!.font).advance(' ') * styled[0]!.size * 1.2;
    let total = 0;
    for (const p of styled) {
      checkDrawable(p.text);
      total += metrics(p.font).width(p.text, p.size);
    }
    total += gapPx * (styled.length - 1);
    if (total > this.textWidth * (1 - (this.o.slack ?? 0.02))) throw new Error(`segments do not fit: ${parts.map((p) => p.text).join(' | ')}`);
    const y = this.advance(opts.leading ?? this.o.leading, Math.max(...styled.map((p) => p.size)));
    let x = this.left;
    const runs: Run[] = [];
    for (const p of styled) {
      runs.push({ text: p.text, x, y, font: p.font, size: p.size, anchor: 'start', fill: p.fill });
      x += metrics(p.font).width(p.text, p.size) + gapPx;
    }
    this.page.lines.push({ runs });
  }

  /** Wrapped paragraph, ragged right. `firstIndent` applies to the first line, `indent` to all. */
  para(text: string, opts: Partial<Style> & { indent?: number; firstIndent?: number; leading?: number } = {}): void {
    const st = this.style(opts);
    const words = text.split(/\s+/).filter(Boolean);
    let cur = '';
    let first = true;
    const avail = (): number => this.textWidth - (opts.indent ?? 0) - (first ? (opts.firstIndent ?? 0) : 0);
    const flush = (): void => {
      this.line(cur, { ...st, indent: (opts.indent ?? 0) + (first ? (opts.firstIndent ?? 0) : 0), leading: opts.leading });
      first = false;
      cur = '';
    };
    for (const w of words) {
      const cand = cur ? `${cur} ${w}` : w;
      if (this.fits(cand, st, avail())) cur = cand;
      else {
        if (!cur) throw new Error(`word too long for the line: ${w}`);
        flush();
        cur = w;
      }
    }
    if (cur) flush();
  }

  /** A hand-drawn signature over a rule, then the signer's name and title, centred. */
  signature(names: (string | (Partial<Style> & { text: string }))[], opts: { ink?: string; width?: number; nameStyle?: Partial<Style>; typed?: boolean } = {}): void {
    const st = this.style(opts.nameStyle);
    const lineW = opts.width ?? this.textWidth * 0.45;
    const height = st.size * 2.6;
    this.keep(height + this.o.leading * (names.length + 1));
    const cx = (this.left + this.right) / 2;
    const ruleY = this.y + height;
    this.page.shapes.push(scribble(this.rng, cx - lineW * 0.35, ruleY - st.size * 0.4, lineW * 0.7, st.size * 1.6, opts.ink ?? '#1b2a5e', st.size / 16));
    // The signature rule is a graphic, not text: a typist's row of underscores would have to be in the
    // ground truth, and OCR engines read such rows inconsistently.
    const ruleH = opts.typed ? 3 : Math.max(1.5, st.size / 20);
    this.page.shapes.push(`<rect x="${(cx - lineW / 2).toFixed(1)}" y="${ruleY.toFixed(1)}" width="${lineW.toFixed(1)}" height="${ruleH.toFixed(1)}" fill="${opts.typed ? '#111' : '#222'}"/>`);
    this.y = ruleY + st.size * 0.2;
    for (const n of names) {
      if (typeof n === 'string') this.line(n, { ...opts.nameStyle, align: 'center' });
      else this.line(n.text, { ...opts.nameStyle, ...n, align: 'center' });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function runSvg(r: Run): string {
  const f = FONTS[r.font];
  return (
    `<text x="${r.x.toFixed(1)}" y="${r.y.toFixed(1)}" font-family="${f.family}" font-weight="${f.weight}" ` +
    `font-size="${r.size}" text-anchor="${r.anchor}" fill="${r.fill}">${xml(r.text)}</text>`
  );
}

/** Plain typeset page (laser / electric typewriter with a good ribbon). */
function typesetSvg(p: Page, rotateDeg = 0): string {
  const body = p.lines.flatMap((l) => l.runs.map(runSvg)).join('') + p.shapes.join('');
  const g = rotateDeg ? `<g transform="rotate(${rotateDeg} ${p.width / 2} ${p.height / 2})">${body}</g>` : body;
  return svgOpen(p.width, p.height) + g + '</svg>';
}

/** Manual typewriter: every character struck on its own, slightly off the baseline, with uneven ink. */
function typewriterSvg(p: Page, rng: Rng, rotateDeg = 0): string {
  // Worn type slugs: some glyphs always sit a little high or low, plus a random wobble per strike.
  const slugBias = new Map<string, number>();
  const bias = (ch: string): number => {
    let b = slugBias.get(ch);
    if (b === undefined) {
      b = rng.next() < 0.35 ? (rng.next() < 0.5 ? -1 : 1) * rng.range(0.6, 1.3) : 0;
      slugBias.set(ch, b);
    }
    return b;
  };
  const parts: string[] = [];
  for (const l of p.lines) {
    for (const r of l.runs) {
      const adv = metrics(r.font).advance('M') * r.size;
      const lineInk = rng.range(0, 25); // ribbon wear along the page
      let i = 0;
      for (const ch of r.text) {
        if (ch !== ' ') {
          const dy = Math.max(-2, Math.min(2, bias(ch) + rng.gauss() * 0.6));
          const dx = Math.max(-1, Math.min(1, rng.gauss() * 0.45));
          const faded = rng.next() < 0.06;
          const heavy = !faded && rng.next() < 0.1;
          const v = Math.round(Math.min(110, lineInk + (faded ? rng.range(55, 85) : rng.range(0, 35))));
          const fill = `rgb(${v},${v},${v})`;
          const stroke = heavy ? ` stroke="${fill}" stroke-width="1.1"` : '';
          parts.push(
            `<text x="${(r.x + i * adv + dx).toFixed(1)}" y="${(r.y + dy).toFixed(1)}" font-family="${FONTS[r.font].family}" ` +
              `font-weight="${FONTS[r.font].weight}" font-size="${r.size}" fill="${fill}"${stroke}>${xml(ch)}</text>`,
          );
        }
        i++;
      }
    }
  }
  const body = parts.join('') + p.shapes.join('');
  const g = rotateDeg ? `<g transform="rotate(${rotateDeg} ${p.width / 2} ${p.height / 2})">${body}</g>` : body;
  return svgOpen(p.width, p.height) + g + '</svg>';
}

/** Ink must stay inside the page margins (minus a tolerance): nothing overflowed the line width. */
function assertInsideMargins(r: Raster, marginX: number, label: string): void {
  const tol = Math.round(marginX * 0.5);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (x >= tol && x < r.width - tol) {
        x = r.width - tol - 1;
        continue;
      }
      for (let c = 0; c < r.channels; c++) {
        if (r.data[(y * r.width + x) * r.channels + c]! < 160) throw new Error(`${label}: ink at x=${x}, y=${y}, inside the margin; a line overflowed.`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output helpers
// ---------------------------------------------------------------------------------------------

const written: { rel: string; bytes: number; note: string }[] = [];

function outPaths(rel: string): { scan: string; truth: string } {
  const scan = path.join(SCANS, rel);
  const truth = path.join(TRUTH, rel.replace(/\.[^./]+$/, '.txt'));
  fs.mkdirSync(path.dirname(scan), { recursive: true });
  fs.mkdirSync(path.dirname(truth), { recursive: true });
  return { scan, truth };
}

function save(rel: string, bytes: Buffer | Uint8Array, truth: string, note: string): void {
  const p = outPaths(rel);
  fs.writeFileSync(p.scan, bytes);
  fs.writeFileSync(p.truth, truth, 'utf8');
  written.push({ rel, bytes: bytes.length, note });
}

async function expectMeta(file: string, want: Record<string, string | number>, page?: number): Promise<void> {
  const m = await sharp(file, page === undefined ? {} : { page }).metadata();
  for (const [k, v] of Object.entries(want)) {
    const got = (m as unknown as Record<string, unknown>)[k];
    if (got !== v) throw new Error(`${path.relative(ROOT, file)}${page === undefined ? '' : ` page ${page}`}: metadata ${k} is ${String(got)}, expected ${String(v)}`);
  }
}

/** Reads the tags we care about from every IFD of a TIFF: sharp's metadata() reports no TIFF
 *  compression (0.35 only reports it for HEIF), so the encoding is checked here from the bytes. */
function tiffIfds(buf: Buffer): Record<string, number>[] {
  const le = buf.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (u16(2) !== 42) throw new Error('not a classic TIFF');
  const names: Record<number, string> = { 258: 'bitsPerSample', 259: 'compression', 277: 'samplesPerPixel', 282: 'xres', 283: 'yres', 296: 'resolutionUnit', 256: 'width', 257: 'height' };
  const out: Record<string, number>[] = [];
  for (let ifd = u32(4); ifd !== 0 && out.length < 100; ) {
    const n = u16(ifd);
    const tags: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + 12 * i;
      const name = names[u16(e)];
      if (!name) continue;
      const type = u16(e + 2);
      const count = u32(e + 4);
      if (type === 5) {
        const o = u32(e + 8); // RATIONAL: always stored at an offset
        tags[name] = u32(o) / u32(o + 4);
      } else if (type === 3) {
        tags[name] = count <= 2 ? u16(e + 8) : u16(u32(e + 8)); // first SHORT value
      } else if (type === 4) {
        tags[name] = u32(e + 8);
      }
    }
    out.push(tags);
    ifd = u32(ifd + 2 + 12 * n);
  }
  return out;
}

function expectTiffTags(rel: string, buf: Buffer, pages: number, want: Record<string, number>): void {
  const ifds = tiffIfds(buf);
  if (ifds.length !== pages) throw new Error(`${rel}: ${ifds.length} TIFF pages, expected ${pages}`);
  ifds.forEach((tags, i) => {
    for (const [k, v] of Object.entries(want)) {
      const got = tags[k];
      if (got === undefined || Math.abs(got - v) > 0.01) throw new Error(`${rel} page ${i + 1}: TIFF ${k} is ${String(got)}, expected ${v}`);
    }
  });
}

// Page geometry
const MM = (mm: number, dpi: number): number => Math.round((mm / 25.4) * dpi);
const MARGIN_300 = MM(25, 300); // 295 px

function a4Flow(rng: Rng, dpi: number, body: Style, leading: number, extra: Partial<FlowOptions> = {}): Flow {
  const width = MM(210, dpi);
  const height = MM(297, dpi);
  const m = MM(25, dpi);
  return new Flow({ width, height, margin: { left: m, right: m, top: m, bottom: m }, body, leading, ...extra }, rng);
}

const CITY = 'São João do Ipê';
const CITY_UP = 'SÃO JOÃO DO IPÊ';

// ---------------------------------------------------------------------------------------------
// 1. Alvará de construção, 1987: typed, greyscale PNG, 300 DPI
// ---------------------------------------------------------------------------------------------

async function alvara(): Promise<void> {
  const rng = new Rng('alvara-construcao-412');
  const f = a4Flow(rng, 300, { font: 'serif', size: 48 }, 70);
  const bold = { font: 'serif-bold' as const };
  f.gap(20);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 52, align: 'center' });
  f.line('Estado de Minas Gerais', { align: 'center' });
  f.line('Secretaria Municipal de Obras e Urbanismo', { align: 'center' });
  f.gap(110);
  f.line('ALVARÁ DE CONSTRUÇÃO Nº 412/1987', { ...bold, size: 56, align: 'center' });
  f.line('Processo nº 1.873/1987', { align: 'center', leading: 80 });
  f.gap(80);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 150 });
    f.gap(28);
  };
  P(
    'O Secretário Municipal de Obras e Urbanismo, no uso das atribuições que lhe confere a Lei Municipal nº 1.120, ' +
      'de 5 de dezembro de 1979 (Código de Obras), e à vista do projeto aprovado, CONCEDE licença para construção a:',
  );
  f.line('Proprietário: José Antônio Gonçalves de Araújo');
  f.line('Endereço: Rua Conceição Aparecida, nº 215 – Bairro São Judas Tadeu');
  f.line('Lote 14, Quadra C, loteamento “Jardim das Acácias” – 1ª etapa');
  f.gap(28);
  P(
    'Finalidade: construção de residência unifamiliar em alvenaria, com 2 (dois) pavimentos e área total de ' +
      '148,60 metros quadrados; recuo frontal de 4,00 m e laterais de 1,50 m.',
  );
  P(
    'Condições: a obra obedecerá rigorosamente ao projeto aprovado e às instruções técnicas deste órgão, no âmbito ' +
      'de sua competência; é proibida a ocupação do passeio público com materiais ou entulho. A licença é válida por ' +
      '12 (doze) meses — findo o prazo sem início das obras, este alvará perderá a validade.',
  );
  P(
    'Responsável técnico: engenheiro civil Luís Fábio Peçanha, CREA nº 31.487/D, a quem caberá requerer o ' +
      '“habite-se” após a conclusão da obra.',
  );
  f.line('Taxa de licença recolhida pela guia nº 2.941, de 10/03/1987.');
  f.gap(90);
  f.line(`${CITY}, 12 de março de 1987.`, { align: 'right' });
  f.gap(40);
  f.signature(['Otávio Brandão Lemos', 'Secretário Municipal de Obras e Urbanismo']);
  if (f.pages.length !== 1) throw new Error(`alvará: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, -0.25), page.width, page.height, { blur: 0.75 });
  assertInsideMargins(ink, MARGIN_300, 'alvará');
  const img = onPaper(ink, rng, { tone: [238], ink: [28], shade: 4, grain: 0.002, grainDepth: 45, edge: 18, inkLevels: 16 });
  const png = await rawSharp(img).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(300).toBuffer();
  save('Obras/1987/alvara-construcao-412.png', png, groundTruth(f.pages), 'typed, greyscale PNG, 300 DPI, Portuguese');
  await expectMeta(path.join(SCANS, 'Obras/1987/alvara-construcao-412.png'), { format: 'png', channels: 1, density: 300, width: 2480, height: 3508 });
}

// ---------------------------------------------------------------------------------------------
// 2. Decreto, 1990: manual typewriter, 3 bilevel pages, multi-page CCITT G4 TIFF, 300 DPI
// ---------------------------------------------------------------------------------------------

async function decreto(): Promise<void> {
  const rng = new Rng('decreto-345');
  const col = 30.1; // DejaVu Sans Mono at 50 px advances 30.1 px: 10 characters per inch, like pica type.
  const f = a4Flow(rng, 300, { font: 'mono', size: 50 }, 100, {
    mono: true,
    slack: 0,
    header: (fl, n) => {
      fl.line(`Decreto nº 345/1990 - fl. ${n}`, { align: 'right' });
      fl.gap(100);
    },
  });
  const tab = (n: number): number => Math.round(n * col);
  const P = (t: string): void => {
    f.para(t, { firstIndent: tab(10) });
    f.gap(30);
  };
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { align: 'center' });
  f.line('GABINETE DO PREFEITO', { align: 'center' });
  f.gap(100);
  f.line('DECRETO Nº 345, DE 2 DE ABRIL DE 1990', { align: 'center' });
  f.gap(100);
  f.para('Dispõe sobre o horário de funcionamento das repartições públicas municipais e dá outras providências.', { indent: tab(26) });
  f.gap(100);
  P(
    `O PREFEITO MUNICIPAL DE ${CITY_UP}, Estado de Minas Gerais, no uso das atribuições que lhe confere o art. 71, ` +
      'inciso VI, da Lei Orgânica do Município,',
  );
  f.line('DECRETA:', { indent: tab(10) });
  f.gap(30);
  P(
    'Art. 1º O expediente das repartições públicas municipais será das 8 às 12 horas e das 14 às 18 horas, de ' +
      'segunda a sexta-feira.',
  );
  P(
    'Parágrafo único. Aos sábados funcionarão, das 8 às 11 horas, apenas os serviços de protocolo, arrecadação e ' +
      'plantão da Secretaria Municipal de Saúde.',
  );
  P(
    'Art. 2º Os serviços essenciais de limpeza urbana, iluminação pública, cemitério e pronto-atendimento médico ' +
      'manterão escala de plantão aos domingos e feriados, organizada pelo titular de cada Secretaria.',
  );
  P(
    'Art. 3º O controle de frequência dos servidores será feito por meio de livro de ponto, rubricado diariamente ' +
      'pela chefia imediata.',
  );
  P(
    '§ 1º O servidor que chegar com atraso superior a 15 (quinze) minutos deverá justificá-lo por escrito no mesmo ' +
      'dia.',
  );
  P(
    '§ 2º As faltas não justificadas serão descontadas na folha de pagamento do mês seguinte, na forma do Estatuto ' +
      'dos Servidores Públicos do Município.',
  );
  P(
    'Art. 4º O atendimento ao público encerrar-se-á 30 (trinta) minutos antes do término do expediente, salvo nos ' +
      'casos de urgência devidamente justificados.',
  );
  P(
    'Art. 5º Fica vedada a retirada de processos, livros e documentos do Arquivo Municipal sem autorização expressa ' +
      'do Secretário Municipal de Administração.',
  );
  P(
    'Art. 6º Os chefes de repartição afixarão, em local visível ao público, quadro com o horário de atendimento e o ' +
      'nome do servidor responsável pelo setor.',
  );
  P(
    'Art. 7º Nos dias de ponto facultativo, declarados por ato do Prefeito, funcionarão somente os serviços ' +
      'essenciais de que trata o art. 2º deste Decreto.',
  );
  P(
    'Art. 8º O servidor matriculado em curso regular de ensino poderá cumprir horário especial, mediante ' +
      'compensação, a critério da chefia imediata e com a anuência do Secretário da pasta.',
  );
  P(
    'Art. 9º A Secretaria Municipal de Administração expedirá as instruções complementares necessárias ao fiel ' +
      'cumprimento deste Decreto.',
  );
  // From ten on, Brazilian legal style writes cardinals: "Art. 10.", not "Art. 10º".
  P(
    'Art. 10. Este Decreto entra em vigor na data de sua publicação, revogadas as disposições em contrário, ' +
      'especialmente o Decreto nº 198, de 14 de fevereiro de 1986.',
  );
  f.gap(40);
  f.keep(600); // keep the closing formula, date and signature together
  f.line('Registre-se, publique-se e cumpra-se.', { indent: tab(10) });
  f.gap(60);
  f.para(`Gabinete do Prefeito Municipal de ${CITY}, em 2 de abril de 1990.`, { firstIndent: tab(10) });
  f.gap(60);
  f.signature(['JOAQUIM PEREIRA DA SILVEIRA', 'Prefeito Municipal'], { typed: true, ink: '#0d1a4a' });
  if (f.pages.length !== 3) throw new Error(`decreto: expected 3 pages, laid out ${f.pages.length}`);

  const tilt = [0.35, -0.5, 0.2];
  const pngs: Buffer[] = [];
  for (let i = 0; i < f.pages.length; i++) {
    const page = f.pages[i]!;
    const ink = await rasterize(typewriterSvg(page, rng, tilt[i]), page.width, page.height, { blur: 0.9 });
    assertInsideMargins(ink, MARGIN_300, `decreto page ${i + 1}`);
    const grey = onPaper(ink, rng, { tone: [235], ink: [10], shade: 10, grain: 0, grainDepth: 0, edge: 40 });
    const bw = bilevel(grey, rng, 150);
    // sharp 0.35 refuses G4 for a join of one-channel PNGs ("Bits/sample must be 1"), but joins
    // three-channel ones fine; b-w conversion after the join gives the 1-bit pages.
    pngs.push(await sharp(bw.data, { raw: { width: bw.width, height: bw.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer());
  }
  const tif = await sharp(pngs, { join: { animated: true } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
  save('Gabinete/1990/decreto-345.tif', tif, groundTruth(f.pages), 'manual typewriter, 3-page bilevel CCITT G4 TIFF, 300 DPI');
  for (let i = 0; i < 3; i++) {
    await expectMeta(path.join(SCANS, 'Gabinete/1990/decreto-345.tif'), { format: 'tiff', channels: 1, density: 300, resolutionUnit: 'inch', pages: 3, width: 2480, height: 3508 }, i);
  }
  expectTiffTags('Gabinete/1990/decreto-345.tif', tif, 3, { compression: 4, bitsPerSample: 1, samplesPerPixel: 1, resolutionUnit: 2, xres: 300, yres: 300 });
}

/** Thresholds a grey page to black/white and adds scanner dust: specks and a few clusters. */
function bilevel(g: Raster, rng: Rng, threshold: number): Raster {
  const { width: w, height: h } = g;
  const out = Buffer.alloc(w * h);
  for (let i = 0; i < w * h; i++) out[i] = g.data[i]! < threshold ? 0 : 255;
  const dot = (cx: number, cy: number, r: number): void => {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out[y * w + x] = 0;
      }
    }
  };
  const specks = rng.int(70, 110);
  for (let s = 0; s < specks; s++) dot(rng.range(0, w), rng.range(0, h), rng.range(0.6, 1.6));
  // Dust on the glass: a couple of tight clusters in the margins.
  for (let c = 0; c < 3; c++) {
    const cx = rng.next() < 0.5 ? rng.range(40, MARGIN_300 - 80) : rng.range(w - MARGIN_300 + 80, w - 40);
    const cy = rng.range(100, h - 100);
    for (let s = 0; s < 14; s++) dot(cx + rng.gauss() * 12, cy + rng.gauss() * 12, rng.range(0.7, 2.2));
  }
  return { width: w, height: h, channels: 1, data: out };
}

// ---------------------------------------------------------------------------------------------
// 3. Memorando, 1995: low-resolution colour JPEG, 150 DPI, yellowed paper with stains
// ---------------------------------------------------------------------------------------------

async function memorando(): Promise<void> {
  const rng = new Rng('memorando-88');
  const f = a4Flow(rng, 150, { font: 'sans', size: 23, fill: '#000' }, 36);
  const bold = { font: 'sans-bold' as const };
  f.gap(10);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 25, align: 'center' });
  f.line('Secretaria Municipal de Administração', { align: 'center' });
  f.line('Departamento de Protocolo e Arquivo', { align: 'center' });
  f.gap(55);
  f.line('MEMORANDO Nº 88/1995', { ...bold, size: 26 });
  f.line(`${CITY}, 23 de agosto de 1995.`, { align: 'right', leading: 44 });
  f.gap(30);
  f.line('De: Departamento de Protocolo e Arquivo');
  f.line('Para: Departamento de Compras e Licitações');
  f.line('Assunto: Processo de licitação nº 37/1995 – Tomada de Preços');
  f.gap(40);
  f.line('Senhora Diretora,', { indent: 60 });
  f.gap(14);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 60 });
    f.gap(14);
  };
  P(
    'Encaminhamos a Vossa Senhoria o processo de licitação nº 37/1995, na modalidade Tomada de Preços, referente à ' +
      'aquisição de gêneros alimentícios para a merenda escolar do 2º semestre, autuado neste Departamento em ' +
      '21/08/1995 com 46 (quarenta e seis) folhas numeradas e rubricadas.',
  );
  P(
    'Informamos que foram juntados aos autos o edital publicado no Diário Oficial do Estado de 4 de agosto, os ' +
      'comprovantes de entrega dos convites e a ata de abertura dos envelopes de habilitação.',
  );
  P(
    'Solicitamos que, após a homologação, o processo seja devolvido a este setor para registro e arquivamento, ' +
      'conforme determina a Instrução Normativa nº 3/1994.',
  );
  f.gap(10);
  f.line('Atenciosamente,', { indent: 60 });
  f.gap(20);
  f.signature(['Márcia Regina Teixeira', 'Chefe do Departamento de Protocolo e Arquivo'], { ink: '#1f3d8a' });
  if (f.pages.length !== 1) throw new Error(`memorando: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, 0.4), page.width, page.height, { colour: true, blur: 0.45 });
  assertInsideMargins(ink, MM(25, 150), 'memorando');
  const img = onPaper(ink, rng, {
    tone: [236, 223, 186],
    ink: [38, 36, 44],
    shade: 7,
    grain: 0.01,
    grainDepth: 30,
    edge: 30,
    stains: { count: 3, tint: [0.86, 0.8, 0.66], strength: 0.55 },
  });
  const jpg = withJfif(await rawSharp(img).jpeg({ quality: 80 }).toBuffer(), 150);
  save('Protocolo/1995/memorando-88.jpg', jpg, groundTruth(f.pages), 'colour JPEG, 150 DPI, yellowed and stained');
  await expectMeta(path.join(SCANS, 'Protocolo/1995/memorando-88.jpg'), { format: 'jpeg', channels: 3, density: 150, resolutionUnit: 'inch', width: 1240, height: 1754 });
}

// ---------------------------------------------------------------------------------------------
// 4. Certidão negativa, 2001: image-only PDF (greyscale JPEG, 300 DPI), no text layer
// ---------------------------------------------------------------------------------------------

async function certidao(): Promise<void> {
  const rng = new Rng('certidao-negativa');
  const f = a4Flow(rng, 300, { font: 'sans', size: 46 }, 68);
  const bold = { font: 'sans-bold' as const };
  f.gap(20);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 50, align: 'center' });
  f.line('Secretaria Municipal da Fazenda', { align: 'center' });
  f.line('Departamento de Tributação e Arrecadação', { align: 'center' });
  f.gap(120);
  f.line('CERTIDÃO NEGATIVA DE DÉBITOS', { ...bold, size: 60, align: 'center' });
  f.line('Protocolo 98.765/2001', { align: 'center', leading: 80 });
  f.gap(90);
  f.line('Contribuinte: Clínica Médica Santa Luzia Ltda.');
  f.line('CNPJ: 04.252.011/0001-10');
  f.line('Endereço: Avenida Getúlio Vargas, nº 1.480 – Centro');
  f.line('Inscrição municipal: 12.337-8');
  f.gap(50);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 140 });
    f.gap(26);
  };
  P(
    'CERTIFICAMOS, para os devidos fins, que até a presente data não constam débitos relativos a tributos ' +
      'municipais em nome do contribuinte acima identificado, ressalvado o direito de a Fazenda Pública Municipal ' +
      'cobrar quaisquer dívidas que venham a ser apuradas posteriormente.',
  );
  P(
    'Esta certidão foi requerida para instruir o processo de credenciamento junto à Secretaria Municipal de Saúde ' +
      'e é válida por 90 (noventa) dias, contados da data de sua emissão.',
  );
  P(
    'A autenticidade desta certidão poderá ser confirmada no Departamento de Tributação mediante a apresentação ' +
      'do número de protocolo.',
  );
  f.gap(70);
  f.line(`${CITY}, 14 de maio de 2001.`, { align: 'right' });
  f.gap(40);
  f.signature(['Renata Albuquerque Fontes', 'Chefe do Departamento de Tributação e Arrecadação']);
  if (f.pages.length !== 1) throw new Error(`certidão: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, 0.15), page.width, page.height, { blur: 0.7 });
  assertInsideMargins(ink, MARGIN_300, 'certidão');
  const img = onPaper(ink, rng, { tone: [242], ink: [20], shade: 3, grain: 0.002, grainDepth: 40, edge: 12 });
  const jpg = withJfif(await rawSharp(img).jpeg({ quality: 72 }).toBuffer(), 300);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const when = new Date(Date.UTC(2001, 4, 14, 13, 22, 5));
  // Like a scanner's output: no title or subject, so metadata must come from the page image.
  doc.setProducer('Acervo sample generator (pdf-lib); fictional document');
  doc.setCreator('Acervo sample generator (simulated scanner output)');
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  const image = await doc.embedJpg(jpg);
  const pw = (page.width * 72) / 300;
  const ph = (page.height * 72) / 300;
  const p = doc.addPage([pw, ph]);
  p.drawImage(image, { x: 0, y: 0, width: pw, height: ph });
  const pdf = await doc.save();
  save('Saude/2001/certidao-negativa.pdf', pdf, groundTruth(f.pages), 'image-only PDF (greyscale JPEG page, 300 DPI), no text layer');
}

// ---------------------------------------------------------------------------------------------
// 5. Resolución, 1978: Spanish, typed, greyscale PNG, 300 DPI
// ---------------------------------------------------------------------------------------------

async function resolucion(): Promise<void> {
  const rng = new Rng('resolucion-27');
  const f = a4Flow(rng, 300, { font: 'serif', size: 47 }, 68);
  const bold = { font: 'serif-bold' as const };
  f.gap(20);
  f.line('MUNICIPALIDAD DE SAN IGNACIO DE LA PEÑA', { ...bold, size: 52, align: 'center' });
  f.line('Departamento Ejecutivo', { align: 'center' });
  f.gap(100);
  f.line('RESOLUCIÓN Nº 27/1978', { ...bold, size: 56, align: 'center' });
  f.gap(60);
  f.line('San Ignacio de la Peña, 15 de julio de 1978.', { align: 'right' });
  f.gap(60);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 140 });
    f.gap(24);
  };
  P(
    'VISTO: el expediente Nº 1.145/78, iniciado por la Comisión Vecinal del barrio Güemes, por el cual solicita la ' +
      'reparación de la plaza pública ubicada frente al Jardín de Infantes “El Pingüino”; y',
  );
  P(
    'CONSIDERANDO: que los vecinos preguntan en su nota: “¿Hasta cuándo deberán los niños jugar entre escombros?”, ' +
      'y agregan que el estado actual de la plaza es “una vergüenza para toda la comunidad”;',
  );
  P(
    'que la Dirección de Obras Públicas informa que el gasto no excede la partida presupuestaria vigente y que los ' +
      'trabajos pueden ejecutarse antes del comienzo de la primavera;',
  );
  P(
    'que corresponde atender el reclamo con la mayor celeridad, bajo el lema de la campaña municipal: “¡Una plaza ' +
      'limpia es tarea de todos!”;',
  );
  f.line('Por ello,', { indent: 140 });
  f.line('EL INTENDENTE MUNICIPAL', { ...bold, align: 'center', leading: 90 });
  f.line('RESUELVE:', { ...bold, align: 'center' });
  f.gap(30);
  P(
    'Artículo 1º.– Encomiéndase a la Dirección de Obras Públicas la reparación integral de la plaza del barrio ' +
      'Güemes, incluyendo el cerco perimetral, los juegos infantiles y el alumbrado.',
  );
  P('Artículo 2º.– Impútese el gasto a la partida 4.2.1 del presupuesto vigente.');
  P('Artículo 3º.– Comuníquese, publíquese, dése al Registro Municipal y archívese.');
  f.gap(40);
  f.signature(['Héctor Rubén Núñez', 'Intendente Municipal']);
  if (f.pages.length !== 1) throw new Error(`resolución: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, 0.3), page.width, page.height, { blur: 0.8 });
  assertInsideMargins(ink, MARGIN_300, 'resolución');
  const img = onPaper(ink, rng, { tone: [232], ink: [35], shade: 4, grain: 0.002, grainDepth: 40, edge: 22, inkLevels: 16 });
  const png = await rawSharp(img).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(300).toBuffer();
  save('Municipalidad/1978/resolucion-27.png', png, groundTruth(f.pages), 'Spanish, typed, greyscale PNG, 300 DPI');
  await expectMeta(path.join(SCANS, 'Municipalidad/1978/resolucion-27.png'), { format: 'png', channels: 1, density: 300, width: 2480, height: 3508 });
}

// ---------------------------------------------------------------------------------------------
// 6. Recibo, 1982: pre-printed form filled on a typewriter; colour JPEG-in-TIFF, 200 DPI, A5 landscape
// ---------------------------------------------------------------------------------------------

async function recibo(): Promise<void> {
  const rng = new Rng('recibo-1503');
  const dpi = 200;
  const width = MM(210, dpi); // A5 landscape
  const height = MM(148, dpi);
  const m = MM(20, dpi);
  const printed = '#1d4e5a'; // form ink
  const typed = '#111111';
  const f = new Flow({ width, height, margin: { left: m, right: m, top: MM(16, dpi), bottom: MM(14, dpi) }, body: { font: 'sans', size: 30, fill: printed }, leading: 52 }, rng);
  const label = (text: string): { text: string; font: FontKey; size: number; fill: string } => ({ text, font: 'sans', size: 30, fill: printed });
  const value = (text: string): { text: string; font: FontKey; size: number; fill: string } => ({ text, font: 'mono', size: 31, fill: typed });
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { font: 'sans-bold', size: 34, align: 'center' });
  f.line('Tesouraria Municipal', { align: 'center', leading: 46 });
  f.gap(30);
  f.segments([{ text: 'RECIBO', font: 'sans-bold', size: 40, fill: printed }, { text: 'Nº 1503', font: 'sans-bold', size: 40, fill: '#a3242a' }], { leading: 70 });
  f.gap(30);
  f.segments([label('Recebemos de'), value('Transportes Irmãos Corrêa Ltda.')]);
  f.segments([label('a importância de'), value('Cr$ 1.250,00 (um mil duzentos e cinqüenta')]);
  f.segments([value('cruzeiros), referente à taxa de licença de localização,')]);
  f.segments([value('exercício de 1982, conforme guia nº 7.214.')]);
  f.gap(20);
  f.segments([label('Valor:'), value('Cr$ 1.250,00')], { leading: 60 });
  f.segments([label(`${CITY},`), value('5 de novembro de 1982.')], { leading: 60 });
  f.gap(10);
  f.signature([{ text: 'Walter Nogueira Pires', font: 'mono', size: 29, fill: typed }, 'Tesoureiro'], {
    ink: '#2a2a7a',
    width: 560,
    nameStyle: { font: 'sans', size: 28, fill: printed },
  });
  if (f.pages.length !== 1) throw new Error(`recibo: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;
  assertInsideMargins(await rasterize(typesetSvg(page), width, height), m, 'recibo');
  // The form's printed double frame, drawn inside the page margins.
  page.shapes.push(
    `<rect x="${MM(10, dpi)}" y="${MM(9, dpi)}" width="${width - 2 * MM(10, dpi)}" height="${height - 2 * MM(9, dpi)}" fill="none" stroke="${printed}" stroke-width="5"/>`,
    `<rect x="${MM(12, dpi)}" y="${MM(11, dpi)}" width="${width - 2 * MM(12, dpi)}" height="${height - 2 * MM(11, dpi)}" fill="none" stroke="${printed}" stroke-width="1.5"/>`,
  );

  const ink = await rasterize(typesetSvg(page, -0.3), width, height, { colour: true, blur: 0.55 });
  const img = onPaper(ink, rng, {
    tone: [233, 238, 226],
    ink: [0, 0, 0],
    shade: 5,
    grain: 0.006,
    grainDepth: 25,
    edge: 20,
  });
  // ink: [0,0,0] multiplies the coloured raster onto the paper, so the form's teal and red inks survive.
  const tif = await rawSharp(img)
    .tiff({ compression: 'jpeg', quality: 85, xres: dpi / 25.4, yres: dpi / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
  save('Tesouraria/1982/recibo-1503.tif', tif, groundTruth(f.pages), 'colour JPEG-in-TIFF, 200 DPI, pre-printed form + typed values');
  await expectMeta(path.join(SCANS, 'Tesouraria/1982/recibo-1503.tif'), { format: 'tiff', channels: 3, density: 200, resolutionUnit: 'inch', width, height });
  expectTiffTags('Tesouraria/1982/recibo-1503.tif', tif, 1, { compression: 7, bitsPerSample: 8, samplesPerPixel: 3, resolutionUnit: 2, xres: 200, yres: 200 });
}

// ---------------------------------------------------------------------------------------------
// 7. Lei, 2003: born-digital PDF with a real text layer (pdf-lib standard fonts), 2 pages
// ---------------------------------------------------------------------------------------------

async function lei(): Promise<void> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const when = new Date(Date.UTC(2003, 9, 10, 17, 40, 0));
  doc.setTitle('Lei nº 1.234, de 10 de outubro de 2003');
  doc.setSubject('Institui o Programa Municipal de Gestão Documental e dá outras providências.');
  doc.setAuthor(`Prefeitura Municipal de ${CITY}`);
  doc.setProducer('Acervo sample generator (pdf-lib); fictional document');
  doc.setCreator('Acervo sample generator');
  doc.setLanguage('pt-BR');
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  const times = await doc.embedFont(StandardFonts.TimesRoman);
  const timesBold = await doc.embedFont(StandardFonts.TimesRomanBold);
  const timesItalic = await doc.embedFont(StandardFonts.TimesRomanItalic);
  const helvBold = await doc.embedFont(StandardFonts.HelveticaBold);
  const helv = await doc.embedFont(StandardFonts.Helvetica);

  const W = 595.28;
  const H = 841.89;
  const M = 72; // 2.54 cm
  const pages: string[][] = [];
  let page!: PDFPage;
  let lines!: string[];
  let y = 0;
  const newPage = (): void => {
    page = doc.addPage([W, H]);
    lines = [];
    pages.push(lines);
    y = H - M;
    if (pages.length > 1) {
      draw(`Lei nº 1.234/2003 – fl. ${pages.length}`, helv, 9, 'right', 0, 0);
      y -= 24;
    }
  };
  const draw = (text: string, font: PDFFont, size: number, align: 'left' | 'center' | 'right', indent: number, leading: number): void => {
    checkDrawable(text);
    if (y - leading < M) newPage();
    else y -= leading;
    const w = font.widthOfTextAtSize(text, size);
    if (w + indent > W - 2 * M + 0.01) throw new Error(`lei: line overflows: ${text}`);
    const x = align === 'center' ? (W - w) / 2 : align === 'right' ? W - M - w : M + indent;
    page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
    lines.push(text);
  };
  const para = (text: string, font: PDFFont, size: number, o: { indent?: number; firstIndent?: number; leading?: number; after?: number } = {}): void => {
    const leading = o.leading ?? size * 1.45;
    const words = text.split(/\s+/);
    let cur = '';
    let first = true;
    const avail = (): number => W - 2 * M - (o.indent ?? 0) - (first ? (o.firstIndent ?? 0) : 0);
    const flush = (): void => {
      draw(cur, font, size, 'left', (o.indent ?? 0) + (first ? (o.firstIndent ?? 0) : 0), leading);
      first = false;
    };
    for (const w of words) {
      const cand = cur ? `${cur} ${w}` : w;
      if (font.widthOfTextAtSize(cand, size) <= avail()) cur = cand;
      else {
        flush();
        cur = w;
      }
    }
    if (cur) flush();
    y -= o.after ?? 8;
  };

  newPage();
  draw(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, helvBold, 12, 'center', 0, 0);
  draw('Estado de Minas Gerais – Gabinete do Prefeito', helv, 10, 'center', 0, 15);
  y -= 36;
  draw('LEI Nº 1.234, DE 10 DE OUTUBRO DE 2003', timesBold, 13, 'center', 0, 0);
  y -= 26;
  para(
    'Institui o Programa Municipal de Gestão Documental e Arquivo, dispõe sobre a digitalização do acervo ' +
      'público municipal e dá outras providências.',
    timesItalic,
    11.5,
    { indent: 225, after: 20 },
  );
  const body = (t: string): void => para(t, times, 12, { firstIndent: 36, after: 9 });
  body(
    `O PREFEITO MUNICIPAL DE ${CITY_UP}, Estado de Minas Gerais, faço saber que a Câmara Municipal aprovou e eu ` +
      'sanciono a seguinte Lei:',
  );
  body(
    'Art. 1º Fica instituído o Programa Municipal de Gestão Documental e Arquivo, com a finalidade de organizar, ' +
      'preservar e dar acesso aos documentos produzidos e recebidos pelos órgãos do Poder Executivo.',
  );
  body(
    'Art. 2º São objetivos do Programa: I – garantir o acesso do cidadão à informação pública; II – preservar a ' +
      'memória administrativa do Município; III – reduzir o tempo de localização de processos, decretos, certidões e ' +
      'alvarás; IV – proteger os dados pessoais constantes dos documentos.',
  );
  body(
    'Art. 3º Os documentos de guarda permanente serão digitalizados com resolução mínima de 300 (trezentos) pontos ' +
      'por polegada e convertidos em arquivos pesquisáveis, mantendo-se os originais no Arquivo Público Municipal.',
  );
  body(
    'Parágrafo único. A digitalização não autoriza a eliminação de documentos originais, que dependerá de ' +
      'avaliação da Comissão Permanente de Avaliação de Documentos, na forma do regulamento.',
  );
  body(
    'Art. 4º Compete à Secretaria Municipal de Administração coordenar o Programa, expedir normas técnicas e ' +
      'manter o catálogo eletrônico do acervo, com índices por espécie documental, data e número de protocolo.',
  );
  body(
    'Art. 5º O acesso a documentos que contenham informações pessoais, tais como números de CPF, endereços e dados ' +
      'de saúde, observará as restrições legais e será registrado em sistema próprio.',
  );
  body(
    'Art. 6º Fica criada a Comissão Permanente de Avaliação de Documentos, composta por 5 (cinco) membros ' +
      'designados pelo Prefeito dentre servidores efetivos, com mandato de 2 (dois) anos, permitida uma recondução.',
  );
  body(
    'Art. 7º Os prazos de guarda e a destinação final dos documentos observarão a Tabela de Temporalidade ' +
      'aprovada por decreto, ouvido o Conselho Municipal de Cultura.',
  );
  body(
    'Art. 8º As despesas decorrentes da execução desta Lei correrão à conta das dotações orçamentárias próprias, ' +
      'suplementadas se necessário.',
  );
  body('Art. 9º O Poder Executivo regulamentará esta Lei no prazo de 90 (noventa) dias, contados de sua publicação.');
  body('Art. 10. Esta Lei entra em vigor na data de sua publicação, revogadas as disposições em contrário.');
  y -= 12;
  para(`Gabinete do Prefeito Municipal de ${CITY}, 10 de outubro de 2003.`, times, 12, { firstIndent: 36, after: 40 });
  draw('Carlos Eduardo Siqueira Mendes', timesBold, 12, 'center', 0, 0);
  draw('Prefeito Municipal', times, 12, 'center', 0, 16);
  if (pages.length !== 2) throw new Error(`lei: expected 2 pages, laid out ${pages.length}`);
  const pdf = await doc.save();
  const truth = pages.map((l) => l.join('\n')).join('\n\f\n') + '\n';
  save('Gabinete/2003/lei-1234-texto.pdf', pdf, truth, 'born-digital PDF with a text layer (Times/Helvetica, WinAnsi), 2 pages');
}

// ---------------------------------------------------------------------------------------------
// 8. Ofício, 1984: carbon copy of a typewritten letter; faint violet carbon on onion-skin, colour PNG
// ---------------------------------------------------------------------------------------------

async function carbono(): Promise<void> {
  const rng = new Rng('oficio-copia-carbono');
  const col = 30.1; // the decreto's pica typewriter: DejaVu Sans Mono 50 px, 10 characters per inch
  const f = a4Flow(rng, 300, { font: 'mono', size: 50 }, 100, { mono: true, slack: 0 });
  const tab = (n: number): number => Math.round(n * col);
  const P = (t: string): void => {
    f.para(t, { firstIndent: tab(10) });
    f.gap(30);
  };
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { align: 'center' });
  f.line('Secretaria Municipal de Administração', { align: 'center' });
  f.gap(100);
  f.line('Ofício nº 57/84 - SMA');
  f.line(`${CITY}, 14 de maio de 1984.`, { align: 'right' });
  f.gap(60);
  f.line('Ao Senhor Diretor do Departamento de Obras');
  f.line('Assunto: Processo nº 1.234/84 - pavimentação');
  f.gap(60);
  f.line('Senhor Diretor,', { indent: tab(10) });
  f.gap(30);
  P(
    'Em atenção ao Processo nº 1.234/84, comunicamos a Vossa Senhoria que a Comissão de Orçamento aprovou a ' +
      'inclusão da pavimentação da Rua da Conceição no programa de obras do 2º semestre, com início previsto ' +
      'para o mês de agosto.',
  );
  P(
    'Solicitamos também a remessa, no prazo de 15 (quinze) dias úteis, do orçamento detalhado e das informações ' +
      'sobre os lotes atingidos pelo alargamento da calçada, para que o órgão competente possa emitir parecer.',
  );
  f.line('Atenciosamente,', { indent: tab(10) });
  f.gap(160);
  // A carbon copy is not signed: only the typed name under the space left for the signature.
  f.line('ANTÔNIO CARLOS RIBEIRO', { align: 'center' });
  f.line('Secretário Municipal de Administração', { align: 'center' });
  if (f.pages.length !== 1) throw new Error(`ofício: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typewriterSvg(page, rng, -0.45), page.width, page.height, { blur: 1 });
  assertInsideMargins(ink, MARGIN_300, 'ofício');
  // The carbon's grain and the ghost are made on the sharp strokes; the thin sheet then spreads it all.
  const speckled = carbonCopy(ink, rng, { strength: 0.36, pressure: 0.5, speckle: 0.9, ghost: 0.45, ghostDx: 3, ghostDy: 4 });
  const { data: smeared, info } = await rawSharp(speckled).blur(2.6).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || info.width !== page.width || info.height !== page.height) throw new Error('ofício: blur changed the raster shape');
  const carbon: Raster = { ...speckled, data: smeared };
  // Thin onion-skin: greyish-yellow, with soft shading and fibre specks; violet carbon ink laid onto it.
  const img = onPaper(carbon, rng, {
    tone: [226, 224, 210],
    ink: [92, 62, 150],
    shade: 7,
    grain: 0.003,
    grainDepth: 18,
    edge: 16,
    inkLevels: 8,
  });
  const png = await rawSharp(img).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(300).toBuffer();
  save('Administracao/1984/oficio-copia-carbono.png', png, groundTruth(f.pages), 'carbon copy, manual typewriter, colour PNG, 300 DPI');
  await expectMeta(path.join(SCANS, 'Administracao/1984/oficio-copia-carbono.png'), { format: 'png', channels: 3, density: 300, width: 2480, height: 3508 });
}

// ---------------------------------------------------------------------------------------------
// 9. Requerimento, 1979: badly kept typed page; browned paper, foxing, a water stain, colour JPEG, 200 DPI
// ---------------------------------------------------------------------------------------------

async function manchado(): Promise<void> {
  const rng = new Rng('requerimento-manchado');
  const dpi = 200;
  const f = a4Flow(rng, dpi, { font: 'serif', size: 32 }, 47); // the alvará's DejaVu Serif at 11.5 pt
  const bold = { font: 'serif-bold' as const };
  f.gap(14);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 35, align: 'center' });
  f.line('Secretaria Municipal de Obras e Urbanismo', { align: 'center' });
  f.gap(70);
  f.line('REQUERIMENTO', { ...bold, size: 37, align: 'center' });
  f.line('Processo nº 2.345/79', { align: 'center', leading: 54 });
  f.gap(60);
  f.line('Excelentíssimo Senhor Prefeito Municipal,');
  f.gap(24);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 100 });
    f.gap(18);
  };
  P(
    'Cláudio Henrique Gonçalves, brasileiro, comerciário, residente à Rua das Acácias, 112, Bairro São Sebastião, ' +
      'nesta cidade, vem respeitosamente requerer a Vossa Excelência a concessão de licença para construção de um ' +
      'cômodo de alvenaria nos fundos do seu lote, com área de 24 metros quadrados, conforme a planta anexa.',
  );
  P(
    'Declara que a obra obedecerá às disposições do Código de Obras, que não ocupará o passeio público e que será ' +
      'executada sob a responsabilidade do engenheiro Sérgio Simões, CREA nº 8.417/D, sendo as taxas recolhidas ' +
      'no 1º dia útil após a aprovação.',
  );
  f.line('Nestes termos,', { indent: 100 });
  f.line('Pede deferimento.', { indent: 100 });
  f.gap(50);
  f.line(`${CITY}, 3 de setembro de 1979.`, { align: 'right' });
  f.gap(24);
  f.signature(['Cláudio Henrique Gonçalves', 'Requerente'], { ink: '#23305e' });
  if (f.pages.length !== 1) throw new Error(`requerimento: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, 0.35), page.width, page.height, { blur: 0.55 });
  assertInsideMargins(ink, MM(25, dpi), 'requerimento');
  // Faded ink: coverage lower overall and uneven in soft patches along the page.
  const fade = valueNoise(rng, page.width, page.height, 90);
  for (let i = 0; i < ink.data.length; i++) {
    const cov = (1 - ink.data[i]! / 255) * (0.74 + 0.14 * fade[i]!);
    ink.data[i] = Math.round(255 * (1 - cov));
  }
  const paper = onPaper(ink, rng, {
    tone: [222, 199, 148],
    ink: [48, 40, 36],
    shade: 12,
    mottle: 6,
    grain: 0.004,
    grainDepth: 30,
    edge: 34,
  });
  const img = agedDamage(paper, rng, {
    light: 0.22,
    spine: 0.45,
    foxing: 70,
    stain: { cx: page.width * 0.62, cy: page.height * 0.41, r: page.width * 0.25, tide: 0.32, fill: 0.22 },
    grain: 4,
    pepper: 0.0015,
    salt: 0.0008,
  });
  const jpg = withJfif(await rawSharp(img).jpeg({ quality: 80, mozjpeg: true }).toBuffer(), dpi);
  save('Obras/1979/requerimento-manchado.jpg', jpg, groundTruth(f.pages), 'colour JPEG, 200 DPI, browned, foxed, water-stained');
  await expectMeta(path.join(SCANS, 'Obras/1979/requerimento-manchado.jpg'), { format: 'jpeg', channels: 3, density: 200, resolutionUnit: 'inch', width: 1654, height: 2339 });
}

// ---------------------------------------------------------------------------------------------
// Pages as they come off the scanner the wrong way: upside down, sideways, crooked on the glass
// ---------------------------------------------------------------------------------------------

/** A finished sheet turned by a quarter turn (clockwise degrees), as a page fed the wrong way round. */
async function turned(img: Raster, degrees: 90 | 180 | 270): Promise<Raster> {
  const { data, info } = await rawSharp(img).rotate(degrees).raw().toBuffer({ resolveWithObject: true });
  const want = degrees === 180 ? [img.width, img.height] : [img.height, img.width];
  if (info.width !== want[0] || info.height !== want[1] || info.channels !== img.channels) throw new Error(`turning by ${degrees}° gave ${info.width}×${info.height}×${info.channels}`);
  return { width: info.width, height: info.height, channels: img.channels, data };
}

/** A finished sheet lying crooked on the glass: turned clockwise by `degrees` about its centre, on the
 *  scanner's white lid, and cut to the scan frame (the sheet's corners fall outside it). */
async function crooked(img: Raster, degrees: number): Promise<Raster> {
  const lid = img.channels === 1 ? { r: 255, g: 255, b: 255 } : { r: 252, g: 252, b: 250 };
  const big = await rawSharp(img).rotate(degrees, { background: lid }).raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((big.info.width - img.width) / 2);
  const top = Math.floor((big.info.height - img.height) / 2);
  let cut = sharp(big.data, { raw: { width: big.info.width, height: big.info.height, channels: big.info.channels } }).extract({ left, top, width: img.width, height: img.height });
  cut = img.channels === 1 ? cut.toColourspace('b-w') : cut.removeAlpha();
  const { data, info } = await cut.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== img.channels) throw new Error(`crooked: ${info.channels} channels, expected ${img.channels}`);
  return { ...img, data };
}

// 10. Certidão de tempo de serviço, 1991: fed upside down; typed, greyscale PNG, 300 DPI, with a CPF

async function tempoServico(): Promise<void> {
  const rng = new Rng('certidao-tempo-servico-88');
  const f = a4Flow(rng, 300, { font: 'serif', size: 46 }, 70);
  const bold = { font: 'serif-bold' as const };
  f.gap(20);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 50, align: 'center' });
  f.line('Secretaria Municipal de Administração', { align: 'center' });
  f.line('Departamento de Pessoal', { align: 'center' });
  f.gap(110);
  f.line('CERTIDÃO DE TEMPO DE SERVIÇO Nº 88/1991', { ...bold, size: 52, align: 'center' });
  f.line('Processo nº 3.310/1991', { align: 'center', leading: 80 });
  f.gap(80);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 150 });
    f.gap(28);
  };
  P(
    'CERTIFICO, a requerimento da interessada e para fins de aposentadoria, que, revendo os assentamentos ' +
      'funcionais arquivados neste Departamento, deles consta que a servidora abaixo identificada exerceu o cargo ' +
      'de Professora do quadro permanente desta Prefeitura:',
  );
  f.line('Nome: Maria Aparecida dos Santos Ferreira');
  f.line('CPF: 318.472.605-35');
  f.line('Matrícula nº 1.042 – Escola Municipal Padre Anchieta');
  f.gap(28);
  P(
    'Período: de 1º de março de 1966 a 31 de dezembro de 1990, contando 24 (vinte e quatro) anos, 10 (dez) meses ' +
      'e 1 (um) dia de efetivo exercício, sem interrupção e sem faltas não justificadas.',
  );
  P('O referido é verdade e dou fé.');
  f.gap(70);
  f.line(`${CITY}, 7 de fevereiro de 1991.`, { align: 'right' });
  f.gap(40);
  f.signature(['Sebastião Rocha Vilela', 'Chefe do Departamento de Pessoal']);
  if (f.pages.length !== 1) throw new Error(`certidão de tempo de serviço: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, 0.3), page.width, page.height, { blur: 0.7 });
  assertInsideMargins(ink, MARGIN_300, 'certidão de tempo de serviço');
  const sheet = onPaper(ink, rng, { tone: [236], ink: [30], shade: 5, grain: 0.002, grainDepth: 40, edge: 16, inkLevels: 16 });
  const img = await turned(sheet, 180);
  const png = await rawSharp(img).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(300).toBuffer();
  save('Pessoal/1991/certidao-tempo-servico-88.png', png, groundTruth(f.pages), 'fed upside down (180°), typed, greyscale PNG, 300 DPI');
  await expectMeta(path.join(SCANS, 'Pessoal/1991/certidao-tempo-servico-88.png'), { format: 'png', channels: 1, density: 300, width: 2480, height: 3508 });
}

// 11. Ordenanza, 1992: Spanish, fed sideways (turned 90° clockwise); colour JPEG, 200 DPI

async function ordenanza(): Promise<void> {
  const rng = new Rng('ordenanza-45');
  const dpi = 200;
  const f = a4Flow(rng, dpi, { font: 'sans', size: 30 }, 45);
  const bold = { font: 'sans-bold' as const };
  f.gap(12);
  f.line('MUNICIPALIDAD DE SAN IGNACIO DE LA PEÑA', { ...bold, size: 33, align: 'center' });
  f.line('Honorable Concejo Deliberante', { align: 'center' });
  f.gap(70);
  f.line('ORDENANZA Nº 45/1992', { ...bold, size: 36, align: 'center' });
  f.gap(40);
  f.line('San Ignacio de la Peña, 9 de octubre de 1992.', { align: 'right' });
  f.gap(40);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 95 });
    f.gap(16);
  };
  P(
    'VISTO: el expediente Nº 2.087/92, por el cual los vecinos de la calle Belgrano solicitan que se ordene el ' +
      'tránsito de vehículos de carga frente a la Escuela Nº 14 “Juana Azurduy”; y',
  );
  P(
    'CONSIDERANDO: que la Dirección de Tránsito informa que los camiones estacionados en doble fila impiden el ' +
      'paso de los niños y de los vehículos de emergencia en los horarios de entrada y salida de la escuela;',
  );
  f.line('Por ello,', { indent: 95 });
  f.line('EL HONORABLE CONCEJO DELIBERANTE', { ...bold, align: 'center', leading: 60 });
  f.line('SANCIONA CON FUERZA DE ORDENANZA:', { ...bold, align: 'center' });
  f.gap(20);
  P(
    'Artículo 1º.– Prohíbese el estacionamiento de vehículos de carga en la calle Belgrano, entre Mitre y ' +
      'Sarmiento, de lunes a sábado de 7 a 19 horas.',
  );
  P('Artículo 2º.– Los infractores serán sancionados con una multa de cincuenta a doscientos módulos.');
  P('Artículo 3º.– Comuníquese al Departamento Ejecutivo, publíquese, dése al Registro Municipal y archívese.');
  f.gap(30);
  f.signature(['Graciela Beatriz Ortiz', 'Presidenta del Honorable Concejo Deliberante'], { ink: '#1d2f6b' });
  if (f.pages.length !== 1) throw new Error(`ordenanza: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page, -0.3), page.width, page.height, { colour: true, blur: 0.5 });
  assertInsideMargins(ink, MM(25, dpi), 'ordenanza');
  const sheet = onPaper(ink, rng, { tone: [242, 238, 226], ink: [30, 32, 48], shade: 5, grain: 0.004, grainDepth: 30, edge: 20 });
  const img = await turned(sheet, 90);
  const jpg = withJfif(await rawSharp(img).jpeg({ quality: 85 }).toBuffer(), dpi);
  save('Municipalidad/1992/ordenanza-45.jpg', jpg, groundTruth(f.pages), 'Spanish, fed sideways (90° clockwise), colour JPEG, 200 DPI');
  await expectMeta(path.join(SCANS, 'Municipalidad/1992/ordenanza-45.jpg'), { format: 'jpeg', channels: 3, density: 200, width: 2339, height: 1654 });
}

// 12. Ata de sessão, 1993: the sheet lay 3° crooked on the glass; typed, greyscale PNG, 300 DPI

async function ata(): Promise<void> {
  const rng = new Rng('ata-sessao-14');
  const f = a4Flow(rng, 300, { font: 'serif', size: 44 }, 66);
  const bold = { font: 'serif-bold' as const };
  f.gap(20);
  f.line(`CÂMARA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 50, align: 'center' });
  f.line('Estado de Minas Gerais', { align: 'center' });
  f.gap(100);
  f.line('ATA DA 14ª SESSÃO ORDINÁRIA DE 1993', { ...bold, size: 50, align: 'center' });
  f.gap(70);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 140 });
    f.gap(24);
  };
  P(
    'Aos vinte e dois dias do mês de junho de mil novecentos e noventa e três, às dezenove horas, no Plenário da ' +
      'Câmara Municipal, reuniram-se os Vereadores sob a presidência do Vereador Joaquim Pedro Alves, com a ' +
      'presença de nove dos onze membros desta Casa.',
  );
  P(
    'Aberta a sessão, foi lida e aprovada sem emendas a ata da sessão anterior. Em seguida, o Presidente ' +
      'apresentou o Projeto de Lei nº 27/1993, que autoriza o Poder Executivo a adquirir uma ambulância para o ' +
      'Posto de Saúde do distrito de Vargem Alegre, aprovado em primeira votação por unanimidade.',
  );
  P(
    'Na palavra livre, a Vereadora Lúcia Helena Prado pediu providências quanto à iluminação da Praça da Matriz ' +
      'e à limpeza do córrego do Bairro Santo Antônio.',
  );
  P(
    'Nada mais havendo a tratar, o Presidente encerrou a sessão, e eu, Rita de Cássia Moura, Secretária, lavrei ' +
      'a presente ata, que, lida e achada conforme, vai assinada por mim e pelo Presidente.',
  );
  f.gap(40);
  f.signature(['Joaquim Pedro Alves', 'Presidente']);
  if (f.pages.length !== 1) throw new Error(`ata: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page), page.width, page.height, { blur: 0.75 });
  assertInsideMargins(ink, MARGIN_300, 'ata');
  const sheet = onPaper(ink, rng, { tone: [234], ink: [32], shade: 5, grain: 0.002, grainDepth: 40, edge: 14, inkLevels: 16 });
  const img = await crooked(sheet, 3);
  const png = await rawSharp(img).png({ compressionLevel: 9, adaptiveFiltering: true }).withDensity(300).toBuffer();
  save('Camara/1993/ata-sessao-14.png', png, groundTruth(f.pages), 'sheet 3° crooked on the glass, typed, greyscale PNG, 300 DPI');
  await expectMeta(path.join(SCANS, 'Camara/1993/ata-sessao-14.png'), { format: 'png', channels: 1, density: 300, width: 2480, height: 3508 });
}

// 13. Edital, 1998: the sheet lay 7° crooked the other way; greyscale LZW TIFF, 300 DPI

async function edital(): Promise<void> {
  const rng = new Rng('edital-05');
  const f = a4Flow(rng, 300, { font: 'sans', size: 42 }, 64);
  const bold = { font: 'sans-bold' as const };
  f.gap(20);
  f.line(`PREFEITURA MUNICIPAL DE ${CITY_UP}`, { ...bold, size: 48, align: 'center' });
  f.line('Secretaria Municipal de Educação', { align: 'center' });
  f.gap(100);
  f.line('EDITAL Nº 05/1998', { ...bold, size: 54, align: 'center' });
  f.line('CONCURSO PÚBLICO PARA PROFESSOR', { ...bold, align: 'center', leading: 76 });
  f.gap(70);
  const P = (t: string): void => {
    f.para(t, { firstIndent: 130 });
    f.gap(24);
  };
  P(
    'O Prefeito Municipal de São João do Ipê torna público que estarão abertas, de 3 a 21 de agosto de 1998, as ' +
      'inscrições para o concurso público destinado ao provimento de 12 (doze) cargos de Professor de Educação ' +
      'Básica, nos termos da Lei Municipal nº 1.502/1997.',
  );
  P(
    '1. Das inscrições: serão feitas na Secretaria Municipal de Educação, à Rua Tiradentes, nº 88, das 8 às 17 ' +
      'horas, mediante a apresentação de documento de identidade e o pagamento da taxa de R$ 15,00.',
  );
  P('2. Das provas: a prova escrita será aplicada no dia 20 de setembro de 1998, às 9 horas, na Escola Estadual Dom Bosco.');
  P('3. Da remuneração: o vencimento inicial do cargo é de R$ 412,50 para a jornada de 24 horas semanais.');
  f.gap(50);
  f.line(`${CITY}, 27 de julho de 1998.`, { align: 'right' });
  f.gap(40);
  f.signature(['Fernando Augusto Rezende', 'Prefeito Municipal']);
  if (f.pages.length !== 1) throw new Error(`edital: expected 1 page, laid out ${f.pages.length}`);
  const page = f.pages[0]!;

  const ink = await rasterize(typesetSvg(page), page.width, page.height, { blur: 0.7 });
  assertInsideMargins(ink, MARGIN_300, 'edital');
  const sheet = onPaper(ink, rng, { tone: [240], ink: [24], shade: 4, grain: 0.002, grainDepth: 40, edge: 12, inkLevels: 16 });
  const img = await crooked(sheet, -7);
  const tif = await rawSharp(img).tiff({ compression: 'lzw', predictor: 'horizontal', xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'inch' }).toBuffer();
  const rel = 'Educacao/1998/edital-05.tif';
  expectTiffTags(rel, tif, 1, { compression: 5, bitsPerSample: 8, samplesPerPixel: 1, xres: 300 });
  save(rel, tif, groundTruth(f.pages), 'sheet 7° crooked on the glass, greyscale LZW TIFF, 300 DPI');
  await expectMeta(path.join(SCANS, rel), { format: 'tiff', channels: 1, density: 300, width: 2480, height: 3508 });
}

// ---------------------------------------------------------------------------------------------

const SAMPLES: Record<string, () => Promise<void>> = {
  alvara,
  decreto,
  memorando,
  certidao,
  resolucion,
  recibo,
  lei,
  carbono,
  manchado,
  'tempo-servico': tempoServico,
  ordenanza,
  ata,
  edital,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const name of only) {
    if (!(name in SAMPLES)) throw new Error(`unknown sample "${name}"; choose from: ${Object.keys(SAMPLES).join(', ')}`);
  }
  await loadAndCheckFonts();
  sharp.concurrency(Math.max(1, Math.min(4, os.availableParallelism())));
  if (only.length === 0) {
    // A full run owns both folders: stale files from renamed samples must not linger.
    fs.rmSync(SCANS, { recursive: true, force: true });
    fs.rmSync(TRUTH, { recursive: true, force: true });
  }
  for (const [name, make] of Object.entries(SAMPLES)) if (only.length === 0 || only.includes(name)) await make();
  let total = 0;
  for (const w of written) {
    total += w.bytes;
    process.stdout.write(`${w.rel.padEnd(42)} ${(w.bytes / 1024).toFixed(0).padStart(5)} KB  ${w.note}\n`);
  }
  process.stdout.write(`${'total'.padEnd(42)} ${(total / 1024).toFixed(0).padStart(5)} KB\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`samples/generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
