/**
 * Acervo's glyphless font (glyphless-font.ts) as PDF objects: the Type0 font, its CID font with
 * every code drawing the one empty glyph, the embedded font program and the identity ToUnicode.
 * Registered once in each document searchable-pdf.ts writes, and in redacted copies (core/redaction/).
 */
import { deflateSync } from 'node:zlib';
import { PDFRawStream, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { ASCENT, DESCENT, FONT_NAME, GLYPH_ADVANCE, glyphlessFontProgram, identityToUnicodeCMap } from './glyphless-font.js';

/** Registers the font in `context`; the reference of its Type0 font dictionary. */
export function registerGlyphlessFont(context: PDFContext): PDFRef {
  const program = glyphlessFontProgram();
  const fontFile = context.register(context.flateStream(program, { Length1: program.length }));
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: FONT_NAME,
      Flags: 5, // fixed pitch, symbolic
      FontBBox: [0, DESCENT, GLYPH_ADVANCE, ASCENT],
      ItalicAngle: 0,
      Ascent: ASCENT,
      Descent: DESCENT,
      CapHeight: ASCENT,
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  // Every code (a Unicode code point) shows glyph 1, the empty one with the advance the text layer assumes.
  const cidToGid = Buffer.alloc(65536 * 2);
  for (let i = 1; i < cidToGid.length; i += 2) cidToGid[i] = 1;
  const cidToGidMap = context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), deflateSync(cidToGid)));
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: FONT_NAME,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: GLYPH_ADVANCE,
      CIDToGIDMap: cidToGidMap,
    }),
  );
  const toUnicode = context.register(context.flateStream(identityToUnicodeCMap()));
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: FONT_NAME,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
}
