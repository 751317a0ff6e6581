/**
 * The page tree walked from the catalog down, keeping only where each page lies (its reference):
 * the leaves in order, as pdf-lib's PDFPageTree.traverse finds them. Each node is parsed into a
 * context of its own and dropped, so a long document's tree costs its references only.
 */
import { PDFArray, PDFContext, PDFDict, PDFPageLeaf, PDFPageTree, PDFRef } from 'pdf-lib';
import { LazySourceError } from './lazy-source-error.js';
import type { ObjectReader } from './object-reader.js';
import { NAME } from './pdf-names.js';

const MAX_TREE_DEPTH = 64;

export async function readPageRefs(reader: ObjectReader, root: PDFRef): Promise<PDFRef[]> {
  const context = PDFContext.create();
  const budget = { bytes: 0, max: Number.POSITIVE_INFINITY };
  const catalog = await reader.read(root, context, budget);
  if (!(catalog instanceof PDFDict)) throw new LazySourceError('the catalog is not a dictionary');
  const pagesRef = catalog.get(NAME.Pages);
  if (!(pagesRef instanceof PDFRef)) throw new LazySourceError('the catalog has no page tree');
  const leaves: PDFRef[] = [];
  const visited = new Set<PDFRef>();
  const walk = async (ref: PDFRef, depth: number): Promise<void> => {
    if (visited.has(ref)) throw new LazySourceError('the page tree loops');
    if (depth > MAX_TREE_DEPTH) throw new LazySourceError('the page tree is too deep');
    visited.add(ref);
    // A context per node: the tree's leaves are not kept.
    const node = await reader.read(ref, PDFContext.create(), budget);
    if (node instanceof PDFPageLeaf) {
      leaves.push(ref);
    } else if (node instanceof PDFPageTree) {
      let kids = node.get(NAME.Kids);
      if (kids instanceof PDFRef) kids = await reader.read(kids, context, budget);
      if (!(kids instanceof PDFArray)) throw new LazySourceError('a page tree node has no Kids');
      for (const kid of kids.asArray()) {
        if (!(kid instanceof PDFRef)) throw new LazySourceError('a page tree kid is not a reference');
        await walk(kid, depth + 1);
      }
    }
  };
  await walk(pagesRef, 0);
  return leaves;
}
