/**
 * Show-through: the back of a thin sheet seen through it, mirrored. Light show-through is set
 * aside by the ink map (blank.ts); dark show-through cannot be, by pixels alone: on generated A4
 * pages, mirrored text at grey 160 blurred σ 1.5 and faded type at the same grey have the same ink
 * share (0.137%) and edge sharpness (0.281), and across settings the two overlap. Their readings
 * do not: the back's text read as it shows is nonsense (confidence 47–51 on those pages), read in
 * its mirror image it is text (95–96); faded type reads the other way round (96 as it is, 48
 * mirrored). So a page that reads as nothing, with no line of its own, is read once more mirrored
 * (read-page.ts), and called blank when only the mirror image reads as text. Positive evidence is
 * asked for on purpose: a page that reads poorly either way (speckle, dot matrix) keeps its text.
 *
 * A line of its own: a typed line on the front reads at 90+ even through show-through, and one
 * such line is enough to keep the page (on the generated back with one typed line over it, the
 * page reads at 49 as a whole and 95 mirrored).
 */
import sharp from 'sharp';
import type { OcrPage } from '../../model.js';
import type { OcrInput } from '../../ocr/ocr-engine.js';

/** Below this a reading may be show-through (the generated backs read at 47–51; hard pages with text at 30–92). */
const READS_AS_NOTHING = 60;
/** The mirror image reads as text: what typed pages read at (78–96), over at least this much text. */
const MIRROR_READS = { confidence: 80, characters: 20 };
/** And clearly better than the page as it is. */
const MIRROR_MARGIN = 25;
/**
 * A word read surely: 4 characters or more, letters or a number, at this confidence. The back's
 * text read as it shows makes short words read surely ("ob", "sb", "o" at 90–96) and long ones
 * read doubtfully (mostly under 80; on 60 lines of it, one long word of letters reached 88), and
 * mixes digits into words ("0229001q", "92-ViMU9T").
 */
const SURE_WORD = { characters: 4, confidence: 88 };
/** A line of the page's own holds at least this many sure words (none of those 60 lines held two). */
const OWN_LINE_WORDS = 2;

function isSureWord(word: OcrPage['lines'][number]['words'][number]): boolean {
  const text = word.text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const wordLike = /^[\p{L}'’-]+$/u.test(text) || /^\d[\d./-]*$/.test(text);
  return wordLike && text.length >= SURE_WORD.characters && word.confidence >= SURE_WORD.confidence;
}

/** A line with sure words: the page holds text of its own, whatever else shows through. */
export function hasLineOfItsOwn(ocr: OcrPage): boolean {
  return ocr.lines.some((line) => line.words.filter(isSureWord).length >= OWN_LINE_WORDS);
}

/** Characters read, spaces aside. */
export const characters = (ocr: OcrPage) => ocr.text.replace(/\s/g, '').length;

/** The reading found text of the page's own: a sure line, or a reading sure enough as a whole. */
export function readsAsText(ocr: OcrPage): boolean {
  return ((ocr.confidence ?? 0) >= READS_AS_NOTHING && characters(ocr) >= MIRROR_READS.characters) || hasLineOfItsOwn(ocr);
}

/**
 * Whether to read the page's mirror image: it read as nothing of its own, but read as much (the
 * back's text read as it shows makes as many characters of nonsense; a picture or an empty page
 * reads as little, and is not read twice).
 */
export function mayBeShowThrough(ocr: OcrPage): boolean {
  return !readsAsText(ocr) && characters(ocr) >= MIRROR_READS.characters;
}

/** Only the mirror image reads as text: what shows is the back of the sheet. */
export function isShowThroughOnly(asIs: OcrPage, mirrored: OcrPage): boolean {
  const mirror = mirrored.confidence ?? 0;
  return (
    mayBeShowThrough(asIs) &&
    mirror >= MIRROR_READS.confidence &&
    characters(mirrored) >= MIRROR_READS.characters &&
    mirror >= (asIs.confidence ?? 0) + MIRROR_MARGIN
  );
}

/** The OCR image flipped left to right, as the back's text reads. */
export async function mirrorImage(input: OcrInput): Promise<OcrInput> {
  return { ...input, png: await sharp(input.png).flop().png().toBuffer() };
}
