/**
 * CCITT Group 4, the compression archives keep bilevel scans in: a 300 DPI A4 text page takes
 * tens of kilobytes. A PDF shows a G4 strip as it is (CCITTFaxDecode), so a G4 TIFF page goes in
 * byte for byte, and other bilevel pages are encoded by libvips (libtiff's G4 encoder) in one
 * strip. The TIFF's directories are read by utif2.
 */
import sharp from 'sharp';
import UTIF from 'utif2';
import type { PageRaster } from '../model.js';

export interface G4Image {
  /** One T.6 stream for the whole page. */
  data: Buffer;
  width: number;
  height: number;
  /**
   * libtiff codes 0 bits as white runs whatever the photometric tag says, so a BlackIsZero
   * (photometric 1) file's codes must be read with black as 1.
   */
  blackIs1: boolean;
}

/** The TIFF's image directories, one per page: parsed once per file. */
export function tiffPages(tiff: Buffer): UTIF.IFD[] {
  return UTIF.decode(tiff);
}

/**
 * The page's G4 data when a PDF can show it as it is: one strip, one bit, first bit the most
 * significant, no orientation to apply, no uncompressed mode; else null.
 */
export function g4PageOf(tiff: Buffer, page: UTIF.IFD | undefined): G4Image | null {
  if (!page) return null;
  const tag = (n: number) => (page[`t${n}`] as number[] | undefined)?.[0];
  const offsets = page.t273 as number[] | undefined;
  const counts = page.t279 as number[] | undefined;
  const photometric = tag(262);
  if (tag(259) !== 4 || (tag(258) ?? 1) !== 1 || (tag(277) ?? 1) !== 1 || (tag(266) ?? 1) !== 1 || (tag(274) ?? 1) !== 1) return null;
  if (((tag(293) ?? 0) & 2) !== 0 || (photometric !== 0 && photometric !== 1)) return null;
  if (offsets?.length !== 1 || counts?.length !== 1 || offsets[0]! + counts[0]! > tiff.length) return null;
  const width = tag(256);
  const height = tag(257);
  if (!width || !height) return null;
  return { data: tiff.subarray(offsets[0], offsets[0]! + counts[0]!), width, height, blackIs1: photometric === 1 };
}

/** libtiff writes at most this many rows in one strip here (sharp's tile height limit). */
const MAX_STRIP_ROWS = 32768;

/** A bilevel raster (0 and 255 only) as one G4 strip; null for a page too tall for one strip. */
export async function encodeG4(raster: PageRaster): Promise<G4Image | null> {
  if (raster.height > MAX_STRIP_ROWS) return null;
  const tiff = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 1 } })
    .toColourspace('b-w')
    // Not tiled: the tile height is the rows per strip, so the page is one strip.
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: raster.height, tileWidth: 16 })
    .toBuffer();
  return g4PageOf(tiff, tiffPages(tiff)[0]);
}
