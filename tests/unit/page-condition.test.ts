/**
 * The clean stage's per-page decisions (page-condition.ts, ink-colour.ts) and repairs
 * (restore.ts) on generated pages: a clean page gets no repair, each kind of damage the one it
 * needs, and the repairs remove the damage without removing the type.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseInk, inkGrey } from '../../core/pipeline/clean/ink-colour.js';
import { blotchedPaper, heavilySpeckled, measureCondition, planCleaning } from '../../core/pipeline/clean/page-condition.js';
import { prepareOcrInput } from '../../core/pipeline/clean/ocr-input.js';
import { despeckle, dropFaintMarks, evenInk, forEachDarkComponent, removeSpecks, stretchContrast, type GreyImage } from '../../core/pipeline/clean/restore.js';
import { renderHardPage } from '../../samples/hard/render-page.js';
import { makePage } from '../helpers/make-page.js';

const PAGE = { width: 1240, height: 1754, dpi: 150 };
const A4_300 = { width: 2480, height: 3508 };
const WORDS = ['Processo', 'nº', '1.873/87', 'São', 'João', 'do', 'Ipê,', 'licença', 'de', 'construção'];

/** A deterministic generator, so a failing page is the same page next time. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

let clean: GreyImage;

async function typedPage(): Promise<GreyImage> {
  const { png } = await makePage(Array.from({ length: 28 }, () => WORDS), { ...A4_300, dpi: 300, size: 40, left: 240, top: 300, lineGap: 95 });
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

function copy(image: GreyImage): GreyImage {
  return { ...image, data: new Uint8Array(image.data) };
}

function speckled(image: GreyImage, perMillion: number, value: number, seed = 7): GreyImage {
  const out = copy(image);
  const next = random(seed);
  const count = Math.round((image.width * image.height * perMillion) / 1e6);
  for (let k = 0; k < count; k++) {
    const x = Math.floor(next() * (image.width - 2));
    const y = Math.floor(next() * (image.height - 2));
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) out.data[(y + dy) * image.width + x + dx] = value;
  }
  return out;
}

/** Ink at `strength` of its darkness, on paper of the given grey. */
function faded(image: GreyImage, strength: number, paper: number): GreyImage {
  const out = copy(image);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.round(paper - (1 - image.data[i]! / 255) * strength * paper);
  return out;
}

function inkPixels(image: GreyImage, below = 128): number {
  let n = 0;
  for (const v of image.data) if (v < below) n++;
  return n;
}

beforeAll(async () => {
  clean = await typedPage();
});

