/**
 * pdf.js on a PDF, either from its bytes (small files) or by byte ranges read from disk as pdf.js
 * asks for them (large files: nothing is read whole).
 *
 * pdf.js keeps every range it has read for as long as the document is open (its ChunkedStream
 * fills one array the length of the file), and keeps each page it has parsed. So a document read
 * by ranges is closed and opened again every so many pages or bytes read: memory is then what a
 * window of pages holds, however long the file. Reopening costs reading the cross-reference again,
 * a few milliseconds; when opening alone read most of the file (pdf.js rebuilt a damaged
 * cross-reference by reading it all), reopening would only repeat that and is not done.
 *
 * What is not independent of the length: opening, pdf.js visits every page's dictionary (it
 * checks the last page exists), and keeps the range chunks those lie in. With object streams
 * (pdf-lib's and most modern writers' output) that is a few chunks in all; where each page's
 * dictionary sits between the scans, one small chunk (rangeChunkSize) per page: with 4 KB
 * chunks, some 4.4 KB per page, 2.2 MB for 500 pages.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pdfjs } from './pdfjs.js';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

type DocumentInitParameters = Exclude<Parameters<typeof pdfjs.getDocument>[0], string | URL | ArrayBuffer | Uint8Array>;
import { AppError } from '../../errors.js';
import type { RandomAccessFile } from '../../pdf/source/random-access-file.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));

export interface PdfjsWindow {
  /** Reopen after this many pages… */
  reopenPages: number;
  /** …or once this many bytes of the file were read since opening. */
  reopenBytes: number;
  /** The granularity of pdf.js's range requests. */
  rangeChunkSize: number;
  /** Told each time the document is opened (tests count reopenings). */
  onOpen?: () => void;
}

/** pdf.js's view of the document, page by page. */
export interface PdfjsReader {
  readonly numPages: number;
  /** Bytes of the file the open pdf.js document holds. */
  readonly bytesHeld: number;
  /** Page `index` (from 0); the previous page must be done with. */
  page(index: number): Promise<PDFPageProxy>;
  /** `work` on a page, or the read failure that would otherwise leave pdf.js waiting for bytes. */
  guard<T>(work: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function commonParameters(maxImagePixels: number): DocumentInitParameters {
  return {
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // The last line of defence against decompression bombs: pdf.js skips larger images.
    maxImageSize: maxImagePixels,
    wasmUrl: `${pdfjsRoot}/wasm/`,
    standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
    cMapUrl: `${pdfjsRoot}/cmaps/`,
    cMapPacked: true,
  };
}

async function load(parameters: DocumentInitParameters): Promise<PDFDocumentProxy> {
  try {
    return await pdfjs.getDocument(parameters).promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new AppError('PDF_ENCRYPTED', 'The PDF is protected by a password; save an unprotected copy and ingest that.', { cause: error });
    }
    if (error instanceof AppError) throw error;
    throw new AppError('PDF_CORRUPT', `The PDF cannot be read (${(error as Error).message}); it is damaged or not really a PDF — export or scan it again.`, { cause: error });
  }
}

/** pdf.js on the file's bytes, which it takes over (they must be an array of their own). */
export async function openPdfjsFromBytes(bytes: Uint8Array, maxImagePixels: number): Promise<PdfjsReader> {
  const doc = await load({ ...commonParameters(maxImagePixels), data: bytes });
  const size = bytes.length;
  return {
    numPages: doc.numPages,
    bytesHeld: size,
    page: (index) => doc.getPage(index + 1),
    guard: (work) => work,
    close: () => doc.destroy(),
  };
}

/** Hands pdf.js the byte ranges it asks for, read from the file. */
class FileRangeTransport extends pdfjs.PDFDataRangeTransport {
  /** Bytes handed to pdf.js so far. */
  loaded = 0;
  private aborted = false;

  constructor(
    private readonly file: RandomAccessFile,
    private readonly onFailure: (error: Error) => void,
  ) {
    super(file.size, null, false);
  }

  override requestDataRange(begin: number, end: number): void {
    this.file.read(begin, end - begin).then(
      (bytes) => {
        if (this.aborted) return;
        this.loaded += bytes.length;
        try {
          this.onDataRange(begin, bytes);
        } catch (error) {
          // Only when pdf.js was being torn down meanwhile.
          if (!this.aborted) this.onFailure(error as Error);
        }
      },
      (error: Error) => {
        if (!this.aborted) this.onFailure(error);
      },
    );
  }

  override abort(): void {
    this.aborted = true;
  }
}

/** pdf.js on the file by byte ranges, reopened every window of pages. */
export async function openPdfjsByRanges(file: RandomAccessFile, maxImagePixels: number, window: PdfjsWindow): Promise<PdfjsReader> {
  // A read that fails leaves pdf.js waiting for bytes forever: whatever waits on pdf.js is
  // failed instead. (Not by racing one long-lived promise: each race would stay attached to it,
  // and with it each page's result, for the document's life.)
  let failure: AppError | null = null;
  const waiting = new Set<(error: AppError) => void>();
  const fail = (error: Error) => {
    if (failure) return;
    failure = new AppError('INPUT_UNREADABLE', `The PDF could not be read further (${error.message}).`, { cause: error });
    for (const reject of waiting) reject(failure);
    waiting.clear();
  };
  const guard = <T>(work: Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      work.then(
        (value) => {
          waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(reject);
          reject(error);
        },
      );
    });
  };

  const open = async (): Promise<{ doc: PDFDocumentProxy; transport: FileRangeTransport }> => {
    const transport = new FileRangeTransport(file, fail);
    const doc = await guard(load({ ...commonParameters(maxImagePixels), range: transport, rangeChunkSize: window.rangeChunkSize, disableAutoFetch: true, disableStream: true }));
    window.onOpen?.();
    return { doc, transport };
  };

  let current = await open();
  const numPages = current.doc.numPages;
  // Opening read most of the file: pdf.js rebuilt its cross-reference from the whole of it.
  const reopen = current.transport.loaded < file.size / 2;
  let openedAt = 0;
  let loadedAtOpen = current.transport.loaded;

  return {
    numPages,
    get bytesHeld() {
      return current.transport.loaded;
    },
    async page(index) {
      if (failure) throw failure;
      const pages = index - openedAt;
      const bytes = current.transport.loaded - loadedAtOpen;
      if (reopen && pages > 0 && (pages >= window.reopenPages || bytes >= window.reopenBytes)) {
        await current.doc.destroy();
        current = await open();
        if (current.doc.numPages !== numPages) {
          throw new AppError('PDF_CORRUPT', `The PDF changed while being read (${numPages} pages, then ${current.doc.numPages}).`);
        }
        openedAt = index;
        loadedAtOpen = current.transport.loaded;
      }
      return guard(current.doc.getPage(index + 1));
    },
    guard,
    close: () => current.doc.destroy(),
  };
}
