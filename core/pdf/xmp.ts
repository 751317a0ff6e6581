/**
 * The XMP packet written into every searchable PDF, mirroring its document information entry for
 * entry (PDF/A requires the two to agree), with the PDF/A identification when the file claims
 * it, and — as PDF/A requires for any property outside the standard schemas — a description of
 * Acervo's own properties.
 */

export const ACERVO_XMP_NAMESPACE = 'https://acervo.dev/ns/1.0/';

export interface PdfMetadata {
  title: string;
  /** The original file, as a path relative to the folder it was ingested from. */
  sourceFile: string;
  sourceSha256: string;
  pageCount: number;
  /** Tesseract codes, e.g. ['por', 'spa', 'eng']. */
  ocrLanguages: readonly string[];
  creatorTool: string;
  producer: string;
  createdAt: Date;
  /** When the file was last written, if not when it was made (a rewrite with staff's corrections). */
  modifiedAt?: Date;
  keywords: readonly string[];
  /** The PDF/A part and level the file conforms to; null for plain PDF. */
  conformance: { part: 1 | 2; level: 'B' } | null;
  /** What the record is: its type, own date, identifiers and the inventory's notes (absent ones left out). */
  record?: {
    documentType: string | null;
    /** ISO YYYY-MM-DD. */
    date: string | null;
    /** e.g. "processo 1873/1987", "decreto 345/1990". */
    identifiers: readonly string[];
    collection: string | null;
    box: string | null;
    notes: string | null;
  };
}

/** ISO 639-1 for the dc:language bag, from Tesseract's ISO 639-2 codes. */
const LANGUAGE_TAGS: Record<string, string> = { por: 'pt', spa: 'es', eng: 'en', fra: 'fr', ita: 'it', deu: 'de' };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

/** The document information's Subject and the XMP's dc:description: what the PDF is a copy of. */
export function subjectOf(meta: Pick<PdfMetadata, 'sourceFile' | 'sourceSha256'>): string {
  return `${meta.sourceFile} — SHA-256 ${meta.sourceSha256}`;
}

/** Seconds, as the document information's dates carry them. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keywords as one string, the same in the document information and the XMP. */
export function keywordList(meta: Pick<PdfMetadata, 'keywords'>): string {
  return meta.keywords.join(', ');
}

export function xmpPacket(meta: PdfMetadata): string {
  const date = xmpDate(meta.createdAt);
  const modified = xmpDate(meta.modifiedAt ?? meta.createdAt);
  const languages = meta.ocrLanguages.map((l) => `<rdf:li>${escapeXml(LANGUAGE_TAGS[l] ?? l)}</rdf:li>`).join('');
  return xmpEnvelope(
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:source>${escapeXml(meta.sourceFile)}</dc:source>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(subjectOf(meta))}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag>${languages}</rdf:Bag></dc:language>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${modified}</xmp:ModifyDate>
   <xmp:MetadataDate>${modified}</xmp:MetadataDate>
   <xmp:CreatorTool>${escapeXml(meta.creatorTool)}</xmp:CreatorTool>
   <pdf:Producer>${escapeXml(meta.producer)}</pdf:Producer>
   <pdf:Keywords>${escapeXml(keywordList(meta))}</pdf:Keywords>
   <acervo:sourceFile>${escapeXml(meta.sourceFile)}</acervo:sourceFile>
   <acervo:sourceSha256>${escapeXml(meta.sourceSha256)}</acervo:sourceSha256>
   <acervo:pageCount>${meta.pageCount}</acervo:pageCount>
   <acervo:ocrLanguages>${escapeXml(meta.ocrLanguages.join('+'))}</acervo:ocrLanguages>${recordXmp(meta.record)}`,
    meta.conformance ? pdfaXmp(meta.conformance) : '',
  );
}

/**
 * An XMP packet: one description of the PDF, in the Dublin Core, XMP basic, Adobe PDF and Acervo
 * namespaces, holding `properties` (lines after its dc:format), then `more` (further descriptions:
 * the PDF/A identification and extension schemas).
 */
export function xmpEnvelope(properties: string, more: string): string {
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:acervo="${ACERVO_XMP_NAMESPACE}">
   <dc:format>application/pdf</dc:format>
${properties}
  </rdf:Description>${more}
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** The record's own description: Dublin Core where it has a term (type, date, identifier, description), Acervo's otherwise. */
function recordXmp(record: PdfMetadata['record']): string {
  if (!record) return '';
  const lines: string[] = [];
  if (record.documentType) lines.push(`<dc:type><rdf:Bag><rdf:li>${escapeXml(record.documentType)}</rdf:li></rdf:Bag></dc:type>`);
  if (record.date) lines.push(`<dc:date><rdf:Seq><rdf:li>${escapeXml(record.date)}</rdf:li></rdf:Seq></dc:date>`);
  if (record.identifiers.length > 0) lines.push(`<dc:identifier>${escapeXml(record.identifiers.join('; '))}</dc:identifier>`);
  if (record.notes) lines.push(`<acervo:notes>${escapeXml(record.notes)}</acervo:notes>`);
  if (record.collection) lines.push(`<acervo:collection>${escapeXml(record.collection)}</acervo:collection>`);
  if (record.box) lines.push(`<acervo:box>${escapeXml(record.box)}</acervo:box>`);
  return lines.map((line) => `\n   ${line}`).join('');
}

/** A property outside the standard schemas, as a PDF/A extension schema must describe it. */
export type XmpProperty = [name: string, valueType: 'Text' | 'Integer', description: string];

/** Acervo's own properties, as the PDF/A extension schema describes them. */
const ACERVO_PROPERTIES: readonly XmpProperty[] = [
  ['sourceFile', 'Text', 'The original scan, as a path relative to the folder it was ingested from'],
  ['sourceSha256', 'Text', 'SHA-256 of the original scan'],
  ['pageCount', 'Integer', 'Pages in this PDF'],
  ['ocrLanguages', 'Text', 'Tesseract languages the text was read with'],
  ['collection', 'Text', 'The collection (fonds) the record belongs to'],
  ['box', 'Text', 'The archive box the record was kept in'],
  ['notes', 'Text', "Notes from the archive's inventory"],
];

/** The PDF/A identification and the description of Acervo's properties (those of a searchable PDF unless others are named). */
export function pdfaXmp(conformance: NonNullable<PdfMetadata['conformance']>, described: readonly XmpProperty[] = ACERVO_PROPERTIES): string {
  const properties = described.map(
    ([name, valueType, description]) => `
         <rdf:li rdf:parseType="Resource">
          <pdfaProperty:name>${name}</pdfaProperty:name>
          <pdfaProperty:valueType>${valueType}</pdfaProperty:valueType>
          <pdfaProperty:category>external</pdfaProperty:category>
          <pdfaProperty:description>${escapeXml(description)}</pdfaProperty:description>
         </rdf:li>`,
  ).join('');
  return `
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>${conformance.part}</pdfaid:part>
   <pdfaid:conformance>${conformance.level}</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Acervo archival record</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>${ACERVO_XMP_NAMESPACE}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>acervo</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>${properties}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>`;
}
