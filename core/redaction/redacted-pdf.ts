/**
 * A redacted copy ("cópia tarjada") of a PDF, for handing to a citizen under the LAI: the boxes
 * burned into the pages' pixels, the characters under them gone from the text, and nothing of
 * the original that could give them back.
 *
 * - A page with boxes is drawn anew, boxes burned in (burned-page.ts). So is a page with
 *   annotations (their appearance is drawn in, their text and hidden data go) and a page whose
 *   resources reach an image of a page with boxes (a scanner's PDF may share one resource
 *   dictionary among all its pages: what a page lists, not only what it draws, would be written).
 * - Every other page keeps its content, less what a reader cannot see: annotations, thumbnails,
 *   application data, its own metadata. Inherited attributes are written on each page first, so
 *   nothing hangs on the page tree either.
 * - The catalog keeps only the page tree, the language and the PDF/A output intent: no outlines,
 *   names (attachments, JavaScript), forms, structure tree, actions or old metadata. The document
 *   information and the XMP are new (copy-metadata.ts).
 * - The file is written whole, with only what the new catalog reaches: no earlier revision, no
 *   incremental update, no unreferenced original stream.
 *
 * PDF/A in, PDF/A out: the original's claim (part 1 or 2, level B) is kept when it had one, with
 * its output intent; the new pages are opaque images and Acervo's embedded glyphless font.
 */
import { EncryptedPDFError, ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFPageLeaf, PDFRawStream, PDFRef, PDFStream, type PDFContext } from 'pdf-lib';
import { AppError } from '../errors.js';
import { registerGlyphlessFont } from '../pdf/glyphless-font-object.js';
import { removeUnreachableObjects } from '../pdf/unreachable-objects.js';
import { openPdfjsFromBytes } from '../pipeline/decode/pdfjs-document.js';
import { burnPage } from './burned-page.js';
import { copyInfo, copyXmp, type CopyFacts } from './copy-metadata.js';
import type { PageBox } from './page-box.js';
import { readPage } from './page-reading.js';

export interface RedactedCopy {
  pdf: Uint8Array;
  pages: number;
  /** Pages drawn anew. */
  burnedPages: number;
  /** Of those, pages drawn by pdf.js (not scans as Acervo writes them, burned in their own pixels). */
  renderedPages: number;
  boxes: number;
  /** Characters left out of the text layer. */
  charactersRemoved: number;
  /** "PDF/A-2B" when the copy claims it; null for plain PDF. */
  conformance: string | null;
}

/** Page entries a reader does not see and that may carry data: annotations, thumbnails, application data, the page's XMP, structure links, actions. */
const PAGE_EXTRAS = ['Annots', 'Thumb', 'PieceInfo', 'Metadata', 'StructParents', 'B', 'AA', 'ID', 'PZ', 'SeparationInfo', 'Trans', 'PresSteps', 'Tabs', 'TemplateInstantiated', 'AF', 'DPart', 'OutputIntents'];
/** Attributes a page inherits from the page tree (ISO 32000-1, 7.7.3.4). */
const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];
/** What the copy's catalog keeps. */
const CATALOG_KEPT = new Set(['Type', 'Pages', 'Lang', 'OutputIntents']);
const MAX_FORM_DEPTH = 16;

