/**
 * The sample texts' markup, one string per block: '= ' centred (bold when typeset), '> ' right-aligned,
 * '¶ ' a paragraph with a first-line indent, '» ' a paragraph indented as a whole (an ementa), '' a
 * vertical gap, anything else a left-aligned paragraph. Only the texts here use it; renderHardPage
 * takes plain strings and Block objects.
 */
import type { Block, Face, HardClass, HardPageOptions, PageText, Severity } from '../types.js';

export function doc(...lines: string[]): Block[] {
  return lines.map((l): Block => {
    if (l === '') return { text: '' };
    const body = l.slice(2);
    if (l.startsWith('= ')) return { text: body, align: 'center', bold: true };
    if (l.startsWith('> ')) return { text: body, align: 'right' };
    if (l.startsWith('¶ ')) return { text: body, firstIndent: 3 };
    if (l.startsWith('» ')) return { text: body, indent: 8 };
    return { text: l };
  });
}

export interface HardSample {
  klass: HardClass;
  /** File name without extension: <nn-name>. */
  name: string;
  language: 'pt' | 'es';
  severity: Severity;
  face: Face;
  sizePt: number;
  leading?: number;
  variant?: string;
  /** What the page exercises (for the manifest). */
  exercises: string;
  text: PageText;
  verso?: PageText;
  stampTexts?: HardPageOptions['stampTexts'];
}
