/**
 * The image operations the clean stage may apply to a page's grey OCR image, each a repair a
 * person would make to a poor copy before reading it: what decides which a page gets is
 * page-condition.ts. All work on 8-bit grey pixels, dark ink on light paper.
 */
import sharp, { type Sharp } from 'sharp';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

function raw(image: GreyImage) {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

/** libvips hands back sRGB unless told otherwise; the OCR image stays one channel. */
async function greyPixels(pipeline: Sharp, like: GreyImage): Promise<GreyImage> {
  const data = await pipeline.toColourspace('b-w').raw().toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: like.width, height: like.height };
}

/**
 * Salt-and-pepper and dust: a 3×3 median removes specks of one or two pixels and thins the
 * larger ones, while strokes (3 px and more at 300 DPI) keep their shape. Specks darker than the
 * text are what make Tesseract's global threshold pick them over a faint page's text. Below
 * 250 DPI a tilde or an acute accent is two pixels thin and the median would take it (a 200 DPI
 * requerimento lost every accent): there only removeSpecks works.
 */
export async function despeckle(image: GreyImage, dpi: number): Promise<GreyImage> {
  const median = dpi >= 250 ? await greyPixels(raw(image).median(3), image) : image;
  return removeSpecks(median, dpi);
}

/**
 * Uneven paper and light (a photographed page's vignetting and shadows, stains, browned
 * edges): each pixel divided by the paper around it. The paper is the brightest pixel of each
 * block, smoothed: a block spans less than a letter's height, so its brightest pixel is paper.
 */
export async function flattenPaper(image: GreyImage, dpi: number): Promise<GreyImage> {
  const block = Math.max(4, Math.round(dpi / 37)); // ≈ 0.7 mm
  const columns = Math.ceil(image.width / block);
  const rows = Math.ceil(image.height / block);
  const brightest = new Uint8Array(columns * rows);
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / block) * columns;
    for (let x = 0; x < width; x++) {
      const cell = row + Math.floor(x / block);
      if (data[y * width + x]! > brightest[cell]!) brightest[cell] = data[y * width + x]!;
    }
  }
  // A few blocks across: wide enough to bridge a bold heading, narrow enough to follow a shadow.
  const paper = await sharp(brightest, { raw: { width: columns, height: rows, channels: 1 } })
    .blur(4)
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(255, Math.round((data[i]! * 255) / Math.max(1, paper[i]!)));
  return { data: out, width, height };
}

/**
 * How dark the ink's strokes are: the tenth percentile (`share`) of the pixels clearly darker than
 * the paper (the median). Of the ink alone, not of the page, so a page of a few lines (mostly
 * paper) does not pass for faint.
 */
export function inkLevel(image: GreyImage, share = 0.1): number {
  const paper = percentile(image.data, 0.5);
  const histogram = new Uint32Array(256);
  let ink = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (image.data[i]! < paper - 20) {
      histogram[image.data[i]!]!++;
      ink++;
    }
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= ink * share && ink > 0) return v;
  }
  return paper;
}

/**
 * Faint ink (faded carbon, a light mimeograph, a worn ribbon) stretched to the full range: its
 * strokes (the darkest `inkShare` of the ink, inkLevel) to black, the paper (the median) to white.
 */
export function stretchContrast(image: GreyImage, inkShare = 0.1): GreyImage {
  const ink = inkLevel(image, inkShare);
  const paper = percentile(image.data, 0.5);
  const span = Math.max(1, paper - ink);
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(((image.data[i]! - ink) * 255) / span)));
  return { ...image, data: out };
}

/**
 * Ink of uneven strength evened out: a worn ribbon leaves the tops of a dot-matrix line's letters
 * light, a weak pin a faint row of dots through it; a person reads the light dots as ink. All but
 * the faintest tenth of the ink (the pixels clearly darker than the paper) is stretched to black.
 * Then joined (repairStrokes), as another preparation of a poor page: on the hard pages, the worn
 * dot-matrix liquidación 7.36 % → 5.06 % of characters wrong (read 79 → 89 sure), the faded carbon
 * 01 1.50 % → 1.30 %; no other page chose it.
 */
export function evenInk(image: GreyImage): GreyImage {
  return stretchContrast(image, 0.9);
}

/**
 * Broken strokes (dot-matrix print, a photocopy of a photocopy, worn type): a blur about as wide
 * as a stroke joins the dots and gaps of a letter into one stroke and melts specks into the
 * paper, then the contrast is stretched back. Measured on the hard pages' dot-matrix notices:
 * σ 1.5 px left 8–29% of characters wrong, σ 3 px (at 300 DPI) 4–20%; on a twice-photocopied
 * decreto 8% and 3%.
 */
export async function repairStrokes(image: GreyImage, dpi: number): Promise<GreyImage> {
  return stretchContrast(await greyPixels(raw(image).blur(Math.max(1, (3 * dpi) / 300)), image));
}

export function percentile(data: Uint8Array, fraction: number): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= data.length * fraction) return v;
  }
  return 255;
}

/**
 * The specks a median leaves (dust of a few pixels across): marks too small to be a letter that
 * are either darker than the type itself (dark dust on a faint carbon) or away from every letter
 * are painted over with paper. Accents and full stops sit beside their letters and are kept.
 */
