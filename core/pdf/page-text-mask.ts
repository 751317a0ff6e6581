/**
 * A mask applied, in place, to the text of one page that can be read exactly: Acervo's invisible
 * OCR layer, drawn in the glyphless font (glyphless-font.ts), whose every 2-byte code is one
 * UTF-16 unit of the text (its ToUnicode is the identity), and the text strings of marked-content
 * properties (ActualText, Alt, E).
 *
 * The layer's strings are decoded in content-stream order — the page's content streams, and the
 * Form XObjects they draw, where they are drawn — and joined as an extractor reads them: words
 * carry their own trailing space, a string without one ends a line. The mask sees the joined
 * text once, so a number split over words or lines is found whole, and each string gets its
 * slice back with the same number of codes: the Tz that fits each word to its box stays right.
 *
 * Text in any other font is not decoded (encodings are too many to trust): the page only says
 * it has such text, and the caller reads it through pdf.js.
 */
import { deflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFContext,
  type PDFObject,
  type PDFPageLeaf,
} from 'pdf-lib';
import { hexStringOf, operations, type Operand } from './content-stream.js';
import { identityToUnicodeCMap } from './glyphless-font.js';
import type { TextMask } from './xml-text-mask.js';

export interface PageTextMasking {
  /** The page shows text in some other font (or content that could not be read): only pdf.js can say what it reads. */
  otherText: boolean;
  /** Acervo's glyphless font as the page uses it, if it does. */
  glyphlessFont: PDFRef | null;
  /** Some string of the page's content was masked. */
  changed: boolean;
}

/** Marked-content properties that hold text a reader gets (ISO 32000-1, 14.9). */
const PROPERTY_TEXT_KEYS = new Set(['ActualText', 'Alt', 'E']);
const MAX_FORM_DEPTH = 16;

/** Which fonts are Acervo's glyphless font: Type0, Identity-H, with exactly Acervo's identity ToUnicode. */
export class GlyphlessFonts {
  private readonly known = new Map<PDFDict, boolean>();
  private identity: string | null = null;

  constructor(private readonly context: PDFContext) {}

  is(font: PDFDict): boolean {
    let known = this.known.get(font);
    if (known === undefined) {
      known = this.check(font);
      this.known.set(font, known);
    }
    return known;
  }

  private check(font: PDFDict): boolean {
    if (font.lookup(PDFName.of('Subtype')) !== PDFName.of('Type0')) return false;
    if (font.lookup(PDFName.of('Encoding')) !== PDFName.of('Identity-H')) return false;
    const toUnicode = font.lookup(PDFName.of('ToUnicode'));
    if (!(toUnicode instanceof PDFStream)) return false;
    const bytes = streamContents(toUnicode);
    if (!bytes) return false;
    this.identity ??= identityToUnicodeCMap();
    return Buffer.from(bytes).toString('latin1') === this.identity;
  }
}

/** A stream's decoded bytes; null when its filters cannot be undone here. */
export function streamContents(stream: PDFStream): Uint8Array | null {
  try {
    if (stream instanceof PDFRawStream) return decodePDFRawStream(stream).decode();
    const unencoded = (stream as unknown as { getUnencodedContents?: () => Uint8Array }).getUnencodedContents;
    return unencoded ? unencoded.call(stream) : null;
  } catch {
    return null;
  }
}

/** One content stream being rewritten: its decoded bytes and the strings replaced in them. */
class EditedStream {
  /** By the string's start: where it ends and its new text (one UTF-16 unit per code, or bytes for a property string). */
  readonly edits = new Map<number, { end: number; bytes: Uint8Array }>();

  constructor(
    readonly ref: PDFRef,
    readonly stream: PDFStream,
    readonly data: Uint8Array,
  ) {}

  /** The stream with its edits, Flate-compressed, its dictionary otherwise kept. */
  rewritten(context: PDFContext): PDFRawStream {
    const pieces: Buffer[] = [];
    let at = 0;
    for (const [start, { end, bytes }] of [...this.edits].sort((a, b) => a[0] - b[0])) {
      pieces.push(Buffer.from(this.data.subarray(at, start)), Buffer.from(hexStringOf(bytes), 'latin1'));
      at = end;
    }
    pieces.push(Buffer.from(this.data.subarray(at)));
    const dict = this.stream.dict.clone(context);
    for (const key of ['Filter', 'DecodeParms', 'DL', 'F', 'FFilter', 'FDecodeParms']) dict.delete(PDFName.of(key));
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    return PDFRawStream.of(dict, deflateSync(Buffer.concat(pieces)));
  }
}

