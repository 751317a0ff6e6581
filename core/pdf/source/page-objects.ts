/**
 * One page and everything it refers to — contents, resources, images, its Parent chain for what
 * it inherits; not the other pages below a Pages node — read into a context of its own, from
 * which the page is copied untouched (PDFObjectCopier, searchable-pdf.ts).
 */
import { PDFArray, PDFContext, PDFDict, PDFPageLeaf, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { LazySourceError } from './lazy-source-error.js';
import type { ObjectReader, ReadBudget } from './object-reader.js';
import { NAME } from './pdf-names.js';
import type { SourcePage } from './source-pdf.js';

/** The page at `pageRef` in a context of its own, and the bytes read for it. */
export async function readPageObjects(reader: ObjectReader, pageRef: PDFRef, maxBytes: number): Promise<{ page: SourcePage; bytes: number }> {
  const context = PDFContext.create();
  const budget: ReadBudget = { bytes: 0, max: maxBytes };
  const seen = new Set<PDFRef>();
  const queue: PDFRef[] = [pageRef];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const object = await reader.read(ref, context, budget);
    forEachRef(object, (found) => {
      if (!seen.has(found)) queue.push(found);
    });
  }
  const node = context.lookup(pageRef);
  if (!(node instanceof PDFPageLeaf)) throw new LazySourceError(`${pageRef} is not a page`);
  return { page: { context, node }, bytes: budget.bytes };
}

/** Every reference in `object`, except a page tree node's kids (the other pages). */
function forEachRef(object: PDFObject, visit: (ref: PDFRef) => void): void {
  if (object instanceof PDFRef) {
    visit(object);
  } else if (object instanceof PDFArray) {
    for (const item of object.asArray()) forEachRef(item, visit);
  } else if (object instanceof PDFDict) {
    const treeNode = object.get(NAME.Type) === NAME.Pages || (object.has(NAME.Count) && !object.has(NAME.Type));
    for (const [key, value] of object.entries()) {
      if (treeNode && key === NAME.Kids) continue;
      forEachRef(value, visit);
    }
  } else if (object instanceof PDFStream) {
    forEachRef(object.dict, visit);
  }
}
