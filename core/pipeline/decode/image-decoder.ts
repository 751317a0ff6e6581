/**
 * PNG, JPEG and TIFF (multi-page, CCITT G4, JPEG-in-TIFF, LZW...) through sharp/libvips,
 * one page at a time. Alpha is flattened onto white paper, palettes and CMYK become RGB,
 * greyscale stays grey (and bilevel stays 0/255), EXIF orientation is applied.
 */
import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../../errors.js';
import { rasterToPageMatrix } from '../../geometry.js';
import type { ConvertOptions, MediaType, PageRaster } from '../../model.js';
import { g4PageOf, tiffPages } from '../../pdf/g4.js';
import type { PageImage } from '../../pdf/page-image.js';
import type { DecodedDocument, DecodedPage, MissingPart, PageVisual } from './decoded-document.js';
import { END_MARKERS, lacksEndMarker } from './end-marker.js';
import { resolveDpi } from './resolution.js';
import { tiffExtent } from './tiff-structure.js';

type SharpInputOptions = NonNullable<Parameters<typeof sharp>[1]>;

export async function openImage(file: string, mediaType: MediaType, options: ConvertOptions): Promise<DecodedDocument> {
  let incomplete: MissingPart | null = null;
  const inputOptions = (page: number): SharpInputOptions => ({
    page,
    // Notice truncated files rather than silently reading half a page; tolerate harmless warnings.
    // A single image found cut short is then read as far as it goes, and marked incomplete.
    failOn: incomplete ? 'none' : 'truncated',
    limitInputPixels: options.maxImagePixels,
  });
  const first = await readMetadata(file, inputOptions(0));
  let pageCount = mediaType === 'image/tiff' ? Math.max(1, first.pages ?? 1) : 1;
  if (mediaType === 'image/tiff') {
    const extent = await tiffExtent(file);
    if (extent?.damage) {
      // libtiff reads the chain as far as it reaches: only pages wholly in the file are kept.
      const expected = extent.declaredPages ?? null;
      const message = `The TIFF is cut short: ${extent.damage}; ${extent.intactPages} page(s) read${expected ? ` of ${expected} expected` : ''}.`;
      if (extent.intactPages === 0) throw new AppError('INPUT_TRUNCATED', `${message} Copy the whole file again.`, { details: { pagesRead: 0, pagesExpected: expected, fileBytes: extent.fileBytes } });
      pageCount = Math.min(pageCount, extent.intactPages);
      incomplete = { message, details: { pagesRead: pageCount, pagesExpected: expected, fileBytes: extent.fileBytes } };
    }
  }
  // A bilevel TIFF's G4 pages go into the PDF as they are: its directories are read once.
  const g4Source = mediaType === 'image/tiff' && first.bitsPerSample === 1 ? await readG4Source(file) : null;

  async function decodePage(index: number): Promise<DecodedPage> {
    const meta = index === 0 ? first : await readMetadata(file, inputOptions(index));
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (width * height > options.maxImagePixels) throw tooLarge(index, width, height, options.maxImagePixels);
    // libvips reports 72 DPI for JPEGs that declare no density; only a declared unit is believed.
    const declared = mediaType === 'image/jpeg' && !meta.resolutionUnit ? undefined : meta.density;
    const { dpi, assumed } = resolveDpi(declared, options.assumeDpi);
    const grey = meta.space === 'b-w' || meta.space === 'grey16' || ((meta.channels ?? 3) <= 2 && !meta.isPalette);

    let pipeline = sharp(file, inputOptions(index)).autoOrient();
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    pipeline = pipeline.toColourspace(grey ? 'b-w' : 'srgb');
    let decoded: { data: Buffer; info: OutputInfo };
    try {
      decoded = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    } catch (error) {
      if (pageCount > 1 || incomplete || !(await lacksEndMarker(file, mediaType))) throw decodeError(error, index, options.maxImagePixels);
      // A JPEG or PNG without its end: what arrived is the top of the page, kept and read.
      const fileBytes = (await stat(file)).size;
      incomplete = { message: `The image is cut short: it ends at byte ${fileBytes} before its end marker (${END_MARKERS[mediaType]!.name}); the part of the page that arrived was read.`, details: { pagesRead: 1, pagesExpected: 1, fileBytes } };
      return decodePage(index);
    }
    const { data, info } = decoded;
    const raster: PageRaster = {
      width: info.width,
      height: info.height,
      channels: info.channels === 1 ? 1 : 3,
      data,
      dpiX: dpi,
      dpiY: dpi,
      dpiAssumed: assumed,
    };
    if (info.channels !== 1 && info.channels !== 3) throw new AppError('IMAGE_CORRUPT', `Page ${index + 1} decoded to ${info.channels} channels; expected grey or RGB.`);
    const visual: PageVisual = {
      kind: 'image',
      image: canPassThroughJpeg(mediaType, meta) && !incomplete
        ? { kind: 'jpeg', bytes: await readFile(file), width: raster.width, height: raster.height, channels: raster.channels }
        : passThroughG4(g4Source, index, raster) ?? { kind: 'raster', raster },
      dpiX: dpi,
      dpiY: dpi,
    };
    return {
      pageNo: index + 1,
      widthPt: (raster.width * 72) / dpi,
      heightPt: (raster.height * 72) / dpi,
      visual,
      raster,
      rasterToPage: rasterToPageMatrix(raster.width, raster.height, dpi, dpi),
      existingText: null,
    };
  }

  return {
    pageCount,
    get incomplete() {
      return incomplete;
    },
    sourcePdf: null,
    async *pages() {
      for (let index = 0; index < pageCount; index++) yield await decodePage(index);
    },
    async close() {},
  };
}

