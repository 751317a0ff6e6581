/**
 * The invisible text layer's font, the approach of Tesseract's own PDF renderer: a TrueType
 * font whose every glyph is empty and 500/1000 em wide, used as a CID font with Identity-H
 * encoding where each character code is its Unicode code point. Any BMP character survives into
 * the text layer exactly (ToUnicode is the identity), and word widths are fitted with Tz.
 *
 * The font program is built here, table by table, rather than shipped as an opaque binary.
 * Layout follows the OpenType specification (https://learn.microsoft.com/typography/opentype/spec/).
 */

export const GLYPH_ADVANCE = 500;
export const UNITS_PER_EM = 1000;
/** A real descent: extractors that find none (poppler) assume one, and shift every word box. */
export const ASCENT = 800;
export const DESCENT = -200;
export const FONT_NAME = 'GlyphLessFont';

class Writer {
  private readonly bytes: number[] = [];
  u8(v: number): this { this.bytes.push(v & 0xff); return this; }
  u16(v: number): this { return this.u8(v >> 8).u8(v); }
  i16(v: number): this { return this.u16(v < 0 ? v + 0x10000 : v); }
  u32(v: number): this { return this.u16((v >>> 16) & 0xffff).u16(v & 0xffff); }
  tag(s: string): this { for (const c of s) this.u8(c.charCodeAt(0)); return this; }
  zeros(n: number): this { for (let i = 0; i < n; i++) this.u8(0); return this; }
  raw(data: Uint8Array): this { for (const b of data) this.u8(b); return this; }
  get length(): number { return this.bytes.length; }
  toBytes(): Uint8Array { return Uint8Array.from(this.bytes); }
}

const NUM_GLYPHS = 2;

function head(): Uint8Array {
  return new Writer()
    .u32(0x00010000).u32(0x00010000) // version, fontRevision
    .u32(0) // checkSumAdjustment, patched once the whole font is known
    .u32(0x5f0f3cf5) // magic number
    .u16(0b1011) // flags: baseline at y=0, lsb at x=0, integer ppem
    .u16(UNITS_PER_EM)
    .zeros(16) // created, modified
    .i16(0).i16(DESCENT).i16(GLYPH_ADVANCE).i16(ASCENT) // bounding box of all glyphs
    .u16(0).u16(8).i16(2) // macStyle, lowestRecPPEM, fontDirectionHint
    .i16(0).i16(0) // indexToLocFormat (short), glyphDataFormat
    .toBytes();
}

function hhea(): Uint8Array {
  return new Writer()
    .u32(0x00010000)
    .i16(ASCENT).i16(DESCENT).i16(0) // ascender, descender, lineGap
    .u16(GLYPH_ADVANCE).i16(0).i16(0).i16(0) // advanceWidthMax, minLeftSideBearing, minRightSideBearing, xMaxExtent
    .i16(1).i16(0).i16(0) // caret slope rise/run, offset
    .zeros(8) // reserved
    .i16(0).u16(NUM_GLYPHS) // metricDataFormat, numberOfHMetrics
    .toBytes();
}

function maxp(): Uint8Array {
  const w = new Writer().u32(0x00010000).u16(NUM_GLYPHS);
  // maxPoints … maxComponentDepth: nothing to draw, but maxZones must be 1 or 2.
  w.u16(0).u16(0).u16(0).u16(0).u16(2).zeros(18);
  return w.toBytes();
}

function hmtx(): Uint8Array {
  const w = new Writer();
  for (let i = 0; i < NUM_GLYPHS; i++) w.u16(GLYPH_ADVANCE).i16(0);
  return w.toBytes();
}

function loca(): Uint8Array {
  // Every glyph is empty: all offsets equal.
  return new Writer().zeros(2 * (NUM_GLYPHS + 1)).toBytes();
}

function cmap(): Uint8Array {
  // Unused by a CID font with a CIDToGIDMap, but required by the format: one format-4 subtable
  // holding only the mandatory final segment.
  return new Writer()
    .u16(0).u16(1) // version, numTables
    .u16(3).u16(1).u32(12) // Windows, Unicode BMP, offset
    .u16(4).u16(24).u16(0) // format, length, language
    .u16(2).u16(2).u16(0).u16(0) // segCountX2, searchRange, entrySelector, rangeShift
    .u16(0xffff).u16(0) // endCode[], reservedPad
    .u16(0xffff).i16(1).u16(0) // startCode[], idDelta[], idRangeOffset[]
    .toBytes();
}

