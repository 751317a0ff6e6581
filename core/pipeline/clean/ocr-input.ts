/**
 * The image the OCR engine reads: grey pixels at an OCR-friendly, square resolution within a
 * pixel budget, on a flat background (see paper.ts). Very high resolutions are scaled down
 * (Tesseract loses words taller than it expects); low ones are read at their own resolution,
 * with Tesseract told what it is, down to 100 DPI: its LSTM scales each text line to its own
 * height anyway, and upscaling measured worse on every low-DPI page tried (Lanczos, automatic
 * page segmentation, character error rate as is → at 300 DPI): the 150 DPI memorando 0.67% →
 * 0.76%, the 200 DPI stained requerimento 0.72% → 11.9%, the
 * alvará scaled down to 150 DPI 0.60% → 0.82%.
 *
 * Holes through the sheet (a binder's, a tractor feed's) are painted over with paper in every
 * preparation (paper-holes.ts). Then the repairs the page's condition calls for
 * (page-condition.ts, restore.ts; a colour page's ink sorted by colour first, ink-colour.ts), and
 * the other preparations a poor reading tries (read-page.ts; a blotched page flattened, for a
 * fairly sure one; stamps and a pen across the lines taken out, for any not sure). A page with
 * more specks than letters is read with the engine's own noise removal too. The page itself, as
 * the PDF shows it, is never changed by them.
 */
import sharp from 'sharp';
import type { CleaningStep, ConvertOptions, Matrix, PageRaster } from '../../model.js';
import type { OcrInput } from '../../ocr/ocr-engine.js';
import { analyseInk, inkGrey, type InkAnalysis } from './ink-colour.js';
import { blotchedPaper, faintLayer, heavilySpeckled, measureCondition, planCleaning } from './page-condition.js';
import { darkMarks, letterMarks, type Mark } from './dark-marks.js';
import { dropHandwriting } from './handwriting.js';
import { fillPaperHoles } from './paper-holes.js';
import { flattenBackground, paperTone } from './paper.js';
import { despeckle, dropFaintMarks, dropLighterThan, evenInk, flattenPaper, removeSpecks, repairStrokes, stretchContrast, type GreyImage } from './restore.js';

const TARGET_DPI = 300;
const MIN_GOOD_DPI = 100;
const MAX_GOOD_DPI = 450;
const LOW_DPI_TARGET = 150;

export interface PreparedOcrInput {
  input: OcrInput;
  /** Maps the OCR image's pixel space back onto the page raster's. */
  toRaster: Matrix;
  /** The repairs made to the image, in order. */
  cleaning: CleaningStep[];
  /** Other ways to prepare the same page, in order, for more readings when the first reads poorly. */
  alternatives: Alternative[];
  /** The marks that may be letters, in the OCR image's pixel space (dark-marks.ts): what a reading should cover. */
  letters: Mark[];
}

export interface Alternative {
  /**
   * After which readings read-page.ts reads it: a poor one (the other repairs), any not sure (the
   * page as it came, when the first preparation repaired it; stamps taken out), or only a fairly sure one (a blotched
   * page flattened: a poor reading needs the heavier repairs, and a flattened reading would take
   * their place by a point of confidence, the twice-photocopied contrato's 1.28 % → 2.06 %).
   */
  when: 'poor' | 'not-sure' | 'fairly-sure';
  /** Null when the page turns out not to need it (no handwriting across its lines): nothing to read. */
  prepare(): Promise<PreparedAlternative | null>;
}

/** A grey page and what was done to it so far. */
interface Page {
  image: GreyImage;
  steps: CleaningStep[];
}

export interface PreparedAlternative {
  input: OcrInput;
  cleaning: CleaningStep[];
}