/** A JPEG goes into the PDF byte for byte when a PDF reader would show it the same way. */
function canPassThroughJpeg(mediaType: MediaType, meta: Metadata): boolean {
  return (
    mediaType === 'image/jpeg' &&
    (meta.space === 'srgb' || meta.space === 'b-w') &&
    (meta.channels === 1 || meta.channels === 3) &&
    (meta.orientation ?? 1) === 1
  );
}

/** Bilevel TIFFs larger than this are re-encoded page by page rather than read whole. */
const MAX_G4_FILE_BYTES = 256 * 1024 * 1024;

async function readG4Source(file: string): Promise<{ bytes: Buffer; pages: ReturnType<typeof tiffPages> } | null> {
  if ((await stat(file)).size > MAX_G4_FILE_BYTES) return null;
  const bytes = await readFile(file);
  try {
    return { bytes, pages: tiffPages(bytes) };
  } catch {
    return null; // libvips read it; if utif2 cannot, the page is simply re-encoded
  }
}

/** The page's own G4 data, when it matches what libvips decoded (same size, no turn applied). */
function passThroughG4(source: Awaited<ReturnType<typeof readG4Source>>, index: number, raster: PageRaster): PageImage | null {
  if (!source) return null;
  const image = g4PageOf(source.bytes, source.pages[index]);
  return image && image.width === raster.width && image.height === raster.height ? { kind: 'g4', image } : null;
}

async function readMetadata(file: string, options: SharpInputOptions): Promise<Metadata> {
  try {
    return await sharp(file, options).metadata();
  } catch (error) {
    throw decodeError(error, options.page ?? 0, options.limitInputPixels as number);
  }
}

function tooLarge(index: number, width: number, height: number, limit: number): AppError {
  const megapixels = ((width * height) / 1e6).toFixed(0);
  return new AppError(
    'IMAGE_TOO_LARGE',
    `Page ${index + 1} is ${width}×${height} pixels (${megapixels} MP), above the ${(limit / 1e6).toFixed(0)} MP limit for one image; if the scan is genuine, raise input.maxImagePixels.`,
    { details: { page: index + 1, width, height, limit } },
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? message;
}

function decodeError(error: unknown, index: number, limit: number): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) {
    return new AppError('IMAGE_TOO_LARGE', `Page ${index + 1} is above the ${(limit / 1e6).toFixed(0)} MP limit for one image; if the scan is genuine, raise input.maxImagePixels.`, { cause: error });
  }
  return new AppError('IMAGE_CORRUPT', `Page ${index + 1} cannot be decoded (${firstLine(error)}); the file is damaged or truncated, copy or scan it again.`, { cause: error });
}
