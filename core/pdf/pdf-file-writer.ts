/**
 * A PDF written to disk as it is made: each object goes to the file as soon as it is complete and
 * is then dropped from memory, so a 500-page document costs no more memory than a one-page one.
 * Objects are made with pdf-lib's PDFContext; this class only lays them out (header, objects,
 * cross-reference table, trailer) and hashes the bytes on the way.
 *
 * The file is written under a temporary name and renamed into place once complete and flushed:
 * readers see the old file or the new one, never half of one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PDFContext, PDFHexString, type PDFObject, type PDFRef } from 'pdf-lib';

/** %PDF-1.x and a comment of high bytes, which tells transfer tools (and PDF/A) the file is binary. */
const header = (version: PdfVersion) => Buffer.from(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n\n`, 'latin1');

/** 1.4 for PDF/A-1, which is based on it; 1.7 otherwise. */
export type PdfVersion = '1.4' | '1.7';

export interface WrittenPdf {
  bytes: number;
  sha256: string;
}

export class PdfFileWriter {
  readonly context = PDFContext.create();
  /** Byte offset of each object written, by object number. */
  private readonly offsets: number[] = [];
  private readonly hash = createHash('sha256');
  private position = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tempFile: string,
  ) {}

  static async create(tempDir: string, version: PdfVersion = '1.7'): Promise<PdfFileWriter> {
    await mkdir(tempDir, { recursive: true });
    const tempFile = path.join(tempDir, `${process.pid}-${randomBytes(6).toString('hex')}.pdf.partial`);
    const writer = new PdfFileWriter(await open(tempFile, 'w'), tempFile);
    await writer.write(header(version));
    return writer;
  }

  /** Writes every object registered in the context so far, and forgets them. */
  async flush(): Promise<void> {
    for (const [ref, object] of this.context.enumerateIndirectObjects()) {
      await this.writeObject(ref, object);
      this.context.delete(ref);
    }
  }

  /**
   * Writes what is left, the cross-reference table and the trailer (`root` is the catalog,
   * `info` the document information), flushes the file to disk and renames it to `target`.
   * `beforeRename` is told the finished file's size and checksum first, and may refuse it by
   * throwing (nothing is then put in place): a rewrite records the new checksum before the file
   * it names can be seen (core/pipeline/apply-corrections.ts).
   */
  async finish(root: PDFRef, info: PDFRef, target: string, beforeRename?: (written: WrittenPdf) => Promise<void> | void): Promise<WrittenPdf> {
    await this.flush();
    const xrefOffset = this.position;
    const size = this.context.largestObjectNumber + 1;
    const rows = ['xref', `0 ${size}`, '0000000000 65535 f\r'];
    for (let n = 1; n < size; n++) {
      const offset = this.offsets[n];
      rows.push(offset === undefined ? '0000000000 00000 f\r' : `${String(offset).padStart(10, '0')} 00000 n\r`);
    }
    const id = PDFHexString.of(randomBytes(16).toString('hex')).toString();
    const trailer = `trailer\n<< /Size ${size} /Root ${root.toString()} /Info ${info.toString()} /ID [${id} ${id}] >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
    await this.write(Buffer.from(`${rows.join('\n')}\n${trailer}`, 'latin1'));
    await this.handle.sync();
    await this.handle.close();
    this.closed = true;
    const written = { bytes: this.position, sha256: this.hash.digest('hex') };
    await beforeRename?.(written);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(this.tempFile, target);
    return written;
  }

  /** Abandons the file (after a failure): nothing is left behind. */
  async discard(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => {});
    }
    await rm(this.tempFile, { force: true });
  }

  private async writeObject(ref: PDFRef, object: PDFObject): Promise<void> {
    this.offsets[ref.objectNumber] = this.position;
    const open = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
    const close = Buffer.from('\nendobj\n', 'latin1');
    const bytes = Buffer.alloc(open.length + object.sizeInBytes() + close.length);
    open.copy(bytes, 0);
    const end = open.length + object.copyBytesInto(bytes, open.length);
    close.copy(bytes, end);
    await this.write(bytes);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    this.hash.update(bytes);
    this.position += bytes.length;
  }
}