export function removeSpecks(image: GreyImage, dpi: number): GreyImage {
  const { data, width, height } = image;
  const paper = percentile(data, 0.5);
  const threshold = paper - 25;
  const maxSpeck = Math.max(4, Math.round(40 * (dpi / 300) ** 2));
  // One pass over the marks (each pass is a flood fill of the whole page): letter-sized ones give
  // the type's darkness and where letters are; specks are kept aside to be judged after.
  const letters: number[] = [];
  const blocks = new LetterBlocks(width, height, dpi);
  const specks: Array<{ members: Int32Array; darkest: number }> = [];
  forEachDarkComponent(data, width, threshold, (members, size, darkest) => {
    if (size > maxSpeck) {
      letters.push(darkest);
      for (let k = 0; k < size; k++) blocks.mark(members[k]!);
    } else specks.push({ members: members.slice(0, size), darkest });
  });
  if (letters.length < 50) return image;
  // The type's darkness: the median of the darkest pixel of each letter-sized mark.
  letters.sort((a, b) => a - b);
  const type = letters[Math.floor(letters.length / 2)]!;
  const nearLetters = blocks.neighbourhood();
  const out = new Uint8Array(data);
  for (const { members, darkest } of specks) {
    // Darker than the type, or away from every letter (an accent or a full stop is beside one).
    if (darkest <= type - 30 || !nearLetters(members[0]!)) for (let k = 0; k < members.length; k++) out[members[k]!] = paper;
  }
  return { ...image, data: out };
}

/**
 * Where the letters are, in blocks of ≈ 0.5 mm; a pixel is near a letter within about 1.5 mm of a
 * letter-sized mark (three blocks each way).
 */
class LetterBlocks {
  private readonly block: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly letter: Uint8Array;

  constructor(
    private readonly width: number,
    height: number,
    dpi: number,
  ) {
    this.block = Math.max(2, Math.round(dpi / 50));
    this.columns = Math.ceil(width / this.block);
    this.rows = Math.ceil(height / this.block);
    this.letter = new Uint8Array(this.columns * this.rows);
  }

  private blockOf(pixel: number): number {
    return Math.floor(Math.floor(pixel / this.width) / this.block) * this.columns + Math.floor((pixel % this.width) / this.block);
  }

  mark(pixel: number): void {
    this.letter[this.blockOf(pixel)] = 1;
  }

  neighbourhood(): (pixel: number) => boolean {
    const { rows, columns, letter } = this;
    const near = new Uint8Array(columns * rows);
    const reach = 3;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if (!letter[r * columns + c]) continue;
        for (let dr = -reach; dr <= reach; dr++) for (let dc = -reach; dc <= reach; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr >= 0 && cc >= 0 && rr < rows && cc < columns) near[rr * columns + cc] = 1;
        }
      }
    }
    return (pixel) => near[this.blockOf(pixel)] === 1;
  }
}

/**
 * Visits each four-connected area darker than `threshold`: its pixels' indexes (the first `size`
 * entries of `members`, reused between calls) and its darkest value.
 */
export function forEachDarkComponent(data: Uint8Array, width: number, threshold: number, visit: (members: Int32Array, size: number, darkest: number) => void): void {
  const seen = new Uint8Array(data.length);
  const members = new Int32Array(data.length);
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || data[start]! >= threshold) continue;
    // `members` is also the stack: entries before `next` are visited, after it are waiting.
    let size = 0;
    members[size++] = start;
    seen[start] = 1;
    let darkest = 255;
    for (let next = 0; next < size; next++) {
      const p = members[next]!;
      if (data[p]! < darkest) darkest = data[p]!;
      const x = p % width;
      if (x > 0 && !seen[p - 1] && data[p - 1]! < threshold) (seen[p - 1] = 1), (members[size++] = p - 1);
      if (x < width - 1 && !seen[p + 1] && data[p + 1]! < threshold) (seen[p + 1] = 1), (members[size++] = p + 1);
      if (p >= width && !seen[p - width] && data[p - width]! < threshold) (seen[p - width] = 1), (members[size++] = p - width);
      if (p + width < data.length && !seen[p + width] && data[p + width]! < threshold) (seen[p + width] = 1), (members[size++] = p + width);
    }
    visit(members, size, darkest);
  }
}

/**
 * Where the engine's own threshold falls on a page of dense specks: between the paper and all that
 * is darker, specks included, so the lighter specks become ink beside the letters. Typed strokes
 * are dark at their core, most specks and dust are not: a threshold this share of the way from the
 * type's core (its darkest tenth, inkLevel) to the paper keeps the strokes and drops them. Measured
 * on the heavily speckled ata of the hard pages (type's core 51, paper 236): 8.03 % of characters
 * wrong → 1.55 % at this share (level 119); 0.30 → 3.28 %, 0.33 → 1.37 %, 0.41 → 2.65 %, 0.45 →
 * 2.19 %: a broad valley, noisy within it.
 */
const FAINT_MARK_SHARE = 0.37;

/** Marks fainter than the type made paper (light specks, dust, the type's soft edges): see FAINT_MARK_SHARE. */
export function dropFaintMarks(image: GreyImage): GreyImage {
  const core = inkLevel(image, 0.1);
  const paper = percentile(image.data, 0.5);
  return dropLighterThan(image, Math.round(core + FAINT_MARK_SHARE * (paper - core)));
}

/** Everything lighter than `level` made paper: show-through and marks fainter than the type (page-condition.ts finds the level). */
export function dropLighterThan(image: GreyImage, level: number): GreyImage {
  const paper = percentile(image.data, 0.5);
  const out = new Uint8Array(image.data);
  for (let i = 0; i < out.length; i++) if (out[i]! > level) out[i] = Math.max(out[i]!, paper);
  return { ...image, data: out };
}