function name(): Uint8Array {
  const records: Array<[number, string]> = [
    [1, FONT_NAME],
    [2, 'Regular'],
    [4, FONT_NAME],
    [5, 'Version 1.0'],
    [6, FONT_NAME],
  ];
  const strings = new Writer();
  const w = new Writer().u16(0).u16(records.length).u16(6 + 12 * records.length);
  for (const [nameId, text] of records) {
    const offset = strings.length;
    for (const c of text) strings.u16(c.charCodeAt(0));
    w.u16(3).u16(1).u16(0x409).u16(nameId).u16(2 * text.length).u16(offset);
  }
  return w.raw(strings.toBytes()).toBytes();
}

function os2(): Uint8Array {
  return new Writer()
    .u16(1) // version
    .i16(GLYPH_ADVANCE).u16(400).u16(5) // xAvgCharWidth, usWeightClass, usWidthClass
    .u16(0) // fsType: installable embedding, no restriction
    .i16(650).i16(600).i16(0).i16(75) // subscript x/y size, x/y offset
    .i16(650).i16(600).i16(0).i16(350) // superscript
    .i16(50).i16(300) // strikeout size, position
    .i16(0) // sFamilyClass
    .zeros(10) // panose
    .zeros(16) // ulUnicodeRange1-4
    .tag('ACRV')
    .u16(0x40) // fsSelection: regular
    .u16(0).u16(0xffff) // first, last char index
    .i16(ASCENT).i16(DESCENT).i16(0) // typo ascender, descender, line gap
    .u16(ASCENT).u16(-DESCENT) // win ascent, descent
    .u32(1).u32(0) // code page ranges: Latin 1
    .toBytes();
}

function post(): Uint8Array {
  return new Writer()
    .u32(0x00030000) // version 3: no glyph names
    .u32(0) // italicAngle
    .i16(-100).i16(50) // underline position, thickness
    .u32(1) // isFixedPitch
    .zeros(16)
    .toBytes();
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const word = ((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

function buildFont(): Uint8Array {
  const tables: Array<[string, Uint8Array]> = [
    ['OS/2', os2()],
    ['cmap', cmap()],
    ['glyf', new Uint8Array(4)],
    ['head', head()],
    ['hhea', hhea()],
    ['hmtx', hmtx()],
    ['loca', loca()],
    ['maxp', maxp()],
    ['name', name()],
    ['post', post()],
  ];
  const count = tables.length;
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 16 * 2 ** entrySelector;
  const directory = new Writer().u32(0x00010000).u16(count).u16(searchRange).u16(entrySelector).u16(count * 16 - searchRange);
  const body = new Writer();
  let offset = 12 + 16 * count;
  let headOffset = 0;
  for (const [tag, data] of tables) {
    if (tag === 'head') headOffset = offset;
    directory.tag(tag).u32(checksum(data)).u32(offset).u32(data.length);
    body.raw(data).zeros((4 - (data.length % 4)) % 4);
    offset += data.length + ((4 - (data.length % 4)) % 4);
  }
  const font = new Uint8Array([...directory.toBytes(), ...body.toBytes()]);
  const adjustment = (0xb1b0afba - checksum(font)) >>> 0;
  new DataView(font.buffer).setUint32(headOffset + 8, adjustment);
  return font;
}

let cached: Uint8Array | undefined;

/** The TrueType font program (a few hundred bytes). */
export function glyphlessFontProgram(): Uint8Array {
  cached ??= buildFont();
  return cached;
}

/** A ToUnicode CMap mapping every 2-byte code to the same UTF-16 code unit (surrogates excluded). */
export function identityToUnicodeCMap(): string {
  const ranges: string[] = [];
  for (let high = 0; high <= 0xff; high++) {
    if (high >= 0xd8 && high <= 0xdf) continue;
    const h = high.toString(16).padStart(2, '0').toUpperCase();
    ranges.push(`<${h}00> <${h}FF> <${h}00>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const chunk = ranges.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfrange\n${chunk.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** Text as the font's codes: one 2-byte code per UTF-16 unit; characters outside the BMP become U+FFFD. */
export function encodeText(text: string): string {
  let hex = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0xfffd;
    hex += (code > 0xffff || (code >= 0xd800 && code <= 0xdfff) ? 0xfffd : code).toString(16).padStart(4, '0');
  }
  return hex.toUpperCase();
}

/** Number of codes `encodeText` produces: each advances by GLYPH_ADVANCE. */
export function codeCount(text: string): number {
  return [...text].length;
}