/** One string of the glyphless layer, where it stands. */
interface Run {
  stream: EditedStream;
  start: number;
  end: number;
  /** The codes as UTF-16 units. */
  text: string;
  /** An odd last byte (not a whole code), kept as it was. */
  tail: Uint8Array;
  /** Part of the same TJ as the run before it: no line break between them. */
  continues: boolean;
}

interface GraphicsState {
  font: PDFDict | null;
}

class PageScan {
  readonly runs: Run[] = [];
  readonly streams = new Map<PDFRef, EditedStream>();
  otherText = false;
  glyphlessFont: PDFRef | null = null;
  private readonly activeForms = new Set<PDFRef>();

  constructor(
    private readonly context: PDFContext,
    private readonly fonts: GlyphlessFonts,
    private readonly mask: TextMask,
  ) {}

  /** The stream at `ref`, decoded once per page; null when it cannot be read. */
  stream(ref: PDFRef): EditedStream | null {
    const known = this.streams.get(ref);
    if (known) return known;
    const stream = this.context.lookup(ref);
    if (!(stream instanceof PDFStream)) return null;
    const data = streamContents(stream);
    if (!data) return null;
    const edited = new EditedStream(ref, stream, data);
    this.streams.set(ref, edited);
    return edited;
  }

  /** The operations of `streams` (a page's contents, one after the other) under `resources`. */
  scan(refs: PDFRef[], resources: PDFDict | undefined, state: GraphicsState, depth: number): void {
    const stack: GraphicsState[] = [];
    let current: GraphicsState = { ...state };
    for (const ref of refs) {
      const stream = this.stream(ref);
      if (!stream) {
        this.otherText = true;
        continue;
      }
      for (const { operator, operands } of operations(stream.data)) {
        switch (operator) {
          case 'q':
            stack.push({ ...current });
            break;
          case 'Q':
            current = stack.pop() ?? current;
            break;
          case 'Tf': {
            const name = operands[0];
            current.font = name?.kind === 'name' ? this.font(resources, name.value) : null;
            break;
          }
          case 'gs': {
            const name = operands[0];
            const gstate = name?.kind === 'name' ? this.resource(resources, 'ExtGState', name.value) : undefined;
            const fontEntry = gstate?.lookup(PDFName.of('Font'));
            if (fontEntry instanceof PDFArray) {
              const font = this.context.lookup(fontEntry.get(0));
              current.font = font instanceof PDFDict ? font : null;
              this.noteFontRef(fontEntry.get(0), current.font);
            }
            break;
          }
          case 'Tj':
          case "'":
          case '"': {
            const string = operands[operands.length - 1];
            if (string?.kind === 'string') this.show([string], current.font, stream);
            break;
          }
          case 'TJ': {
            const array = operands[0];
            if (array?.kind === 'array') this.show(array.items.filter((item) => item.kind === 'string'), current.font, stream);
            break;
          }
          case 'BDC':
          case 'DP': {
            const properties = operands[1];
            if (properties?.kind === 'dict') this.maskProperties(properties.entries, stream);
            break;
          }
          case 'Do': {
            const name = operands[0];
            if (name?.kind === 'name') this.form(resources, name.value, current, depth);
            break;
          }
        }
      }
    }
  }

  private resource(resources: PDFDict | undefined, category: string, name: string): PDFDict | undefined {
    const dict = resources?.lookupMaybe(PDFName.of(category), PDFDict);
    const value = dict?.lookup(PDFName.of(name));
    return value instanceof PDFDict ? value : undefined;
  }

  private font(resources: PDFDict | undefined, name: string): PDFDict | null {
    const dict = resources?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const entry = dict?.get(PDFName.of(name));
    const font = entry ? this.context.lookup(entry) : undefined;
    if (!(font instanceof PDFDict)) return null;
    this.noteFontRef(entry, font);
    return font;
  }

  private noteFontRef(entry: PDFObject | undefined, font: PDFDict | null): void {
    if (!this.glyphlessFont && entry instanceof PDFRef && font && this.fonts.is(font)) this.glyphlessFont = entry;
  }

