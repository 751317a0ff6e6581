/** The decode stage's entry: the right decoder for what intake found the file to be. */
import type { ConvertOptions, MediaType } from '../../model.js';
import type { DecodedDocument } from './decoded-document.js';
import { openImage } from './image-decoder.js';
import { openPdf } from './pdf-decoder.js';

export function openDocument(file: string, mediaType: MediaType, options: ConvertOptions): Promise<DecodedDocument> {
  return mediaType === 'application/pdf' ? openPdf(file, options) : openImage(file, mediaType, options);
}
