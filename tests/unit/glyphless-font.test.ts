import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { ASCENT, DESCENT, GLYPH_ADVANCE, codeCount, encodeText, glyphlessFontProgram, identityToUnicodeCMap } from '../../core/pdf/glyphless-font.js';

describe('glyphless font', () => {
  it('is a valid TrueType font that a real font parser reads', () => {
    const font = fontkit.create(Buffer.from(glyphlessFontProgram())) as fontkit.Font;
    expect(font.postscriptName).toBe('GlyphLessFont');
    expect(font.numGlyphs).toBe(2);
    expect(font.unitsPerEm).toBe(1000);
    expect(font.ascent).toBe(ASCENT);
    expect(font.descent).toBe(DESCENT);
    expect(font.getGlyph(1).advanceWidth).toBe(GLYPH_ADVANCE);
    expect(font.getGlyph(1).path.commands).toHaveLength(0);
  });

  it('has a correct whole-font checksum (head.checkSumAdjustment)', () => {
    const bytes = glyphlessFontProgram();
    let sum = 0;
    for (let i = 0; i < bytes.length; i += 4) {
      sum = (sum + (((bytes[i]! << 24) | (bytes[i + 1]! << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0)) >>> 0;
    }
    expect(sum).toBe(0xb1b0afba);
  });

  it('encodes BMP characters as their code points and the rest as U+FFFD', () => {
    expect(encodeText('Ação')).toBe('0041' + '00E7' + '00E3' + '006F');
    expect(encodeText('“º—')).toBe('201C00BA2014');
    expect(encodeText('a😀')).toBe('0061FFFD');
    expect(codeCount('a😀b')).toBe(3);
  });

  it('maps every code to the same character in its ToUnicode CMap, surrogates excepted', () => {
    const cmap = identityToUnicodeCMap();
    expect(cmap).toContain('<0000> <00FF> <0000>');
    expect(cmap).toContain('<2000> <20FF> <2000>');
    expect(cmap).not.toContain('<D800>');
    const ranges = [...cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>/g)];
    expect(ranges).toHaveLength(256 - 8);
    for (const [, lo, , dst] of ranges) expect(lo).toBe(dst);
  });
});
