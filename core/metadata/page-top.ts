/**
 * The top of a record's first page: the lines above its running text, where the letterhead, the
 * title, stamps and a form's fields are. The running text begins at the first long line written
 * mostly in small letters; a title is never below it.
 */
import { closeLetterSpacing } from './letter-spacing.js';

export interface TopLine {
  /** Trimmed, spaced letters closed up (`D E C R E T O` → `DECRETO`), one space between words. */
  text: string;
  /** Where the line starts in the page. */
  start: number;
}

const MAX_TOP_LINES = 14;
/** A line of running text: long, and mostly in small letters. */
const BODY_LINE = /^(?=.{70})(?:[^a-z]*[a-z]){40}/;

export function topLines(page: string): TopLine[] {
  const lines: TopLine[] = [];
  let start = 0;
  for (const raw of page.split('\n')) {
    const text = closeLetterSpacing(raw.trim()).replace(/\s+/g, ' ');
    if (BODY_LINE.test(text) || lines.length === MAX_TOP_LINES) break;
    if (text) lines.push({ text, start });
    start += raw.length + 1;
  }
  return lines;
}