describe('what a page needs', () => {
  it('a clean typed page needs nothing', () => {
    expect(planCleaning(measureCondition(clean, 300))).toEqual([]);
  });

  it('a page under salt-and-pepper specks is despeckled', () => {
    const condition = measureCondition(speckled(clean, 600, 20), 300);
    expect(condition.specks).toBeGreaterThan(1000);
    expect(planCleaning(condition)).toContain('despeckle');
  });

  it('faint ink (a faded carbon) is stretched to black, and only faint ink', () => {
    expect(planCleaning(measureCondition(faded(clean, 0.3, 215), 300))).toEqual(['contrast']);
    expect(planCleaning(measureCondition(faded(clean, 0.9, 235), 300))).toEqual([]);
  });

  it('paper lit unevenly (a phone photo, a shadow) is flattened', () => {
    const shaded = copy(clean);
    for (let y = 0; y < shaded.height; y++) {
      for (let x = 0; x < shaded.width; x++) shaded.data[y * shaded.width + x] = Math.round(shaded.data[y * shaded.width + x]! * (0.55 + 0.45 * (x / shaded.width)));
    }
    expect(planCleaning(measureCondition(shaded, 300))).toContain('flatten-background');
  });

  it('show-through from the back, fainter than the type, is dropped; the type alone is not', () => {
    const back = copy(clean);
    // The same lines mirrored and shifted half a line, at a third of the ink.
    const through = copy(clean);
    for (let y = 0; y < back.height; y++) {
      for (let x = 0; x < back.width; x++) {
        const from = Math.min(back.height - 1, y + 45) * back.width + (back.width - 1 - x);
        const backInk = 1 - clean.data[from]! / 255;
        through.data[y * back.width + x] = Math.round(clean.data[y * back.width + x]! * (1 - 0.35 * backInk));
      }
    }
    const condition = measureCondition(through, 300);
    expect(condition.faintLayerBelow).not.toBeNull();
    expect(planCleaning(condition)).toContain('drop-show-through');
    expect(measureCondition(clean, 300).faintLayerBelow).toBeNull();
  });

  it('a clean typed page, its letters smoothed at the edges, has no layer to drop', async () => {
    const lines = ['DECRETO Nº 1.031, DE 20 DE AGOSTO DE 1979', 'o que consta do Processo nº 3.402/78,', 'Prefeitura Municipal de Boa Vista do Jaguari'];
    const page = await renderHardPage(lines, 'clean', 'clean-page');
    const { data, info } = await sharp(page.image).greyscale().raw().toBuffer({ resolveWithObject: true });
    const grey = { data: new Uint8Array(data), width: info.width, height: info.height };
    expect(measureCondition(grey, 300).faintLayerBelow).toBeNull();
    expect(planCleaning(measureCondition(grey, 300))).toEqual([]);
  });

  it('paper blotched in patches (coffee rings, a spill) is offered flattened for a fairly sure reading; clean paper is not', async () => {
    const lines = ['EDITAL DE LEILÃO Nº 02/1981', ...Array.from({ length: 20 }, () => 'Lote 1: um caminhão Ford F-600, ano 1968, lance mínimo de Cr$ 95.000,00;')];
    const page = await renderHardPage(lines, 'stains', 'blotched', { severity: 'heavy' });
    const { data, info } = await sharp(page.image).raw().toBuffer({ resolveWithObject: true });
    const raster = { width: info.width, height: info.height, channels: 3 as const, data, dpiX: 300, dpiY: 300, dpiAssumed: false };
    const prepared = await prepareOcrInput(raster, { ocrMaxPixels: 40e6 });
    // The blotches leave the paper's spread as it was: the first reading is not flattened…
    expect(prepared.cleaning).not.toContain('flatten-background');
    // …but the first other preparation is, after a fairly sure reading only.
    expect(prepared.alternatives[0]!.when).toBe('fairly-sure');
    const flattened = await prepared.alternatives[0]!.prepare();
    expect(flattened!.cleaning).toEqual([...prepared.cleaning, 'flatten-background']);
    expect(flattened!.input.png.equals(prepared.input.png)).toBe(false);

    expect(blotchedPaper(measureCondition(clean, 300))).toBe(false);
    const cleanRaster = { width: clean.width, height: clean.height, channels: 1 as const, data: Buffer.from(clean.data), dpiX: 300, dpiY: 300, dpiAssumed: false };
    expect((await prepareOcrInput(cleanRaster, { ocrMaxPixels: 40e6 })).alternatives.map((a) => a.when)).not.toContain('fairly-sure');
  });

  it('measures blotches as the share of the paper darker than the rest, not the letters', () => {
    const ringed = copy(clean);
    // A coffee ring's rim, 8 mm wide, 20 grey levels dark, round a 3 cm spill 12 levels dark, over the type.
    const [cx, cy] = [1200, 1500];
    for (let y = 0; y < ringed.height; y++) {
      for (let x = 0; x < ringed.width; x++) {
        const r = Math.hypot(x - cx, y - cy);
        const darken = r < 350 ? 12 : r < 450 ? 20 : 0;
        ringed.data[y * ringed.width + x] = Math.max(0, ringed.data[y * ringed.width + x]! - darken);
      }
    }
    const condition = measureCondition(ringed, 300);
    expect(condition.paperSpread).toBeLessThan(24);
    expect(planCleaning(condition)).toEqual([]);
    expect(condition.blotches).toBeGreaterThan(0.03);
    expect(blotchedPaper(condition)).toBe(true);
    // Twenty-eight lines of type on white paper: none.
    expect(measureCondition(clean, 300).blotches).toBe(0);
  });
});

