/**
 * Builds a scanned-looking test page whose every word's ink box is known exactly: each word is
 * rendered alone, trimmed to its ink, and pasted at a chosen place.
 */
import sharp from 'sharp';

export interface PlacedWord {
  text: string;
  /** Ink box in pixels. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface RenderedWord {
  png: Buffer;
  width: number;
  height: number;
  top: number;
  left: number;
}

/** Words already rendered, by size and text: test pages repeat their words (PROTOCOLO, Rua, de…). */
const rendered = new Map<string, Promise<RenderedWord>>();

function renderWord(text: string, size: number): Promise<RenderedWord> {
  const key = `${size}:${text}`;
  let word = rendered.get(key);
  if (!word) {
    word = renderWordNow(text, size);
    rendered.set(key, word);
    // A failed rendering is not kept: the next page tries again.
    word.catch(() => rendered.delete(key));
  }
  return word;
}

async function renderWordNow(text: string, size: number): Promise<RenderedWord> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size * text.length}" height="${size * 2}"><rect width="100%" height="100%" fill="white"/><text x="${size / 2}" y="${size * 1.4}" font-family="DejaVu Serif" font-size="${size}" fill="black">${escapeXml(text)}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().trim({ background: '#ffffff', threshold: 40 }).png().toBuffer({ resolveWithObject: true });
  // sharp reports the trimmed-away margins as negative offsets.
  return { png: data, width: info.width, height: info.height, top: -(info.trimOffsetTop ?? 0), left: -(info.trimOffsetLeft ?? 0) };
}

/** A white page with `lines` of words; returns the PNG (with its DPI) and every word's ink box. */
export async function makePage(lines: string[][], options: { width: number; height: number; dpi: number; size: number; left: number; top: number; lineGap: number }): Promise<{ png: Buffer; words: PlacedWord[] }> {
  const words: PlacedWord[] = [];
  const composites: sharp.OverlayOptions[] = [];
  let baselineY = options.top;
  for (const line of lines) {
    let x = options.left;
    for (const text of line) {
      const word = await renderWord(text, options.size);
      // Keep the word's vertical offset from its rendering so the line's words share a baseline.
      const y = baselineY + word.top;
      composites.push({ input: word.png, left: x, top: y });
      words.push({ text, x0: x, y0: y, x1: x + word.width, y1: y + word.height });
      x += word.width + Math.round(options.size * 0.45);
    }
    baselineY += options.lineGap;
  }
  const png = await sharp({ create: { width: options.width, height: options.height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .greyscale()
    .withMetadata({ density: options.dpi })
    .png()
    .toBuffer();
  return { png, words };
}
