/**
 * The page-by-page source PDF (core/pdf/source/: file-source-pdf.ts and what it reads with)
 * against pdf-lib's whole load: a page copied from either must come out the same, object for
 * object, byte for byte — on generated files with a cross-reference table, with a
 * cross-reference stream and object streams, with incremental updates of both kinds (one with a
 * PNG predictor and an indirect stream length), with inherited attributes, and on the
 * real-world PDFs beside the project. And what it cannot read (a damaged cross-reference, an
 * object not where it is said to be) is an error, never a silently different page.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFContext, PDFDict, PDFDocument, PDFName, PDFObjectCopier, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSourcePdf } from '../../core/pdf/source/file-source-pdf.js';
import { LazySourceError } from '../../core/pdf/source/lazy-source-error.js';
import { RandomAccessFile } from '../../core/pdf/source/random-access-file.js';
import { wholeSourcePdf, type SourcePdf } from '../../core/pdf/source/source-pdf.js';
import { unpredict } from '../../core/pdf/source/stream-decoding.js';
import { HAS_REAL_SCANS, REAL_SCANS_DIR } from '../helpers/paths.js';
import { incrementalUpdate, makePdf, pageParts, serialise, startxrefOf } from './pdf-fixtures.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-source-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return file;
}

/** A page copied into a fresh context, as addCopiedPage copies it, written out object by object. */
async function copied(source: SourcePdf, index: number): Promise<string[]> {
  const { context, node } = await source.page(index);
  const dest = PDFContext.create();
  const root = PDFObjectCopier.for(context, dest).copy(node);
  const text = (object: PDFObject) => {
    const bytes = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(bytes, 0);
    return Buffer.from(bytes).toString('latin1');
  };
  return [text(root), ...dest.enumerateIndirectObjects().map(([ref, object]) => `${ref.toString()} ${text(object)}`)];
}

async function whole(file: string): Promise<SourcePdf> {
  return wholeSourcePdf(await PDFDocument.load(readFileSync(file), { ignoreEncryption: true, updateMetadata: false }));
}

async function lazy(file: string): Promise<{ source: FileSourcePdf; close: () => Promise<void> }> {
  const input = await RandomAccessFile.open(file);
  try {
    const source = await FileSourcePdf.open(input);
    return { source, close: () => input.close() };
  } catch (error) {
    await input.close();
    throw error;
  }
}

/** Every page of `file` copies the same from both readers. */
async function expectSameCopies(file: string): Promise<number> {
  const reference = await whole(file);
  const { source, close } = await lazy(file);
  try {
    expect(source.pageCount).toBe(reference.pageCount);
    for (let i = 0; i < reference.pageCount; i++) expect(await copied(source, i), `${path.basename(file)} page ${i + 1}`).toEqual(await copied(reference, i));
    return source.pageCount;
  } finally {
    await close();
  }
}

