/**
 * A mask applied, in place, to the text a PDF carries outside its pages' content: the document
 * information, XMP metadata streams (the document's, pages', any object's), bookmark titles,
 * annotations (contents, author, subject, rich text), form fields (names, values, options),
 * structure elements' alternate and actual text, file names and link URIs. What holds data that
 * cannot be masked goes: attached files (the EmbeddedFiles tree, file specifications' streams,
 * associated files, file attachment annotations), application data (PieceInfo), page thumbnails,
 * and signatures (their PKCS#7 carries the signer's certificate, which in Brazil holds the CPF).
 *
 * An annotation whose text changed (or whose field's did) loses its appearance for an empty
 * one: the old one may draw the very number masked in its text.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { maskXmlText, type TextMask } from './xml-text-mask.js';

/**
 * Keys whose string values are text a reader gets (only strings are masked: the same keys hold
 * numbers or names elsewhere). Name: optional content groups' (layers') names; JS: scripts given
 * as strings.
 */
const TEXT_KEYS = new Set(['Title', 'Subject', 'Author', 'Keywords', 'Creator', 'Producer', 'Contents', 'Subj', 'T', 'TU', 'TM', 'V', 'DV', 'Opt', 'Alt', 'ActualText', 'E', 'CA', 'RC', 'AC', 'Desc', 'F', 'UF', 'Name', 'JS']);
/** Keys whose string values are bytes (ASCII), not text strings. */
const BYTE_KEYS = new Set(['URI']);
/** Rich text: XHTML. */
const XML_KEYS = new Set(['RC']);
/** Dropped wherever they are: attached files, application data, thumbnails. */
const DROPPED_KEYS = ['EF', 'AF', 'RF', 'PieceInfo', 'Thumb'];
/** Dropped from the catalog: the attachments' portfolio view, signatures' permissions and validation data. */
const DROPPED_CATALOG_KEYS = ['Collection', 'Perms', 'DSS', 'AF', 'PieceInfo'];
/** A PDF date, as the document information's CreationDate and ModDate hold it. */
const PDF_DATE = /^D:\d{4}(\d{2}){0,5}([Z+-].*)?$/;
const EMPTY_XMP = '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n<?xpacket end="w"?>';

function isString(value: PDFObject | undefined): value is PDFString | PDFHexString {
  return value instanceof PDFString || value instanceof PDFHexString;
}

/** A text string masked; null when the mask left it as it was. */
function maskedString(value: PDFString | PDFHexString, mask: TextMask, kind: 'text' | 'bytes' | 'xml'): PDFHexString | null {
  if (kind === 'bytes') {
    const bytes = value.asBytes();
    const text = Buffer.from(bytes).toString('latin1');
    const masked = mask(text);
    return masked === text ? null : PDFHexString.of(Buffer.from(masked, 'latin1').toString('hex'));
  }
  const text = value.decodeText();
  const masked = kind === 'xml' ? maskXmlText(text, mask) : mask(text);
  return masked === text ? null : PDFHexString.fromText(masked);
}

class DocumentWalk {
  private readonly visited = new Set<PDFObject>();
  /** Dictionaries some text of which was masked or dropped. */
  readonly changed = new Set<PDFDict>();
  readonly pages: PDFDict[] = [];

  constructor(
    private readonly context: PDFContext,
    private readonly mask: TextMask,
  ) {}

