/**
 * Which way up a page is. Tesseract's orientation detection (OSD) answers first; it is quick and,
 * when sure, right. On faint typewritten pages (a carbon copy) it is often right but unsure
 * (confidence 0.1–2.7 where clear pages score 10–35), and an unsure answer is as often wrong.
 * Then a band across the middle of the page is read as horizontal text at each candidate turn,
 * OSD's guess first: read the right way up it scores about 90, upside down or sideways 30–65.
 */
import sharp from 'sharp';
import type { OcrEngine, OcrInput } from '../../ocr/ocr-engine.js';

export type QuarterTurn = 0 | 90 | 180 | 270;

/** A reading this good settles it: no other turn reads that well. */
const CLEAR_READING = 75;
/** Without a clear reading, another turn must beat the page as scanned by this much. */
const READING_MARGIN = 15;
/** The band read: the middle fifth of the page's height, inside the side margins. */
const BAND = { left: 0.08, top: 0.35, width: 0.84, height: 0.2 };
/** Enough to read typed text by, and twice as fast as 300 DPI. */
const BAND_DPI = 150;

export async function findOrientation(
  input: OcrInput,
  engine: Pick<OcrEngine, 'detectOrientation' | 'readingConfidence'>,
  minConfidence: number,
): Promise<QuarterTurn> {
  const detected = await engine.detectOrientation(input);
  if (detected && detected.confidence >= minConfidence) return detected.degrees;

  const candidates = [...new Set<QuarterTurn>([detected?.degrees ?? 0, 0, 180, 90, 270])];
  const scores = new Map<QuarterTurn, number>();
  for (const turn of candidates) {
    const score = (await engine.readingConfidence(await band(input, turn))) ?? 0;
    if (score >= CLEAR_READING) return turn;
    scores.set(turn, score);
  }
  const best = candidates.reduce((a, b) => (scores.get(b)! > scores.get(a)! ? b : a));
  return scores.get(best)! - scores.get(0)! >= READING_MARGIN ? best : 0;
}

/** The middle band of the page turned clockwise by `turn`, at BAND_DPI or less. */
async function band(input: OcrInput, turn: QuarterTurn): Promise<OcrInput> {
  const turned = await sharp(input.png).rotate(turn).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = turned.info;
  const scale = Math.min(1, BAND_DPI / input.dpi);
  const left = Math.round(width * BAND.left);
  const top = Math.round(height * BAND.top);
  const bandWidth = Math.max(1, Math.round(width * BAND.width));
  const bandHeight = Math.max(1, Math.round(height * BAND.height));
  const png = await sharp(turned.data, { raw: { width, height, channels } })
    .extract({ left, top, width: bandWidth, height: bandHeight })
    .resize(Math.max(1, Math.round(bandWidth * scale)), Math.max(1, Math.round(bandHeight * scale)), { fit: 'fill', kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, dpi: input.dpi * scale };
}