describe('page-by-page source PDF', () => {
  it('copies pages the same as pdf-lib\'s whole load: cross-reference table', async () => {
    const file = write('table.pdf', await makePdf(5, { objectStreams: false }));
    expect(Buffer.from(readFileSync(file)).toString('latin1')).toMatch(/\nxref\n/);
    expect(await expectSameCopies(file)).toBe(5);
  });

  it('copies pages the same: cross-reference stream and object streams', async () => {
    const bytes = await makePdf(7, { objectStreams: true });
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toMatch(/\/Type \/XRef/);
    expect(text).toMatch(/\/Type \/ObjStm/);
    expect(await expectSameCopies(write('xref-stream.pdf', bytes))).toBe(7);
  });

  it('copies pages the same when they inherit resources, media box and rotation from the page tree', async () => {
    for (const objectStreams of [false, true]) {
      const file = write(`inherit-${objectStreams}.pdf`, await makePdf(3, { objectStreams, inherit: true }));
      expect(await expectSameCopies(file)).toBe(3);
      const { source, close } = await lazy(file);
      const { node } = await source.page(0);
      expect(node.has(PDFName.of('Resources'))).toBe(false);
      expect(node.Rotate()?.asNumber()).toBe(90);
      expect(node.Resources()?.lookup(PDFName.of('XObject'))).toBeInstanceOf(PDFDict);
      await close();
    }
  });

  it('reads the newest version of an object after an incremental update with a table, whose stream length is indirect', async () => {
    const base = await makePdf(3, { objectStreams: false });
    const tail = await incrementalUpdate(base, 1, '(updated) Tj', 'table', base.length);
    const file = write('update-table.pdf', Buffer.concat([Buffer.from(base), tail]));
    expect(await expectSameCopies(file)).toBe(3);
    const { source, close } = await lazy(file);
    expect((await copied(source, 1)).join('\n')).toContain('(updated) Tj');
    expect((await copied(source, 0)).join('\n')).not.toContain('(updated) Tj');
    await close();
  });

  it('reads an incremental update whose cross-reference stream uses a PNG predictor, over object streams', async () => {
    const base = await makePdf(4, { objectStreams: true });
    const tail = await incrementalUpdate(base, 2, '(streamed update) Tj', 'stream', base.length);
    const file = write('update-stream.pdf', Buffer.concat([Buffer.from(base), tail]));
    expect(await expectSameCopies(file)).toBe(4);
    const { source, close } = await lazy(file);
    expect((await copied(source, 2)).join('\n')).toContain('(streamed update) Tj');
    await close();
  });

  it('reads objects lying past 2 GiB (where 32-bit shifts turn offsets negative), through a table or a stream (a sparse file: no disk used)', async () => {
    for (const xref of ['table', 'stream'] as const) {
      const base = await makePdf(2, { objectStreams: xref === 'stream' });
      const at = 2 ** 31 + 4096;
      const tail = await incrementalUpdate(base, 0, '(beyond 2 GiB) Tj', xref, at);
      const file = path.join(folder, `sparse-${xref}.pdf`);
      const fd = openSync(file, 'w');
      writeSync(fd, base, 0, base.length, 0);
      writeSync(fd, tail, 0, tail.length, at);
      closeSync(fd);
      const { source, close } = await lazy(file);
      try {
        expect(source.pageCount).toBe(2);
        expect((await copied(source, 0)).join('\n')).toContain('(beyond 2 GiB) Tj');
        expect((await copied(source, 1)).join('\n')).not.toContain('(beyond 2 GiB) Tj');
      } finally {
        await close();
        rmSync(file);
      }
    }
  });

  it('reads a large object a little at a time, never taking a stream its first read cut short for a dictionary', async () => {
    const base = await makePdf(1, { objectStreams: false });
    const { page, root, size } = await pageParts(base, 0);
    const streamNo = size;
    // Over the size read in one go (64 MB by default, 1 MB here), the object is read 64 KiB first,
    // then more; its dictionary is padded so that the first read ends inside `stream`. The
    // stream's bytes are zeros: the part of the file left unwritten.
    const streamLength = 2 * 1024 * 1024;
    const head = (pad: number) => `\n${streamNo} 0 obj\n<< /Length ${streamLength} /Pad (${'x'.repeat(pad)}) >>\nstream\n`;
    const firstRead = 64 * 1024;
    const pad = firstRead - head(0).indexOf('stream') - 3 + 1;
    const opening = head(pad);
    expect(opening.slice(1, firstRead + 1).endsWith('>>\nstr')).toBe(true);
    const streamAt = base.length + 1;
    const pageAt = base.length + opening.length + streamLength;
    const updatedPage = page.node.clone();
    updatedPage.set(PDFName.of('Contents'), PDFRef.of(streamNo));
    const pageObject = `\nendstream\nendobj\n${page.ref.objectNumber} 0 obj\n${serialise(updatedPage)}\nendobj\n`;
    const xrefAt = pageAt + pageObject.length;
    const entry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;
    const trailer =
      `xref\n0 1\n0000000000 65535 f \n${page.ref.objectNumber} 1\n${entry(pageAt + '\nendstream\nendobj\n'.length)}${streamNo} 1\n${entry(streamAt)}` +
      `trailer\n<< /Size ${streamNo + 1} /Root ${root.toString()} /Prev ${startxrefOf(base)} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const file = path.join(folder, 'long-object.pdf');
    const fd = openSync(file, 'w');
    writeSync(fd, base, 0, base.length, 0);
    writeSync(fd, Buffer.from(opening, 'latin1'), 0, opening.length, base.length);
    writeSync(fd, Buffer.from(pageObject + trailer, 'latin1'), 0, pageObject.length + trailer.length, pageAt);
    closeSync(fd);
    const input = await RandomAccessFile.open(file);
    try {
      const source = await FileSourcePdf.open(input, { oneReadBytes: 1024 * 1024 });
      const { context, node } = await source.page(0);
      const contents = context.lookup(node.get(PDFName.of('Contents')) as PDFRef);
      expect(contents).toBeInstanceOf(PDFRawStream);
      expect((contents as PDFRawStream).contents.length).toBe(streamLength);
    } finally {
      await input.close();
      rmSync(file);
    }
  });

  it('undoes PNG predictors of every filter type', () => {
    // Two rows of 3 bytes: Sub, then Paeth.
    const original = [10, 20, 30, 15, 25, 200];
    const sub = [1, 10, 10, 10];
    const paeth = (row: number[], prev: number[]) => row.map((b, i) => {
      const a = i > 0 ? row[i - 1]! : 0;
      const b0 = prev[i]!;
      const c = i > 0 ? prev[i - 1]! : 0;
      const p = a + b0 - c;
      const predictor = Math.abs(p - a) <= Math.abs(p - b0) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b0) <= Math.abs(p - c) ? b0 : c;
      return (b - predictor + 256) & 0xff;
    });
    const data = Uint8Array.from([...sub, 4, ...paeth([15, 25, 200], [10, 20, 30])]);
    expect([...unpredict(data, 12, 1, 8, 3)]).toEqual(original);
  });

  it('refuses a file whose startxref points at nothing, and one whose cross-reference misplaces an object, instead of guessing', async () => {
    const bytes = Buffer.from(await makePdf(3, { objectStreams: false }));
    const text = bytes.toString('latin1');
    const at = text.lastIndexOf('startxref');
    const badStart = Buffer.concat([bytes.subarray(0, at), Buffer.from('startxref\n123\n%%EOF\n', 'latin1')]);
    await expect(lazy(write('bad-startxref.pdf', badStart))).rejects.toThrow();
    // pdf-lib's whole load does not use the cross-reference, and still reads it.
    expect((await whole(path.join(folder, 'bad-startxref.pdf'))).pageCount).toBe(3);

    // Move the entry of page 2's image a few bytes off: that page is refused, the others are read.
    const { page } = await pageParts(bytes, 1);
    const imageRef = page.node.Resources()!.lookup(PDFName.of('XObject'), PDFDict).values()[0] as PDFRef;
    const xrefAt = startxrefOf(bytes);
    const table = text.slice(xrefAt);
    const firstEntry = xrefAt + table.indexOf("\n", 5) + 1; // after "xref\n0 N\n"
    const entryAt = firstEntry + 20 * imageRef.objectNumber;
    const offset = Number(text.slice(entryAt, entryAt + 10));
    const damaged = Buffer.from(bytes);
    damaged.write(String(offset + 3).padStart(10, '0'), entryAt, 'latin1');
    const { source, close } = await lazy(write('bad-entry.pdf', damaged));
    try {
      await expect(source.page(1)).rejects.toMatchObject({ code: 'PDF_CORRUPT' });
      expect((await copied(source, 0)).length).toBeGreaterThan(1);
      expect((await copied(source, 2)).length).toBeGreaterThan(1);
    } finally {
      await close();
    }
  });

  it('refuses an object the cross-reference does not list, rather than copying a page without it', async () => {
    const bytes = Buffer.from(await makePdf(2, { objectStreams: false }));
    const { page } = await pageParts(bytes, 0);
    const imageRef = page.node.Resources()!.lookup(PDFName.of('XObject'), PDFDict).values()[0] as PDFRef;
    const text = bytes.toString('latin1');
    const xrefAt = startxrefOf(bytes);
    const table = text.slice(xrefAt);
    const entryAt = xrefAt + table.indexOf("\n", 5) + 1 + 20 * imageRef.objectNumber;
    const damaged = Buffer.from(bytes);
    damaged.write('0000000000 65535 f', entryAt, 'latin1');
    const { source, close } = await lazy(write('freed.pdf', damaged));
    try {
      await expect(source.page(0)).rejects.toMatchObject({ code: 'PDF_CORRUPT' });
    } finally {
      await close();
    }
  });

  it('keeps only a few pages parsed, reading a page again when asked after it was dropped', async () => {
    const file = write('many.pdf', await makePdf(20, { objectStreams: true }));
    const input = await RandomAccessFile.open(file);
    const source = await FileSourcePdf.open(input, { cachedPages: 3 });
    const first = await source.page(0);
    expect(await source.page(0)).toBe(first);
    for (let i = 1; i < 20; i++) await source.page(i);
    const again = await source.page(0);
    expect(again).not.toBe(first);
    expect(again.context.enumerateIndirectObjects().length).toBe(first.context.enumerateIndirectObjects().length);
    // A page's context holds that page's objects and its parents, not the other pages.
    const pageObjects = again.context.enumerateIndirectObjects().filter(([, o]) => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Page'));
    expect(pageObjects).toHaveLength(1);
    await input.close();
  });

  it('is an error, not a hang, on a file that is not a PDF', async () => {
    await expect(lazy(write('garbage.pdf', Buffer.from('%PDF-1.7\nnothing here at all\n')))).rejects.toBeInstanceOf(LazySourceError);
  });

  describe.skipIf(!HAS_REAL_SCANS)('on the real-world PDFs', () => {
    it('copies every page of each the same as the whole load does (or refuses the file)', async () => {
      const results: Record<string, string> = {};
      for (const name of readdirSync(REAL_SCANS_DIR).filter((f) => f.endsWith('.pdf'))) {
        const file = path.join(REAL_SCANS_DIR, name);
        let reference: SourcePdf;
        try {
          reference = await whole(file);
          reference.pageCount;
        } catch {
          results[name] = 'whole load fails';
          continue;
        }
        try {
          const { close } = await lazy(file);
          await close();
        } catch (error) {
          results[name] = `refused: ${(error as Error).message}`;
          continue;
        }
        await expectSameCopies(file);
        results[name] = 'same';
      }
      // Every file pdf-lib reads whole is read page by page too, except where noted.
      console.log(results);
      const same = Object.values(results).filter((r) => r === 'same').length;
      expect(same, JSON.stringify(results, null, 1)).toBeGreaterThanOrEqual(Object.keys(results).length - 2);
    });
  });
});
