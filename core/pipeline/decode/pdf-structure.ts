/**
 * Whether a PDF ends where a PDF ends. pdf.js rebuilds a missing cross-reference table by
 * scanning the objects, so a PDF copied before the scanner finished it opens as a shorter
 * document without a word. A whole PDF ends with `startxref <offset>` and `%%EOF` (ISO 32000-1
 * §7.5.5), the offset inside the file; a file cut short has neither, or an offset past its end.
 * An incremental update (§7.5.6: objects, a cross-reference section, a trailer, its own %%EOF)
 * cut short leaves the earlier version's %%EOF near the end, followed by the start of the update:
 * pdf.js then reads the earlier version, again without a word.
 */
import type { RandomAccessFile } from '../../pdf/source/random-access-file.js';

/** Writers leave a little after %%EOF (line ends, padding, a printer's trailer). */
const TAIL_BYTES = 2048;

/** Why the file is not a whole PDF, or null. */
export async function pdfTailDamage(input: RandomAccessFile): Promise<string | null> {
  const start = Math.max(0, input.size - TAIL_BYTES);
  const tail = Buffer.from(await input.read(start, input.size - start)).toString('latin1');
  const eof = tail.lastIndexOf('%%EOF');
  if (eof < 0) return `it ends at byte ${input.size} without the end-of-file marker a whole PDF has (%%EOF)`;
  const startxref = /startxref\s+(\d+)\s*$/.exec(tail.slice(0, eof));
  if (startxref && Number(startxref[1]) >= input.size) return `its cross-reference table should lie at byte ${startxref[1]}, past its end at byte ${input.size}`;
  // Only what begins as PDF syntax counts: writers may leave padding or a printer's note after %%EOF.
  const update = UPDATE_START.exec(tail.slice(eof + 5));
  if (update) {
    const what = update[1] ? 'an object' : update[0].trim().startsWith('xref') ? 'a cross-reference table' : 'a trailer';
    return `an update after its end-of-file marker at byte ${start + eof} starts with ${what} and is cut off at byte ${input.size}, before its own end-of-file marker`;
  }
  return null;
}

/** The start of an incremental update: an object, a cross-reference section, a trailer or startxref. */
const UPDATE_START = /^[\s\0]*(?:(\d+\s+\d+\s+obj\b)|xref\b|trailer\b|startxref\b)/;

/**
 * The bytes of a PDF cut before its trailer, with a trailer naming its catalog appended: pdf.js
 * rebuilds the cross-reference by scanning objects but needs a trailer to find the catalog, and
 * the catalog (written early by most writers) still lists the pages. Null when no catalog is there.
 */
export function withRecoveredTrailer(bytes: Uint8Array): Uint8Array | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const catalog = text.search(/\/Type\s*\/Catalog\b/);
  if (catalog < 0) return null;
  const heads = [...text.slice(Math.max(0, catalog - 4096), catalog).matchAll(/(\d+)\s+(\d+)\s+obj\b/g)];
  const head = heads.at(-1);
  if (!head) return null;
  const trailer = Buffer.from(`\ntrailer\n<< /Root ${head[1]} ${head[2]} R >>\n`, 'latin1');
  const patched = new Uint8Array(bytes.byteLength + trailer.length);
  patched.set(bytes, 0);
  patched.set(trailer, bytes.byteLength);
  return patched;
}