describe('repairs', () => {
  it('specks away from the letters go; accents and full stops beside them stay', async () => {
    const noisy = speckled(clean, 600, 20);
    const repaired = await despeckle(noisy, 300);
    // What is left differs from the clean page in almost no pixel.
    let differ = 0;
    for (let i = 0; i < clean.data.length; i++) if ((clean.data[i]! < 128) !== (repaired.data[i]! < 128)) differ++;
    expect(differ / inkPixels(clean)).toBeLessThan(0.08);
    // Every small mark of the clean page (the dots of i, the accents) is still there.
    const small = (image: GreyImage) => {
      let n = 0;
      forEachDarkComponent(image.data, image.width, 128, (_, size) => {
        if (size >= 6 && size <= 40) n++;
      });
      return n;
    };
    expect(small(removeSpecks(clean, 300))).toBe(small(clean));
  });

  it('specks fainter than the type go with the type\'s soft edges; its strokes stay whole', () => {
    // Dense grey specks (a dirty scanner's glass), lighter than the type's core.
    const dusty = speckled(clean, 3000, 150, 5);
    const dropped = dropFaintMarks(dusty);
    // No mark lighter than the level is left, and no speck of the lighter grey.
    expect(dropped.data.filter((v) => v === 150).length).toBe(0);
    // The type keeps its letters, losing soft edges: a few joined only by soft grey part (1394
    // letter-sized marks for 1344), none vanish.
    const letters = (image: GreyImage) => {
      let n = 0;
      forEachDarkComponent(image.data, image.width, 128, (_, size) => {
        if (size > 40) n++;
      });
      return n;
    };
    expect(letters(dropped)).toBeGreaterThanOrEqual(letters(clean));
    expect(letters(dropped)).toBeLessThan(letters(clean) * 1.05);
    let kept = 0;
    let ink = 0;
    for (let i = 0; i < clean.data.length; i++) {
      if (clean.data[i]! >= 128) continue;
      ink++;
      if (dropped.data[i]! < 128) kept++;
    }
    expect(kept / ink).toBeGreaterThan(0.85);
    // As dark as the type, a speck is not dropped: that is removeSpecks' part.
    const dark = speckled(clean, 3000, 20, 5);
    expect(inkPixels(dropFaintMarks(dark), 60)).toBe(inkPixels(dark, 60));
  });

  it('dark dust on faint type goes, the faint type stays', async () => {
    const carbon = faded(clean, 0.3, 215);
    const dusty = speckled(carbon, 400, 15, 11);
    // Dust of three pixels across, which a median leaves.
    const next = random(3);
    for (let k = 0; k < 2000; k++) {
      const x = 1 + Math.floor(next() * (dusty.width - 3));
      const y = 1 + Math.floor(next() * (dusty.height - 3));
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) dusty.data[(y + dy) * dusty.width + x + dx] = 10;
    }
    const repaired = await despeckle(dusty, 300);
    expect(inkPixels(repaired, 60)).toBeLessThan(inkPixels(dusty, 60) * 0.05);
    expect(inkPixels(repaired, 200)).toBeGreaterThan(inkPixels(carbon, 200) * 0.8);
  });
});

