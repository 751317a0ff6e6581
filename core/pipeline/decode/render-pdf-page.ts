/**
 * A PDF page drawn by pdf.js onto a canvas, as a raster: what OCR reads of a page that is not one
 * scanned image (pdf-decoder.ts), and what a redacted copy burns its boxes into
 * (core/redaction/burned-page.ts). The resolution is lowered for a page too large to draw at it.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { invert } from '../../geometry.js';
import type { Matrix, PageRaster } from '../../model.js';
import { pdfjs } from './pdfjs.js';

/** Rendering a page never makes a canvas larger than this (RGBA: 4 bytes per pixel); a poster-sized page is drawn at a lower resolution. */
export const MAX_RENDER_PIXELS = 50e6;

export interface RenderedRaster {
  raster: PageRaster;
  /** The raster's pixels onto the page's user space. */
  toUserSpace: Matrix;
}

export interface RenderChoices {
  /** Draw the page unturned, leaving its /Rotate to the page that shows the raster; default: turned as viewers show it. */
  unturned?: boolean;
  /** Leave annotations out (they stay annotations beside the raster); default: drawn in. */
  withoutAnnotations?: boolean;
}

export async function renderPdfPage(page: PDFPageProxy, preferredDpi: number, choices: RenderChoices = {}): Promise<RenderedRaster> {
  const rotation = choices.unturned ? { rotation: 0 } : {};
  const unit = page.getViewport({ scale: 1, ...rotation });
  const pixelsAt = (dpi: number) => ((unit.width * dpi) / 72) * ((unit.height * dpi) / 72);
  const dpi = pixelsAt(preferredDpi) > MAX_RENDER_PIXELS ? Math.sqrt(MAX_RENDER_PIXELS / pixelsAt(1)) : preferredDpi;
  const viewport = page.getViewport({ scale: dpi / 72, ...rotation });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // @napi-rs/canvas is the canvas pdf.js itself uses on Node; the typings expect the DOM's.
  const parameters = { canvas, canvasContext: context, viewport, ...(choices.withoutAnnotations ? { annotationMode: pdfjs.AnnotationMode.DISABLE } : {}) };
  await page.render(parameters as unknown as Parameters<PDFPageProxy['render']>[0]).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const raster: PageRaster = { width, height, dpiX: dpi, dpiY: dpi, dpiAssumed: false, ...packColour(rgba, width * height, 4, true) };
  return { raster, toUserSpace: invert(viewport.transform as unknown as Matrix) };
}

/** RGB(A) pixels as grey when every pixel is grey, else as RGB; alpha is flattened onto white. */
export function packColour(data: Uint8Array | Uint8ClampedArray, pixels: number, stride: number, hasAlpha: boolean): Pick<PageRaster, 'channels' | 'data'> {
  // Grey until a pixel says otherwise: a grey page (most scans) never costs an RGB copy.
  const grey = Buffer.alloc(pixels);
  let rgb: Buffer | null = null;
  for (let p = 0; p < pixels; p++) {
    const s = p * stride;
    const alpha = hasAlpha ? data[s + 3]! / 255 : 1;
    const r = Math.round(data[s]! * alpha + 255 * (1 - alpha));
    const g = Math.round(data[s + 1]! * alpha + 255 * (1 - alpha));
    const b = Math.round(data[s + 2]! * alpha + 255 * (1 - alpha));
    if (!rgb) {
      if (r === g && g === b) {
        grey[p] = r;
        continue;
      }
      rgb = Buffer.alloc(pixels * 3);
      for (let q = 0; q < p; q++) rgb[q * 3] = rgb[q * 3 + 1] = rgb[q * 3 + 2] = grey[q]!;
    }
    rgb[p * 3] = r;
    rgb[p * 3 + 1] = g;
    rgb[p * 3 + 2] = b;
  }
  return rgb ? { channels: 3, data: rgb } : { channels: 1, data: grey };
}