/** `covered`: the boxes to burn in, by page number (from 1). */
export async function redactedPdf(pdf: Uint8Array, covered: ReadonlyMap<number, readonly PageBox[]>, facts: Omit<CopyFacts, 'boxes'>): Promise<RedactedCopy> {
  const doc = await load(pdf);
  const conformance = pdfaClaim(doc);
  const leaves = doc.getPages().map((page) => page.node);
  writeInheritedAttributes(doc);

  const secret = new Set<PDFRef>();
  leaves.forEach((leaf, index) => {
    if ((covered.get(index + 1) ?? []).length > 0) for (const ref of reachableXObjects(doc.context, leaf.Resources())) secret.add(ref);
  });
  const redrawn = leaves.map((leaf, index) => {
    if ((covered.get(index + 1) ?? []).length > 0 || hasAnnotations(leaf)) return true;
    for (const ref of reachableXObjects(doc.context, leaf.Resources())) if (secret.has(ref)) return true;
    return false;
  });

  let font: PDFRef | null = null;
  const glyphless = () => (font ??= registerGlyphlessFont(doc.context));
  let charactersRemoved = 0;
  let boxes = 0;
  let renderedPages = 0;
  const reader = await openPdfjsFromBytes(new Uint8Array(pdf), -1);
  try {
    for (const [index, leaf] of leaves.entries()) {
      if (redrawn[index]) {
        const pageBoxes = covered.get(index + 1) ?? [];
        const page = await reader.page(index);
        try {
          const burned = await burnPage(doc, leaf, page, await readPage(page), pageBoxes, glyphless);
          charactersRemoved += burned.charactersRemoved;
          if (burned.drawn) renderedPages++;
          boxes += pageBoxes.length;
        } finally {
          page.cleanup();
        }
      }
      for (const key of PAGE_EXTRAS) leaf.delete(PDFName.of(key));
    }
  } finally {
    await reader.close();
  }

  const context = doc.context;
  for (const key of doc.catalog.keys()) if (!CATALOG_KEPT.has(key.asString().slice(1))) doc.catalog.delete(key);
  if (!conformance) doc.catalog.delete(PDFName.of('OutputIntents'));
  const full: CopyFacts = { ...facts, boxes };
  doc.catalog.set(PDFName.of('Metadata'), context.register(context.stream(Buffer.from(copyXmp(full, conformance), 'utf8'), { Type: 'Metadata', Subtype: 'XML' })));
  context.trailerInfo.Info = copyInfo(context, full);
  removeUnreachableObjects(context);
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return {
    pdf: bytes,
    pages: leaves.length,
    burnedPages: redrawn.filter(Boolean).length,
    renderedPages,
    boxes,
    charactersRemoved,
    conformance: conformance ? `PDF/A-${conformance.part}${conformance.level}` : null,
  };
}

/** The PDF parsed whole by pdf-lib; coded errors when it cannot be. */
async function load(pdf: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (error) {
    if (error instanceof EncryptedPDFError) throw new AppError('PDF_ENCRYPTED', 'The PDF is encrypted; a redacted copy cannot be made of it.', { cause: error });
    throw new AppError('PDF_CORRUPT', `The PDF cannot be read (${(error as Error).message}); a redacted copy cannot be made of it.`, { cause: error });
  }
}

/** The PDF/A part and level the original claims in its XMP, with an output intent to back it; null otherwise. */
function pdfaClaim(doc: PDFDocument): { part: 1 | 2; level: 'B' } | null {
  const metadata = doc.catalog.lookup(PDFName.of('Metadata'));
  if (!(metadata instanceof PDFRawStream) || !(doc.catalog.lookup(PDFName.of('OutputIntents')) instanceof PDFArray)) return null;
  const xmp = Buffer.from(metadata.getContents()).toString('utf8');
  const part = /<pdfaid:part>([12])<\/pdfaid:part>|pdfaid:part="([12])"/.exec(xmp);
  return part ? { part: Number(part[1] ?? part[2]) as 1 | 2, level: 'B' } : null;
}

/** Each page gets the attributes it inherits as its own, and the page tree's nodes lose them. */
function writeInheritedAttributes(doc: PDFDocument): void {
  for (const { node } of doc.getPages()) {
    for (const key of INHERITABLE) {
      const value = node.getInheritableAttribute(PDFName.of(key));
      if (value !== undefined) node.set(PDFName.of(key), value);
    }
  }
  const root = doc.catalog.Pages();
  const nodes: PDFDict[] = [root];
  // traverse() visits the root's descendants, not the root.
  root.traverse((node) => {
    if (!(node instanceof PDFPageLeaf)) nodes.push(node);
  });
  for (const node of nodes) for (const key of INHERITABLE) node.delete(PDFName.of(key));
}

function hasAnnotations(leaf: PDFPageLeaf): boolean {
  const annots = leaf.lookup(PDFName.of('Annots'));
  return annots instanceof PDFArray && annots.size() > 0;
}

/** Every XObject (images and forms, through forms' and patterns' own resources) that `resources` lists. */
function reachableXObjects(context: PDFContext, resources: PDFDict | undefined): Set<PDFRef> {
  const found = new Set<PDFRef>();
  const seen = new Set<PDFDict>();
  const visit = (dict: PDFDict | undefined, depth: number) => {
    if (!dict || depth > MAX_FORM_DEPTH || seen.has(dict)) return;
    seen.add(dict);
    for (const category of ['XObject', 'Pattern']) {
      const entries = dict.lookupMaybe(PDFName.of(category), PDFDict);
      if (!entries) continue;
      for (const [, value] of entries.entries()) {
        if (value instanceof PDFRef) {
          if (found.has(value)) continue;
          found.add(value);
        }
        const object = context.lookup(value);
        const own = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
        visit(own?.lookupMaybe(PDFName.of('Resources'), PDFDict), depth + 1);
      }
    }
  };
  visit(resources, 0);
  return found;
}