describe('colour', () => {
  /** The page of type, in grey: made once, each test inks it in its own colour. */
  let typeInGrey: Promise<{ data: Buffer; info: sharp.OutputInfo }> | undefined;
  function greyType(): Promise<{ data: Buffer; info: sharp.OutputInfo }> {
    return (typeInGrey ??= makePage(Array.from({ length: 20 }, () => WORDS), { ...PAGE, size: 22, left: 120, top: 150, lineGap: 50 }).then(({ png }) =>
      sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true }),
    ));
  }

  async function colourPage(text: string, stamp: string | null): Promise<{ rgb: Uint8Array; width: number; height: number }> {
    // The type in its ink: each pixel's coverage of the ink's colour over white paper.
    const { data: grey, info: size } = await greyType();
    const ink = [1, 3, 5].map((at) => parseInt(text.slice(at, at + 2), 16));
    const inked = Buffer.alloc(grey.length * 3);
    for (let i = 0; i < grey.length; i++) for (let c = 0; c < 3; c++) inked[3 * i + c] = Math.round(255 - (1 - grey[i]! / 255) * (255 - ink[c]!));
    const tinted = sharp(inked, { raw: { width: size.width, height: size.height, channels: 3 } });
    const layers: sharp.OverlayOptions[] = [];
    if (stamp) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="300"><rect x="10" y="10" width="480" height="280" rx="30" fill="none" stroke="${stamp}" stroke-width="14"/><text x="60" y="180" font-family="DejaVu Sans" font-size="90" fill="${stamp}">RECEBIDO</text></svg>`;
      layers.push({ input: Buffer.from(svg), left: 500, top: 300, blend: 'multiply' });
    }
    // The tinted pixels as they are (a PNG of them would decode to the same pixels).
    const { data, info } = await tinted.composite(layers).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { rgb: new Uint8Array(data), width: info.width, height: info.height };
  }

  /** The page in grey as a second reading makes it, marks faded. */
  function colourToGrey(rgb: Uint8Array, width: number, height: number) {
    return inkGrey(rgb, width, height, analyseInk(rgb, width, height), true);
  }

  it('black type is read as it is', async () => {
    const page = await colourPage('#000000', null);
    expect(colourToGrey(page.rgb, page.width, page.height).steps).toEqual([]);
  });

  it('a red stamp over black type fades towards the paper', async () => {
    const page = await colourPage('#000000', '#d01818');
    const { image, steps } = colourToGrey(page.rgb, page.width, page.height);
    expect(steps).toEqual(['colour-dropout']);
    // Not in a first reading: a form's coloured labels are part of the record.
    expect(inkGrey(page.rgb, page.width, page.height, analyseInk(page.rgb, page.width, page.height), false).steps).toEqual([]);
    // The stamp's frame: dark in luminance, paper-light once dropped.
    const frame = 305 * page.width + 700;
    const luminance = 0.299 * page.rgb[3 * frame]! + 0.587 * page.rgb[3 * frame + 1]! + 0.114 * page.rgb[3 * frame + 2]!;
    expect(luminance).toBeLessThan(120);
    expect(image.data[frame]).toBeGreaterThan(190);
  });

  it('a stamped page is read again with its stamps taken out whenever its first reading is not sure', async () => {
    const page = await colourPage('#000000', '#d01818');
    const raster = { width: page.width, height: page.height, channels: 3 as const, data: Buffer.from(page.rgb), dpiX: 150, dpiY: 150, dpiAssumed: false };
    const prepared = await prepareOcrInput(raster, { ocrMaxPixels: 40e6 });
    // Under 93, not only under 91: a stamp read as words lowers a reading's confidence little, and
    // costs its text much (a stamped lei of the metadata set, 91.4 sure, 15.0 % → 3.2 % unstamped).
    expect(prepared.alternatives[0]!.when).toBe('not-sure');
    expect((await prepared.alternatives[0]!.prepare())!.cleaning).toContain('colour-dropout');
    const plain = await colourPage('#000000', null);
    const unstamped = await prepareOcrInput({ ...raster, data: Buffer.from(plain.rgb) }, { ocrMaxPixels: 40e6 });
    expect((await Promise.all(unstamped.alternatives.map((a) => a.prepare()))).flatMap((a) => a?.cleaning ?? [])).not.toContain('colour-dropout');
  });

  it('a dark blue stamp over black type leaves the paper, and the type under it stays as dark', async () => {
    // A navy ink absorbs nearly all of red and green: by its share of light absorbed it is hardly
    // coloured (an earlier dropout left it at grey ~170, still read as words); by density it is.
    const page = await colourPage('#000000', '#1e2a64');
    const { image, steps } = colourToGrey(page.rgb, page.width, page.height);
    expect(steps).toEqual(['colour-dropout']);
    const { data: type } = await greyType();
    let stampOnly = 0;
    let stampOnlySum = 0;
    let typeUnder = 0;
    let typeUnderSum = 0;
    for (let y = 300; y < 600; y++) {
      for (let x = 500; x < 1000; x++) {
        const i = y * page.width + x;
        const luminance = 0.299 * page.rgb[3 * i]! + 0.587 * page.rgb[3 * i + 1]! + 0.114 * page.rgb[3 * i + 2]!;
        if (type[i]! > 245 && luminance < 120) (stampOnly++, (stampOnlySum += image.data[i]!));
        else if (type[i]! < 40) (typeUnder++, (typeUnderSum += image.data[i]!));
      }
    }
    expect(stampOnly).toBeGreaterThan(1000);
    expect(typeUnder).toBeGreaterThan(1000);
    // The stamp's own ink: paper-light (the paper is 255 here).
    expect(stampOnlySum / stampOnly).toBeGreaterThan(220);
    // The type in the stamp's box, under its ink or beside it: still dark.
    expect(typeUnderSum / typeUnder).toBeLessThan(60);
  });

  it('violet type (a spirit duplicator) is read in its darkest channel, darker than its luminance', async () => {
    const page = await colourPage('#8a3fd0', null);
    const { image, steps } = colourToGrey(page.rgb, page.width, page.height);
    expect(steps).toEqual(['ink-channel']);
    // The letters' cores (the ink at full strength): about 40 grey levels darker.
    let greySum = 0;
    let luminanceSum = 0;
    for (let i = 0; i < image.data.length; i++) {
      const luminance = 0.299 * page.rgb[3 * i]! + 0.587 * page.rgb[3 * i + 1]! + 0.114 * page.rgb[3 * i + 2]!;
      if (luminance > 130) continue;
      greySum += image.data[i]!;
      luminanceSum += luminance;
    }
    expect(luminanceSum - greySum).toBeGreaterThan(0);
    expect((luminanceSum - greySum) / luminanceSum).toBeGreaterThan(0.25);
  });
});

describe('evenInk', () => {
  it('makes a worn ribbon\'s light dots as dark as its dark ones, where stretching the contrast leaves them light', () => {
    // Dots of a dot-matrix line on paper of 240: half printed dark (60), half by a worn ribbon (190).
    const image: GreyImage = { data: new Uint8Array(200 * 100).fill(240), width: 200, height: 100 };
    const dark: number[] = [];
    const light: number[] = [];
    for (let x = 10; x < 190; x += 6) {
      for (const [y, level, list] of [[40, 60, dark], [46, 190, light]] as const) {
        for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) image.data[(y + dy) * 200 + x + dx] = level;
        list.push(y * 200 + x + 1);
      }
    }
    const evened = evenInk(image);
    const stretched = stretchContrast(image);
    for (const i of dark) expect([evened.data[i], stretched.data[i]]).toEqual([0, 0]);
    for (const i of light) {
      expect(evened.data[i]).toBe(0);
      expect(stretched.data[i]).toBeGreaterThan(150);
    }
    expect(evened.data[5]).toBe(255);
  });
});

describe('the OCR image', () => {
  it('records what was done, and keeps another preparation for a second reading', async () => {
    const noisy = speckled(clean, 100, 20);
    const raster = { width: noisy.width, height: noisy.height, channels: 1 as const, data: Buffer.from(noisy.data), dpiX: 300, dpiY: 300, dpiAssumed: false };
    const prepared = await prepareOcrInput(raster, { ocrMaxPixels: 40e6 });
    expect(prepared.cleaning).toEqual(['despeckle']);
    expect(prepared.input.removeNoise).toBeUndefined();
    expect(prepared.alternatives.map((a) => a.when)).toEqual(['not-sure', 'not-sure', 'poor', 'poor', 'poor', 'poor']);
    const [withoutHandwriting, asItCame, joined, evened, unspeckledJoined, joinedDespeckled] = await Promise.all(prepared.alternatives.map((a) => a.prepare()));
    // No pen across its lines: nothing to read without it.
    expect(withoutHandwriting).toBeNull();
    expect(asItCame!.cleaning).toEqual([]);
    expect(joined!.cleaning).toEqual(['stroke-repair']);
    expect(joined!.input.png.equals(prepared.input.png)).toBe(false);
    expect(evened!.cleaning).toEqual(['even-ink', 'stroke-repair']);
    expect(evened!.input.png.equals(joined!.input.png)).toBe(false);
    // Its own repairs with the specks taken out by size and place (no median), then joined.
    expect(unspeckledJoined!.cleaning).toEqual(['remove-specks', 'stroke-repair']);
    expect(unspeckledJoined!.input.png.equals(joined!.input.png)).toBe(false);
    // Joined first, then despeckled.
    expect(joinedDespeckled!.cleaning).toEqual(['stroke-repair', 'despeckle']);
    expect(joinedDespeckled!.input.png.equals(joined!.input.png)).toBe(false);
    const other = asItCame!;
    expect(other.input.png.equals(prepared.input.png)).toBe(false);
    const cleanRaster = { ...raster, data: Buffer.from(clean.data) };
    expect((await prepareOcrInput(cleanRaster, { ocrMaxPixels: 40e6 })).cleaning).toEqual([]);
  });

  it('asks for the engine\'s heavy noise removal on every reading of a page with more specks than letters', async () => {
    const noisy = speckled(clean, 600, 20);
    expect(heavilySpeckled(measureCondition(noisy, 300))).toBe(true);
    // About 0.5 specks per letter-sized mark: despeckled, read without it.
    expect(heavilySpeckled(measureCondition(speckled(clean, 100, 20), 300))).toBe(false);
    const raster = { width: noisy.width, height: noisy.height, channels: 1 as const, data: Buffer.from(noisy.data), dpiX: 300, dpiY: 300, dpiAssumed: false };
    const prepared = await prepareOcrInput(raster, { ocrMaxPixels: 40e6 });
    expect(prepared.cleaning).toEqual(['despeckle', 'heavy-noise-removal']);
    const others = (await Promise.all(prepared.alternatives.map((a) => a.prepare()))).filter((o) => o !== null);
    expect(others.map((o) => o.cleaning)).toEqual([
      ['heavy-noise-removal'],
      ['stroke-repair', 'heavy-noise-removal'],
      ['even-ink', 'stroke-repair', 'heavy-noise-removal'],
      ['remove-specks', 'stroke-repair', 'heavy-noise-removal'],
      ['stroke-repair', 'despeckle', 'heavy-noise-removal'],
      // Its type dark: last, what is fainter than the type dropped, then the specks left by size and place.
      ['drop-faint-marks', 'remove-specks', 'heavy-noise-removal'],
    ]);
    for (const input of [prepared.input, ...others.map((o) => o.input)]) expect(input.removeNoise).toBe(true);
    // Faint type under as many specks (a faded carbon) is never read so: its strokes are no darker than the specks.
    const carbon = speckled(faded(clean, 0.3, 215), 600, 120);
    const faint = await prepareOcrInput({ ...raster, data: Buffer.from(carbon.data) }, { ocrMaxPixels: 40e6 });
    expect(faint.cleaning).toContain('contrast');
    expect(faint.cleaning).toContain('heavy-noise-removal');
    expect((await Promise.all(faint.alternatives.map((a) => a.prepare()))).flatMap((o) => o?.cleaning ?? [])).not.toContain('drop-faint-marks');
  });

  it('paints holes through the sheet over with paper in every preparation, and records it', async () => {
    // Two binder holes, dark (the scanner's lid behind them), 12 mm from the right edge (a sheet punched on its back), on the clean typed page.
    const holed = { ...clean, data: new Uint8Array(clean.data) };
    const [r, cx] = [35, 2480 - 142];
    for (const cy of [1281, 2226]) {
      for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) holed.data[y * holed.width + x] = 20;
    }
    const raster = { width: holed.width, height: holed.height, channels: 1 as const, data: Buffer.from(holed.data), dpiX: 300, dpiY: 300, dpiAssumed: false };
    const prepared = await prepareOcrInput(raster, { ocrMaxPixels: 40e6 });
    expect(prepared.cleaning).toEqual(['paper-holes']);
    const others = (await Promise.all(prepared.alternatives.map((a) => a.prepare()))).filter((o) => o !== null);
    expect(others.map((o) => o.cleaning[0])).toEqual(others.map(() => 'paper-holes'));
    for (const image of [prepared, ...others]) {
      const { data, info } = await sharp(image.input.png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      // The holes' centres are paper in the image the engine reads.
      for (const cy of [1281, 2226]) expect(data[cy * info.width + cx], `${image.cleaning} at ${cy}`).toBeGreaterThan(200);
    }
  });
});
