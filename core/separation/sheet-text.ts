/**
 * Text that fits the separator sheet: lines broken at spaces to a width, and a word longer than
 * the width (a code has no spaces) broken where it must, so nothing runs off the page.
 */
import type { PDFFont } from 'pdf-lib';

export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (width(joined) <= maxWidth) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    // A word wider than the line: cut it, a character at a time (codes, long file numbers).
    let rest = word;
    while (width(rest) > maxWidth) {
      let cut = 1;
      while (cut < rest.length && width(rest.slice(0, cut + 1)) <= maxWidth) cut++;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** A code cut into lines of at most `maxWidth`, anywhere, nothing dropped: its lines joined are the code. */
export function breakAnywhere(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && font.widthOfTextAtSize(line + ch, size) > maxWidth) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}