  private show(strings: Operand[], font: PDFDict | null, stream: EditedStream): void {
    const glyphless = font !== null && this.fonts.is(font);
    strings.forEach((string, index) => {
      if (string.kind !== 'string' || string.bytes.length === 0) return;
      if (!glyphless) {
        this.otherText = true;
        return;
      }
      const bytes = string.bytes;
      this.runs.push({
        stream,
        start: string.start,
        end: string.end,
        text: decodeCodes(bytes),
        tail: bytes.length % 2 === 1 ? bytes.subarray(bytes.length - 1) : new Uint8Array(0),
        continues: index > 0,
      });
    });
  }

  private form(resources: PDFDict | undefined, name: string, state: GraphicsState, depth: number): void {
    const dict = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    const ref = dict?.get(PDFName.of(name));
    if (!(ref instanceof PDFRef)) return;
    const xobject = this.context.lookup(ref);
    if (!(xobject instanceof PDFStream) || xobject.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Form')) return;
    if (depth >= MAX_FORM_DEPTH || this.activeForms.has(ref)) return;
    this.activeForms.add(ref);
    // A form without resources of its own uses its invoker's (PDF 1.1 practice).
    const own = xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? resources;
    this.scan([ref], own, state, depth + 1);
    this.activeForms.delete(ref);
  }

  private maskProperties(entries: Map<string, Operand>, stream: EditedStream): void {
    for (const [key, value] of entries) {
      if (!PROPERTY_TEXT_KEYS.has(key) || value.kind !== 'string') continue;
      const current = stream.edits.get(value.start)?.bytes ?? value.bytes;
      const text = PDFHexString.of(Buffer.from(current).toString('hex')).decodeText();
      const masked = this.mask(text);
      if (masked !== text) stream.edits.set(value.start, { end: value.end, bytes: utf16be(masked) });
    }
  }

  /** The glyphless layer joined as an extractor reads it, masked once, each string given its slice back. */
  maskRuns(): void {
    let joined = '';
    const starts: number[] = [];
    this.runs.forEach((run, index) => {
      const previous = this.runs[index - 1];
      if (previous && !run.continues && !/\s$/.test(previous.text)) joined += '\n';
      starts.push(joined.length);
      joined += run.text;
    });
    if (joined.length === 0) return;
    const masked = this.mask(joined);
    if (masked === joined) return;
    this.runs.forEach((run, index) => {
      const slice = masked.slice(starts[index], starts[index]! + run.text.length);
      if (slice === run.text) return;
      // The same string drawn twice on the page (a form used twice): what either masked stays masked.
      const earlier = run.stream.edits.get(run.start);
      const base = earlier ? decodeCodes(earlier.bytes) : run.text;
      let text = '';
      for (let i = 0; i < run.text.length; i++) text += slice[i] !== run.text[i] ? slice[i] : base[i];
      const bytes = new Uint8Array(2 * text.length + run.tail.length);
      for (let i = 0; i < text.length; i++) {
        bytes[2 * i] = text.charCodeAt(i) >> 8;
        bytes[2 * i + 1] = text.charCodeAt(i) & 0xff;
      }
      bytes.set(run.tail, 2 * text.length);
      run.stream.edits.set(run.start, { end: run.end, bytes });
    });
  }
}

function decodeCodes(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return text;
}

/** A PDF text string as UTF-16BE with its byte order mark. */
function utf16be(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + 2 * text.length);
  bytes[0] = 0xfe;
  bytes[1] = 0xff;
  for (let i = 0; i < text.length; i++) {
    bytes[2 + 2 * i] = text.charCodeAt(i) >> 8;
    bytes[3 + 2 * i] = text.charCodeAt(i) & 0xff;
  }
  return bytes;
}

/** The page's content streams, in order. */
export function contentRefs(leaf: PDFPageLeaf): PDFRef[] {
  const contents = leaf.get(PDFName.of('Contents'));
  const resolved = contents instanceof PDFRef ? leaf.context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) return resolved.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
  return contents instanceof PDFRef ? [contents] : [];
}

/** Masks the page's exactly readable text in place (streams rewritten under their own references). */
export function maskPageText(leaf: PDFPageLeaf, mask: TextMask, fonts: GlyphlessFonts): PageTextMasking {
  const context = leaf.context;
  const scan = new PageScan(context, fonts, mask);
  scan.scan(contentRefs(leaf), leaf.Resources(), { font: null }, 0);
  scan.maskRuns();
  let changed = false;
  for (const stream of scan.streams.values()) {
    if (stream.edits.size === 0) continue;
    context.assign(stream.ref, stream.rewritten(context));
    changed = true;
  }
  return { otherText: scan.otherText, glyphlessFont: scan.glyphlessFont, changed };
}