export async function prepareOcrInput(raster: PageRaster, options: Pick<ConvertOptions, 'ocrMaxPixels'>): Promise<PreparedOcrInput> {
  const scaleFor = (dpi: number) => (dpi < MIN_GOOD_DPI ? LOW_DPI_TARGET / dpi : dpi > MAX_GOOD_DPI ? TARGET_DPI / dpi : 1);
  // Square pixels first: both axes end at the same resolution.
  const dpi = Math.max(raster.dpiX, raster.dpiY);
  let scaleX = (scaleFor(dpi) * dpi) / raster.dpiX;
  let scaleY = (scaleFor(dpi) * dpi) / raster.dpiY;
  const pixels = raster.width * scaleX * raster.height * scaleY;
  if (pixels > options.ocrMaxPixels) {
    const shrink = Math.sqrt(options.ocrMaxPixels / pixels);
    scaleX *= shrink;
    scaleY *= shrink;
  }
  const width = Math.max(1, Math.round(raster.width * scaleX));
  const height = Math.max(1, Math.round(raster.height * scaleY));
  const ocrDpi = scaleX * raster.dpiX;
  let image = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  if (width !== raster.width || height !== raster.height) image = image.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  // A colour page's ink is sorted by colour (ink-colour.ts); faded marks are another preparation.
  let rgb: Uint8Array | null = null;
  let ink: InkAnalysis | null = null;
  if (raster.channels === 3) {
    const data = await image.toColourspace('srgb').raw().toBuffer();
    rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    ink = analyseInk(rgb, width, height);
  } else {
    image = image.toColourspace('b-w');
  }
  const tone = await paperTone(raster);
  const greyPage = async (dropMarks: boolean): Promise<Page> => {
    let made: Page;
    if (rgb && ink) made = inkGrey(rgb, width, height, ink, dropMarks);
    else {
      const data = await image.raw().toBuffer();
      made = { image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height }, steps: [] };
    }
    if (fillPaperHoles(made.image, ocrDpi) > 0) made.steps.push('paper-holes');
    flattenBackground(made.image.data, tone);
    return made;
  };
  const grey = await greyPage(false);
  const marks = darkMarks(grey.image);
  const condition = measureCondition(grey.image, ocrDpi, marks);
  const planned = planCleaning(condition);
  const removeNoise = heavilySpeckled(condition);
  const toRaster: Matrix = [raster.width / width, 0, 0, raster.height / height, 0, 0];
  const repair = async (page: Page, steps: CleaningStep[]): Promise<Page> => ({ image: await applySteps(page.image, steps, ocrDpi), steps: [...page.steps, ...steps] });
  const encoded = async (page: Page) => ({
    input: { png: await encode(page.image), dpi: ocrDpi, ...(removeNoise ? { removeNoise } : {}) },
    cleaning: [...page.steps, ...(removeNoise ? ['heavy-noise-removal' as const] : [])],
  });
  const prepare = async (page: Page, steps: CleaningStep[]) => encoded(await repair(page, steps));
  // The page as it came, for the reading without repairs: its luminance as libvips makes it (no
  // ink channel picked by colour, no mark dropped), nothing flattened or clipped.
  const asItCame = async (): Promise<Page> => {
    const plain = rgb ? sharp(rgb, { raw: { width, height, channels: 3 } }).toColourspace('b-w') : image;
    const data = await plain.raw().toBuffer();
    const came: GreyImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
    // Holes through the sheet are not the page's: no reading should take them for letters.
    return { image: came, steps: fillPaperHoles(came, ocrDpi) > 0 ? ['paper-holes'] : [] };
  };
  const repaired = await repair(grey, planned);
  const first = await encoded(repaired);
  // The page with its stamps out and its repairs made, made once: the stamps-out reading and the
  // handwriting one both start from it.
  let stampsOut: Promise<Page> | undefined;
  const repairedStampsOut = () => (stampsOut ??= greyPage(true).then((page) => repair(page, planned)));
  const alternatives: Alternative[] = otherPlans(planned, removeNoise).map((steps) =>
    steps.length === 0
      ? { when: 'not-sure', prepare: async () => prepare(await asItCame(), steps) }
      : { when: 'poor', prepare: () => prepare(grey, steps) },
  );
  // Handwriting across the lines in the type's own black (a pen of another colour goes with the
  // stamps), after any reading not sure: read after the stamps are out, on the same page.
  alternatives.unshift({
    when: 'not-sure',
    prepare: async () => {
      const page = ink?.marks ? await repairedStampsOut() : repaired;
      const handwriting = dropHandwriting(page.image);
      if (handwriting.crossedLines === 0) return null;
      return encoded({ image: handwriting.image, steps: [...page.steps, 'drop-handwriting'] });
    },
  });
  // Stamps and pen of another colour taken out, after any reading not sure: a stamp read as words
  // lowers a reading's confidence little and costs its text much (a stamped lei of the metadata set,
  // 91.4 % sure, 15.0 % of characters wrong, 3.2 % at 92.2 with its stamps out).
  if (ink?.marks) alternatives.unshift({ when: 'not-sure', prepare: async () => encoded(await repairedStampsOut()) });
  if (blotchedPaper(condition) && !planned.includes('flatten-background')) {
    alternatives.unshift({ when: 'fairly-sure', prepare: () => prepare(grey, withFlattening(planned)) });
  }
  return { ...first, toRaster, alternatives, letters: letterMarks(marks, ocrDpi) };
}