  visit(object: PDFObject | undefined): void {
    const stack: PDFObject[] = object ? [object] : [];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (this.visited.has(current)) continue;
      this.visited.add(current);
      if (current instanceof PDFRef) {
        const target = this.context.lookup(current);
        if (target instanceof PDFStream && isXmp(target)) this.maskXmp(current, target);
        else if (target) stack.push(target);
      } else if (current instanceof PDFStream) {
        stack.push(current.dict);
      } else if (current instanceof PDFArray) {
        stack.push(...current.asArray());
      } else if (current instanceof PDFDict) {
        this.maskDict(current);
        stack.push(...current.values());
      }
    }
  }

  private maskDict(dict: PDFDict): void {
    for (const key of DROPPED_KEYS) {
      if (dict.has(PDFName.of(key))) {
        dict.delete(PDFName.of(key));
        this.changed.add(dict);
      }
    }
    if (dict.lookup(PDFName.of('Type')) === PDFName.of('Page')) {
      this.pages.push(dict);
      this.dropAttachmentAnnotations(dict);
    }
    // A signature: its value holds the signer's certificate; its dictionary is never masked (binary /Contents).
    if (dict.lookup(PDFName.of('FT')) === PDFName.of('Sig') && dict.has(PDFName.of('V'))) {
      dict.delete(PDFName.of('V'));
      this.changed.add(dict);
    }
    if (dict.lookup(PDFName.of('Type')) === PDFName.of('Sig') || dict.has(PDFName.of('ByteRange'))) return;
    for (const [name, value] of dict.entries()) {
      const key = name.decodeText();
      const kind = BYTE_KEYS.has(key) ? 'bytes' : XML_KEYS.has(key) ? 'xml' : TEXT_KEYS.has(key) ? 'text' : null;
      if (!kind) continue;
      if (isString(value)) {
        const masked = maskedString(value, this.mask, kind);
        if (masked) {
          dict.set(name, masked);
          this.changed.add(dict);
        }
      } else if (this.maskHeld(value, kind)) {
        this.changed.add(dict);
      }
    }
  }

  /** Masks the strings held at a reference or in an array (options, multiple values); true when one changed. */
  private maskHeld(value: PDFObject, kind: 'text' | 'bytes' | 'xml'): boolean {
    if (value instanceof PDFRef) {
      const target = this.context.lookup(value);
      if (isString(target)) {
        const masked = maskedString(target, this.mask, kind);
        if (masked) this.context.assign(value, masked);
        return masked !== null;
      }
      return target instanceof PDFArray ? this.maskArray(target, kind) : false;
    }
    return value instanceof PDFArray ? this.maskArray(value, kind) : false;
  }

  private maskArray(array: PDFArray, kind: 'text' | 'bytes' | 'xml'): boolean {
    let changed = false;
    array.asArray().forEach((item, index) => {
      if (isString(item)) {
        const masked = maskedString(item, this.mask, kind);
        if (masked) {
          array.set(index, masked);
          changed = true;
        }
      } else if (item instanceof PDFArray || item instanceof PDFRef) {
        changed = this.maskHeld(item, kind) || changed;
      }
    });
    return changed;
  }

  private maskXmp(ref: PDFRef, stream: PDFStream): void {
    let xml: string | null = null;
    try {
      xml = decodeXml(stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream.getContents());
    } catch {
      xml = null;
    }
    const masked = xml === null ? EMPTY_XMP : maskXmlText(xml, this.mask);
    this.visit(stream.dict);
    if (masked === xml) return;
    // Unfiltered, as PDF/A-1 requires of metadata streams.
    const dict = stream.dict.clone(this.context);
    for (const key of ['Filter', 'DecodeParms', 'DL']) dict.delete(PDFName.of(key));
    this.context.assign(ref, PDFRawStream.of(dict, Buffer.from(masked, 'utf8')));
  }

  /** File attachment annotations, and the pop-ups that belong to them, leave the page. */
  private dropAttachmentAnnotations(page: PDFDict): void {
    const annots = page.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) return;
    const items = annots.asArray();
    const dicts = items.map((item) => this.context.lookup(item));
    const isA = (dict: PDFObject | undefined, subtype: string) => dict instanceof PDFDict && dict.lookup(PDFName.of('Subtype')) === PDFName.of(subtype);
    const dropped = new Set(dicts.filter((dict) => isA(dict, 'FileAttachment')));
    if (dropped.size === 0) return;
    const kept = items.filter((_, index) => {
      const dict = dicts[index];
      if (dropped.has(dict)) return false;
      return !(isA(dict, 'Popup') && dropped.has((dict as PDFDict).lookup(PDFName.of('Parent'))));
    });
    page.set(PDFName.of('Annots'), this.context.obj(kept));
    this.changed.add(page);
  }
}

/** A metadata stream (its Subtype, XML, is sometimes left out). */
function isXmp(stream: PDFStream): boolean {
  const subtype = stream.dict.lookup(PDFName.of('Subtype'));
  return stream.dict.lookup(PDFName.of('Type')) === PDFName.of('Metadata') && (subtype === undefined || subtype === PDFName.of('XML'));
}

/** XMP bytes as text: UTF-8 unless a byte order mark or the first character says UTF-16 (XMP allows no other). */
function decodeXml(bytes: Uint8Array): string {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0x00 && bytes[1] === 0x3c)) return new TextDecoder('utf-16be').decode(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0x3c && bytes[1] === 0x00)) return new TextDecoder('utf-16le').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8 (a writer that wrote Latin-1): read as such, written back as UTF-8.
    return Buffer.from(bytes).toString('latin1');
  }
}

/** The document information: every string is text, dates excepted. */
function maskInfo(context: PDFContext, mask: TextMask): void {
  const info = context.lookup(context.trailerInfo.Info);
  if (!(info instanceof PDFDict)) return;
  for (const [name, value] of info.entries()) {
    const target = value instanceof PDFRef ? context.lookup(value) : value;
    if (!isString(target)) continue;
    if ((name === PDFName.of('CreationDate') || name === PDFName.of('ModDate')) && PDF_DATE.test(target.decodeText())) continue;
    const masked = maskedString(target, mask, 'text');
    if (!masked) continue;
    if (value instanceof PDFRef) context.assign(value, masked);
    else info.set(name, masked);
  }
}

/** Masks the document's text outside page content, in place. */
export function maskDocumentText(context: PDFContext, mask: TextMask): void {
  maskInfo(context, mask);
  const catalog = context.lookup(context.trailerInfo.Root);
  if (!(catalog instanceof PDFDict)) return;
  for (const key of DROPPED_CATALOG_KEYS) catalog.delete(PDFName.of(key));
  catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.delete(PDFName.of('EmbeddedFiles'));
  const walk = new DocumentWalk(context, mask);
  walk.visit(context.trailerInfo.Root);
  let empty: PDFRef | null = null;
  for (const page of walk.pages) {
    for (const item of page.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) {
      const annot = context.lookup(item);
      if (annot instanceof PDFDict && annot.has(PDFName.of('AP')) && changedWithAncestors(context, annot, walk.changed)) {
        empty ??= context.register(context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 1, 1] }));
        annot.set(PDFName.of('AP'), context.obj({ N: empty }));
        annot.delete(PDFName.of('AS'));
      }
    }
  }
}

/** The annotation, or the field it is a widget of (or any field above), had text masked or dropped. */
function changedWithAncestors(context: PDFContext, dict: PDFDict, changed: Set<PDFDict>): boolean {
  let current: PDFDict | undefined = dict;
  for (let depth = 0; current && depth < 32; depth++) {
    if (changed.has(current)) return true;
    const parent: PDFObject | undefined = current.lookup(PDFName.of('Parent'));
    current = parent instanceof PDFDict && parent.lookup(PDFName.of('Type')) !== PDFName.of('Page') ? parent : undefined;
  }
  return false;
}
