/**
 * Objects a PDF holds that nothing points to any more: pdf-lib keeps every object it parsed
 * (earlier revisions' objects, objects an incremental update freed, objects this process
 * replaced), and writes them all. Removing what the trailer cannot reach leaves the file holding
 * only what a reader of it can get to.
 */
import { PDFArray, PDFDict, PDFRef, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';

/** Deletes from `context` every indirect object the trailer (catalog, document information) does not reach; how many. */
export function removeUnreachableObjects(context: PDFContext): number {
  const reached = new Set<PDFRef>();
  const { Root, Info, Encrypt } = context.trailerInfo;
  const stack: PDFObject[] = [Root, Info, Encrypt].filter((object): object is PDFObject => object !== undefined);
  while (stack.length > 0) {
    const object = stack.pop()!;
    if (object instanceof PDFRef) {
      if (reached.has(object)) continue;
      reached.add(object);
      const target = context.lookup(object);
      if (target) stack.push(target);
    } else if (object instanceof PDFDict) {
      stack.push(...object.values());
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    } else if (object instanceof PDFStream) {
      stack.push(object.dict);
    }
  }
  let removed = 0;
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (reached.has(ref)) continue;
    context.delete(ref);
    removed++;
  }
  return removed;
}
