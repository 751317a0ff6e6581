/**
 * Turning a page raster: quarter turns exactly (orientation), small angles with interpolation
 * (deskew). A deskewed page keeps its size, on white: the corners that turn out of the frame
 * are margins, and the output page keeps the paper's physical size.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { PageRaster } from '../../model.js';
import { AppError } from '../../errors.js';
import { isBilevel } from '../../pdf/page-image.js';

const WHITE = { r: 255, g: 255, b: 255 };

/** `raster` turned clockwise by `degrees` (0, 90, 180, 270), then by `-skewDegrees`. */
export async function straighten(raster: PageRaster, degrees: 0 | 90 | 180 | 270, skewDegrees: number): Promise<PageRaster> {
  let page = await squarePixels(raster);
  if (degrees !== 0) {
    const { data, info } = await keepChannels(sharp(page.data, rawInput(page)).rotate(degrees), page.channels).raw().toBuffer({ resolveWithObject: true });
    assertSize(data.length, info.width * info.height * page.channels);
    const quarter = degrees === 90 || degrees === 270;
    page = { ...page, data, width: info.width, height: info.height, dpiX: quarter ? page.dpiY : page.dpiX, dpiY: quarter ? page.dpiX : page.dpiY };
  }
  if (skewDegrees !== 0) {
    const turned = await sharp(page.data, rawInput(page)).rotate(-skewDegrees, { background: WHITE }).raw().toBuffer({ resolveWithObject: true });
    const left = Math.floor((turned.info.width - page.width) / 2);
    const top = Math.floor((turned.info.height - page.height) / 2);
    let image = keepChannels(
      sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: turned.info.channels } }).extract({ left, top, width: page.width, height: page.height }),
      page.channels,
    );
    // Interpolation greys a bilevel page's edges: threshold it back, bilevel pages stay bilevel.
    if (isBilevel(raster)) image = image.threshold(128);
    const { data } = await image.raw().toBuffer({ resolveWithObject: true });
    assertSize(data.length, page.width * page.height * page.channels);
    page = { ...page, data };
  }
  return page;
}

/** libvips turns a one-channel raw image into sRGB on some operations: ask for the channels back. */
function keepChannels(image: Sharp, channels: 1 | 3): Sharp {
  return channels === 1 ? image.toColourspace('b-w') : image.removeAlpha().toColourspace('srgb');
}

function rawInput(raster: PageRaster): SharpOptions {
  return { raw: { width: raster.width, height: raster.height, channels: raster.channels } };
}

/** Pixels of equal width and height (at the higher resolution): an angle means the same on both axes. */
async function squarePixels(raster: PageRaster): Promise<PageRaster> {
  if (raster.dpiX === raster.dpiY) return raster;
  const dpi = Math.max(raster.dpiX, raster.dpiY);
  const width = Math.round((raster.width * dpi) / raster.dpiX);
  const height = Math.round((raster.height * dpi) / raster.dpiY);
  const data = await sharp(raster.data, rawInput(raster)).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { ...raster, data, width, height, dpiX: dpi, dpiY: dpi };
}

function assertSize(actual: number, expected: number): void {
  if (actual !== expected) throw new AppError('INTERNAL', `Turning the page gave ${actual} bytes of pixels where ${expected} were expected.`);
}
