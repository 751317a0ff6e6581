/**
 * PDF/A-1b/-2b rules checked on a produced file with a real PDF parser (pdf-lib), since no
 * validator such as veraPDF can be installed on these machines. Returns every rule broken, as
 * "rule: detail" lines; an empty list means none of these rules is broken. Not a full validator:
 * the rules are those our writer could plausibly break.
 */
import { readFileSync } from 'node:fs';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFStream, PDFString, PDFHexString } from 'pdf-lib';

export interface PdfaReport {
  problems: string[];
  xmp: string;
  part: number | null;
}

const FORBIDDEN_KEYS = ['JavaScript', 'JS', 'Launch', 'EmbeddedFiles', 'AA', 'OPI', 'Alternates', 'Encrypt'];

export async function checkPdfa(file: string, part: 1 | 2): Promise<PdfaReport> {
  const bytes = readFileSync(file);
  const problems: string[] = [];
  const header = bytes.subarray(0, 32).toString('latin1');
  if (!header.startsWith(part === 1 ? '%PDF-1.4' : '%PDF-1.7')) problems.push(`header: ${JSON.stringify(header.slice(0, 8))}`);
  const second = bytes.subarray(bytes.indexOf(0x0a) + 1, bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1));
  if (second[0] !== 0x25 || [...second].filter((b) => b > 127).length < 4) problems.push('header: no binary comment line');

  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const trailer = doc.context.trailerInfo;
  if (trailer.Encrypt) problems.push('trailer: encrypted');
  if (!(trailer.ID instanceof PDFArray) || trailer.ID.size() !== 2) problems.push('trailer: no /ID with two entries');

  // The catalog's metadata: uncompressed XMP with the identification and every property described.
  const catalog = doc.catalog;
  const metadata = catalog.lookup(PDFName.of('Metadata'));
  let xmp = '';
  if (!(metadata instanceof PDFRawStream)) problems.push('metadata: no XMP stream');
  else {
    if (metadata.dict.get(PDFName.of('Filter'))) problems.push('metadata: the XMP stream is compressed');
    xmp = Buffer.from(metadata.contents).toString('utf8');
  }
  const claimed = /<pdfaid:part>(\d)<\/pdfaid:part>/.exec(xmp)?.[1];
  if (claimed !== String(part)) problems.push(`xmp: pdfaid:part is ${claimed ?? 'missing'}`);
  if (!/<pdfaid:conformance>B<\/pdfaid:conformance>/.test(xmp)) problems.push('xmp: pdfaid:conformance is not B');
  const described = new Set([...xmp.matchAll(/<pdfaProperty:name>(\w+)<\/pdfaProperty:name>/g)].map((m) => m[1]));
  for (const [, name] of xmp.matchAll(/<acervo:(\w+)>/g)) if (!described.has(name!)) problems.push(`xmp: acervo:${name} is not described by an extension schema`);
  if (!/<pdfaSchema:namespaceURI>https:\/\/acervo\.dev\/ns\/1\.0\/<\/pdfaSchema:namespaceURI>/.test(xmp)) problems.push('xmp: no extension schema for the acervo namespace');

  // Document information and XMP must say the same.
  const info = doc.context.lookup(trailer.Info) as PDFDict | undefined;
  const infoText = (key: string) => {
    const value = info?.lookup(PDFName.of(key));
    return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
  };
  const xmpValue = (pattern: RegExp) => decodeXml(pattern.exec(xmp)?.[1]);
  const pairs: Array<[string, string | undefined]> = [
    ['Title', xmpValue(/<dc:title><rdf:Alt><rdf:li xml:lang="x-default">([^<]*)</)],
    ['Subject', xmpValue(/<dc:description><rdf:Alt><rdf:li xml:lang="x-default">([^<]*)</)],
    ['Keywords', xmpValue(/<pdf:Keywords>([^<]*)</)],
    ['Creator', xmpValue(/<xmp:CreatorTool>([^<]*)</)],
    ['Producer', xmpValue(/<pdf:Producer>([^<]*)</)],
  ];
  for (const [key, inXmp] of pairs) if (infoText(key) !== undefined && infoText(key) !== inXmp) problems.push(`info/xmp: ${key} ${JSON.stringify(infoText(key))} ≠ ${JSON.stringify(inXmp)}`);
  for (const [key, tag] of [['CreationDate', 'xmp:CreateDate'], ['ModDate', 'xmp:ModifyDate']] as const) {
    const fromInfo = infoText(key) ? pdfDate(infoText(key)!) : undefined;
    const fromXmp = xmpValue(new RegExp(`<${tag}>([^<]*)<`));
    if (fromInfo !== undefined && (!fromXmp || Date.parse(fromXmp) !== fromInfo)) problems.push(`info/xmp: ${key} ≠ ${tag}`);
  }

  // An sRGB output intent with an embedded ICC profile.
  const intents = catalog.lookup(PDFName.of('OutputIntents'));
  const intent = intents instanceof PDFArray ? intents.lookup(0) : undefined;
  if (!(intent instanceof PDFDict) || intent.get(PDFName.of('S'))?.toString() !== '/GTS_PDFA1') problems.push('output intent: none with /S /GTS_PDFA1');
  else {
    const profile = intent.lookup(PDFName.of('DestOutputProfile'));
    if (!(profile instanceof PDFRawStream)) problems.push('output intent: no embedded ICC profile');
    else {
      const icc = Buffer.from(decodePDFRawStream(profile).decode());
      if (icc.subarray(36, 40).toString('latin1') !== 'acsp') problems.push('output intent: the profile is not ICC');
      if (icc.subarray(16, 20).toString('latin1') !== 'RGB ') problems.push('output intent: the profile is not RGB');
      if ((profile.dict.lookup(PDFName.of('N')) as PDFNumber | undefined)?.asNumber() !== 3) problems.push('output intent: /N is not 3');
      if (part === 1 && icc[8]! > 2) problems.push(`output intent: ICC v${icc[8]} in PDF/A-1`);
    }
  }

  // Every object: embedded fonts, no transparency, nothing forbidden.
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : null;
    if (!dict) continue;
    const where = `object ${ref.objectNumber}`;
    const name = (key: string) => dict.get(PDFName.of(key))?.toString();
    for (const key of FORBIDDEN_KEYS) if (dict.get(PDFName.of(key))) problems.push(`${where}: /${key}`);
    const action = name('S');
    if (name('Type') === '/Action' || ['/URI', '/Launch', '/JavaScript', '/GoToR', '/ImportData', '/SubmitForm', '/ResetForm', '/Sound', '/Movie'].includes(action ?? '')) {
      if (action !== '/GoTo') problems.push(`${where}: action ${action}`);
    }
    const smask = dict.get(PDFName.of('SMask'));
    if (smask && smask.toString() !== '/None') problems.push(`${where}: /SMask (transparency)`);
    const group = dict.lookup(PDFName.of('Group'));
    if (group instanceof PDFDict && group.get(PDFName.of('S'))?.toString() === '/Transparency') problems.push(`${where}: transparency group`);
    for (const key of ['CA', 'ca']) {
      const alpha = dict.lookup(PDFName.of(key));
      if (alpha instanceof PDFNumber && alpha.asNumber() < 1) problems.push(`${where}: /${key} ${alpha.asNumber()}`);
    }
    const blend = name('BM');
    if (blend && !['/Normal', '/Compatible'].includes(blend)) problems.push(`${where}: blend mode ${blend}`);
    const filters = dict.get(PDFName.of('Filter'));
    if (filters && /LZWDecode/.test(filters.toString())) problems.push(`${where}: LZW`);
    if (part === 1 && filters && /JPXDecode/.test(filters.toString())) problems.push(`${where}: JPEG 2000 in PDF/A-1`);
    if (name('Subtype') === '/Image' && dict.get(PDFName.of('Interpolate'))?.toString() === 'true') problems.push(`${where}: /Interpolate true`);
    if (name('Subtype') === '/PS') problems.push(`${where}: PostScript XObject`);
    if (name('Type') === '/FontDescriptor' && !['FontFile', 'FontFile2', 'FontFile3'].some((key) => dict.get(PDFName.of(key)))) problems.push(`${where}: font ${name('FontName')} not embedded`);
    if (name('Type') === '/Font' && ['/Type1', '/TrueType', '/CIDFontType0', '/CIDFontType2', '/MMType1'].includes(name('Subtype') ?? '') && !dict.get(PDFName.of('FontDescriptor'))) {
      problems.push(`${where}: font ${name('BaseFont')} has no descriptor (not embedded)`);
    }
  }
  return { problems, xmp, part: claimed ? Number(claimed) : null };
}

function decodeXml(text: string | undefined): string | undefined {
  return text?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** D:YYYYMMDDHHmmSS with Z or ±HH'mm', as ms since the epoch. */
function pdfDate(value: string): number {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return NaN;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
}

