/**
 * What a redacted copy says about itself, in its document information and its XMP (which PDF/A
 * wants to agree): that it is a redacted copy ("cópia tarjada"), of which document, made when and
 * by whom, and how many boxes cover it. Nothing of the original's metadata is carried over: its
 * title, paths, notes and identifiers may hold the very values the copy hides, so the title is
 * given already masked by the caller and nothing else of the record is written.
 */
import { PDFHexString, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { maskContactDetails } from '../privacy/contact-details.js';
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';
import { escapeXml, pdfaXmp, xmpDate, xmpEnvelope, type XmpProperty } from '../pdf/xmp.js';

export interface CopyFacts {
  /** The record's title, with personal data already masked. */
  title: string;
  /** The catalog id of the document copied; null for a PDF given by path. */
  documentId: number | null;
  /** Who made it (the signed-in user, or the operating-system user for the CLI). */
  madeBy: string;
  madeAt: Date;
  /** Boxes burned in. */
  boxes: number;
  producer: string;
}

const REDACTION_PROPERTIES: readonly XmpProperty[] = [
  ['redactedCopyOf', 'Text', 'The Acervo document this is a redacted copy of'],
  ['redactedBy', 'Text', 'Who made the redacted copy'],
  ['redactedAt', 'Text', 'When the redacted copy was made (ISO 8601)'],
  ['redactionBoxes', 'Integer', 'Boxes burned into the pages'],
];

/** A title or file name as a copy for a citizen may carry it: personal numbers, e-mail addresses and telephones masked. */
export function maskedForCopy(text: string): string {
  return maskContactDetails(maskPersonalNumbers(text));
}

export function copyTitle(facts: CopyFacts): string {
  return `${facts.title} (cópia tarjada)`;
}

export function copyDescription(facts: CopyFacts): string {
  const of = facts.documentId === null ? 'de um PDF' : `do documento ${facts.documentId} do Acervo`;
  return `Cópia tarjada ${of}: dados pessoais cobertos (LGPD). Feita em ${xmpDate(facts.madeAt)} por ${facts.madeBy}; ${facts.boxes} tarja(s).`;
}

const KEYWORDS = 'cópia tarjada, LGPD';

/** The copy's document information dictionary, registered in `context`. */
export function copyInfo(context: PDFContext, facts: CopyFacts): PDFRef {
  const text = (value: string) => PDFHexString.fromText(value);
  return context.register(
    context.obj({
      Title: text(copyTitle(facts)),
      Subject: text(copyDescription(facts)),
      Keywords: text(KEYWORDS),
      Creator: text(facts.producer),
      Producer: text(facts.producer),
      CreationDate: PDFString.fromDate(facts.madeAt),
      ModDate: PDFString.fromDate(facts.madeAt),
    }),
  );
}

/** The copy's XMP packet, with the PDF/A identification when the copy keeps the original's. */
export function copyXmp(facts: CopyFacts, conformance: { part: 1 | 2; level: 'B' } | null): string {
  const date = xmpDate(facts.madeAt);
  const source = facts.documentId === null ? '' : `acervo:document:${facts.documentId}`;
  return xmpEnvelope(
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(copyTitle(facts))}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(copyDescription(facts))}</rdf:li></rdf:Alt></dc:description>${source ? `\n   <dc:source>${source}</dc:source>` : ''}
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <xmp:CreatorTool>${escapeXml(facts.producer)}</xmp:CreatorTool>
   <pdf:Producer>${escapeXml(facts.producer)}</pdf:Producer>
   <pdf:Keywords>${escapeXml(KEYWORDS)}</pdf:Keywords>
   <acervo:redactedCopyOf>${escapeXml(source || 'pdf')}</acervo:redactedCopyOf>
   <acervo:redactedBy>${escapeXml(facts.madeBy)}</acervo:redactedBy>
   <acervo:redactedAt>${date}</acervo:redactedAt>
   <acervo:redactionBoxes>${facts.boxes}</acervo:redactionBoxes>`,
    conformance ? pdfaXmp(conformance, REDACTION_PROPERTIES) : '',
  );
}
