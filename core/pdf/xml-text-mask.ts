/**
 * A mask applied to what an XML document (an XMP packet, an annotation's rich text) says: the
 * text between tags, CDATA sections, comments and attribute values, each decoded from its
 * entities, masked, and written back escaped. Markup stays as it is, so the document stays
 * well-formed and means the same: element and attribute names, processing instructions (the
 * xpacket header), namespace declarations, xml:lang, rdf:parseType, and the PDF/A identification
 * (pdfaid:*), which only ever holds a part number and a level.
 *
 * Each text and each value is masked on its own, so a title masked here reads exactly as the
 * same title masked in the document information (PDF/A requires the two to agree).
 */

export type TextMask = (text: string) => string;

/** Values that are markup, not text. */
function isMarkupAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name === 'xml:lang' || name === 'rdf:parseType' || name.startsWith('pdfaid:');
}

/** An ISO 8601 date or date-time, as XMP writes them: never a personal number, and PDF/A wants it to match the document information. */
const XMP_DATE = /^\s*\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?\s*$/;

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(code: number): string | null {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `raw` (XML-escaped) masked: written back only when the mask changed something. */
function maskEscaped(raw: string, mask: TextMask, quote?: '"' | "'"): string {
  const text = decodeEntities(raw);
  if (XMP_DATE.test(text)) return raw;
  const masked = mask(text);
  if (masked === text) return raw;
  const escaped = escapeText(masked);
  return quote === '"' ? escaped.replace(/"/g, '&quot;') : quote === "'" ? escaped.replace(/'/g, '&apos;') : escaped;
}

/** The attributes of a start tag (the part after its name), values masked. */
function maskAttributes(attributes: string, mask: TextMask): string {
  return attributes.replace(/([^\s=/>]+)(\s*=\s*)("([^"]*)"|'([^']*)')/g, (whole, name: string, equals: string, _quoted: string, double?: string, single?: string) => {
    if (isMarkupAttribute(name)) return whole;
    if (double !== undefined) return `${name}${equals}"${maskEscaped(double, mask, '"')}"`;
    return `${name}${equals}'${maskEscaped(single ?? '', mask, "'")}'`;
  });
}

export function maskXmlText(xml: string, mask: TextMask): string {
  let out = '';
  let position = 0;
  /** Open elements, innermost last: text inside pdfaid:* is left alone. */
  const open: string[] = [];
  const inIdentification = () => open.some((name) => name.startsWith('pdfaid:'));
  while (position < xml.length) {
    const lt = xml.indexOf('<', position);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > position) {
      const raw = xml.slice(position, textEnd);
      out += inIdentification() ? raw : maskEscaped(raw, mask);
      position = textEnd;
      continue;
    }
    if (xml.startsWith('<!--', position)) {
      const end = xml.indexOf('-->', position + 4);
      const stop = end < 0 ? xml.length : end;
      out += `<!--${mask(xml.slice(position + 4, stop))}${end < 0 ? '' : '-->'}`;
      position = end < 0 ? xml.length : end + 3;
    } else if (xml.startsWith('<![CDATA[', position)) {
      const end = xml.indexOf(']]>', position + 9);
      const stop = end < 0 ? xml.length : end;
      const text = xml.slice(position + 9, stop);
      out += `<![CDATA[${inIdentification() || XMP_DATE.test(text) ? text : mask(text)}${end < 0 ? '' : ']]>'}`;
      position = end < 0 ? xml.length : end + 3;
    } else if (xml.startsWith('<?', position)) {
      const end = xml.indexOf('?>', position + 2);
      const stop = end < 0 ? xml.length : end + 2;
      out += xml.slice(position, stop);
      position = stop;
    } else if (xml.startsWith('<!', position)) {
      // A document type declaration: markup.
      const end = xml.indexOf('>', position);
      const stop = end < 0 ? xml.length : end + 1;
      out += xml.slice(position, stop);
      position = stop;
    } else {
      const end = tagEnd(xml, position);
      const tag = xml.slice(position, end);
      position = end;
      if (tag.startsWith('</')) {
        open.pop();
        out += tag;
        continue;
      }
      const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
      const selfClosing = tag.endsWith('/>');
      out += `<${name}${maskAttributes(tag.slice(1 + name.length), mask)}`;
      if (!selfClosing) open.push(name);
    }
  }
  return out;
}

/** Just past the `>` closing the tag at `start`, quoted values skipped over. */
function tagEnd(xml: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return xml.length;
}
