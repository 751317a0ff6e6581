/**
 * A page read more than once keeps its surest reading, its unsure words mended from the others:
 * the words below are as the hard pages read (speckle 01, the carbon under speckle, photocopy 03),
 * each with what must and must not be taken.
 */
import { describe, expect, it } from 'vitest';
import type { OcrPage, OcrWord } from '../../core/model.js';
import { mergeReadings } from '../../core/ocr/merge-readings.js';

type Read = [text: string, confidence: number, known?: boolean];

/** One line of words 200 px wide, side by side; `shift` moves every box a little (another preparation's boxes are never quite the same). */
function reading(words: Read[], shift = 0): OcrPage {
  const placed: OcrWord[] = words.map(([text, confidence, known], i) => ({
    text,
    confidence,
    box: { x0: i * 220 + shift, y0: 100 + shift, x1: i * 220 + 200 + shift, y1: 140 + shift },
    ...(known === undefined ? {} : { known }),
  }));
  const text = placed.map((w) => w.text).join(' ');
  return { lines: [{ box: { x0: 0, y0: 100, x1: words.length * 220, y1: 140 }, words: placed }], text, confidence: 80 };
}

const texts = (page: OcrPage) => page.lines.flatMap((l) => l.words.map((w) => w.text));

describe('mergeReadings', () => {
  it('takes a known, surer word for an unsure one the dictionary does not know, in the same place', () => {
    const kept = reading([['limpeza', 96, true], ['whens,', 39, false], ['o', 93, true]]);
    const other = reading([['limpeza', 96, true], ['urbana.', 55, true], ['(o)', 81, false]], 4);
    const { page, merged } = mergeReadings(kept, [other]);
    expect(merged).toBe(1);
    expect(texts(page)).toEqual(['limpeza', 'urbana.', 'o']);
    expect(page.text).toBe('limpeza urbana. o');
    expect(page.lines[0]!.words[1]).toMatchObject({ confidence: 55, known: true, box: kept.lines[0]!.words[1]!.box });
    // The page's confidence stays the kept reading's: read-page.ts chose between readings by it.
    expect(page.confidence).toBe(kept.confidence);
  });

  it('takes the surest of several readings', () => {
    const kept = reading([['Conunicanos', 71, false]]);
    const { page } = mergeReadings(kept, [reading([['Comunicanos', 80, false]]), reading([['Comunicamos', 96, true]]), reading([['Comunicou', 88, true]])]);
    expect(texts(page)).toEqual(['Comunicamos']);
  });

  it('leaves an unknown word when the other is not clearly surer, or not known', () => {
    const kept = reading([['consideragho.', 70, false]]);
    expect(mergeReadings(kept, [reading([['consideração.', 84, true]])]).merged).toBe(0);
    expect(mergeReadings(kept, [reading([['consideracao.', 95, false]])]).merged).toBe(0);
    expect(texts(mergeReadings(kept, [reading([['consideração.', 85, true]])]).page)).toEqual(['consideração.']);
  });

  it('replaces a word the dictionary knows only by a sure word far surer, never by an accent alone', () => {
    expect(texts(mergeReadings(reading([['narra', 49, true]]), [reading([['compensadas', 96, true]])]).page)).toEqual(['compensadas']);
    // Sure enough but not far surer; far surer but not sure (carbon 01's "(Córrego" at 35).
    expect(mergeReadings(reading([['DE', 54, true]]), [reading([['DS', 86, true]])]).merged).toBe(0);
    expect(mergeReadings(reading([['(Córrego', 35, true]]), [reading([['“arrego', 81, true]])]).merged).toBe(0);
    expect(mergeReadings(reading([['que', 40, true]]), [reading([['quê', 97, true]])]).merged).toBe(0);
  });

  it('leaves sure words, numbers, amounts and codes as the kept reading has them', () => {
    expect(mergeReadings(reading([['reyime', 80, false]]), [reading([['regime', 96, true]])]).merged).toBe(0);
    expect(mergeReadings(reading([['2:6', 20, false]]), [reading([['até', 95, true]])]).merged).toBe(0);
    expect(mergeReadings(reading([['NCZ$', 33, false]]), [reading([['NOS', 74, true]])]).merged).toBe(0);
    expect(mergeReadings(reading([['1.O15,', 30, false]]), [reading([['LOIS,', 90, true]])]).merged).toBe(0);
  });

  it('takes nothing from another place on the page, and nothing where no dictionary judged the words', () => {
    const kept = reading([['whens,', 39, false]]);
    // The next word's place: its box shares a quarter with this one's.
    const beside = reading([['urbana.', 95, true]]);
    const box = beside.lines[0]!.words[0]!.box;
    beside.lines[0]!.words[0]!.box = { ...box, x0: box.x0 + 120, x1: box.x1 + 120 };
    expect(mergeReadings(kept, [beside]).merged).toBe(0);
    const unjudged = reading([['whens,', 39]]);
    const result = mergeReadings(unjudged, [reading([['urbana.', 95, true]])]);
    expect(result).toEqual({ page: unjudged, merged: 0 });
    expect(mergeReadings(kept, [])).toEqual({ page: kept, merged: 0 });
  });
});