/**
 * What a page that read poorly tries next: no repair at all, when it had some; the repairs its
 * measures did not call for, specks the count missed (dust, hairs) with the ink stretched; then
 * strokes joined (dot matrix, a worn copy's broken letters), which also melts the specks a
 * median leaves; then the same with faint ink made as dark as the rest first; on a page planned
 * to be despeckled, its own repairs with the specks removed but no median, then joined; the
 * strokes joined, then despeckled; and on a heavily speckled page of dark type, what is fainter
 * than the type dropped.
 */
function otherPlans(planned: CleaningStep[], manySpecks: boolean): CleaningStep[][] {
  // The page as it came: a repair can cost a faint page more than it gives (a carbon copy's
  // grain-broken strokes thinned by the median), and the surest reading decides. Faint type reads
  // differently on grey levels a little apart: carbon 01 of the hard pages read 2.40 % from the
  // grey page the repairs start from (Rec. 601 luminance, paper tone clipped), 2.10 % from plain
  // Rec. 601 luminance, 1.50 % from libvips' (asItCame above).
  const plans: CleaningStep[][] = planned.length > 0 ? [[]] : [];
  if (!planned.includes('despeckle')) plans.push(['despeckle', ...planned.filter((s) => s !== 'contrast'), 'contrast']);
  // Not after despeckling: a dot-matrix letter's dots are specks.
  const flattened = planned.filter((s) => s === 'flatten-background');
  plans.push([...flattened, 'stroke-repair']);
  // A worn ribbon's light dots as dark as the rest before they are joined.
  plans.push([...flattened, 'even-ink', 'stroke-repair']);
  // Specks joined with the strokes make new marks; taken out first, by size and place only (the
  // median would take a dot-matrix letter's dots: despeckled then joined, the green-bar nota read
  // surer and worse, 1.68 % → 2.07 %). The carbon under speckle 2.77 % → 1.64 %, carbon 01 1.10 % →
  // 0.90 %, the heavily speckled ata 8.21 % → 8.03 %.
  if (planned.includes('despeckle')) plans.push([...planned.map((step) => (step === 'despeckle' ? 'remove-specks' : step)), 'stroke-repair']);
  // A copy of a copy: its strokes joined first, then the specks the join swelled taken out (the
  // median no longer takes a joined letter's strokes), on the page unflattened. The
  // twice-photocopied decreto 3.70 % → 1.85 % (flattened first 2.92 %, despeckled first 2.34 %);
  // the green-bar nota 1.68 % → 1.81 %.
  plans.push(['stroke-repair', 'despeckle']);
  // A page of more specks than marks, its type dark: what is fainter than the type dropped, the
  // specks left taken out by size and place (restore.ts, FAINT_MARK_SHARE). Last: read first, its
  // sure reading (95.0) would have ended the speckled decreto's readings at 1.48 %, where the page
  // as it came reads 1.14 %. Not on faint type (contrast): its strokes are no darker than the
  // specks. Nor on a page not heavily speckled: the twice-photocopied decreto read it surer and
  // worse (2.04 % at 92.6 against 1.85 % at 90.7).
  if (manySpecks && !planned.includes('contrast')) plans.push(planned.flatMap((step): CleaningStep[] => (step === 'despeckle' ? ['drop-faint-marks', 'remove-specks'] : [step])));
  return plans;
}

/** The steps with the background flattened too, in the order planCleaning gives them. */
function withFlattening(planned: readonly CleaningStep[]): CleaningStep[] {
  const despeckled = planned.filter((step) => step === 'despeckle');
  return [...despeckled, 'flatten-background', ...planned.filter((step) => step !== 'despeckle')];
}

async function applySteps(image: GreyImage, steps: readonly CleaningStep[], dpi: number): Promise<GreyImage> {
  let out = image;
  for (const step of steps) {
    if (step === 'despeckle') out = await despeckle(out, dpi);
    else if (step === 'remove-specks') out = removeSpecks(out, dpi);
    else if (step === 'drop-faint-marks') out = dropFaintMarks(out);
    else if (step === 'flatten-background') out = await flattenPaper(out, dpi);
    else if (step === 'drop-show-through') {
      // Found again on the image as it is now: flattening moves the grey levels.
      const level = faintLayer(out);
      if (level !== null) out = dropLighterThan(out, level);
    }
    else if (step === 'contrast') out = stretchContrast(out);
    else if (step === 'stroke-repair') out = await repairStrokes(out, dpi);
    else if (step === 'even-ink') out = evenInk(out);
  }
  return out;
}

/** Fast, barely compressed PNG: it only crosses a thread boundary. */
function encode(image: GreyImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .png({ compressionLevel: 1, adaptiveFiltering: false })
    .toBuffer();
}
