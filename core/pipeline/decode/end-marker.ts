/**
 * A JPEG or PNG cut short is told by its missing end marker (an upload or a copy stopped early):
 * its top is still read, and the file marked incomplete (image-decoder.ts).
 */
import { open } from 'node:fs/promises';
import type { MediaType } from '../../model.js';

/** The marker a whole file of each kind ends with, and its name in messages. */
export const END_MARKERS: Partial<Record<MediaType, { bytes: Buffer; name: string }>> = {
  'image/jpeg': { bytes: Buffer.from([0xff, 0xd9]), name: 'JPEG end of image, FF D9' },
  'image/png': { bytes: Buffer.from('IEND', 'latin1'), name: 'PNG IEND chunk' },
};

/**
 * Whether a JPEG or PNG that failed to decode lacks its end marker: cut short, not damaged.
 * Decided from the file's last bytes, not from the decoder's message: libvips keeps one error
 * buffer for the whole process, so under concurrent decodes a failure can carry another file's
 * text (lovell/sharp#902). Seen here: a half PNG failing with a half JPEG's "VipsJpeg: premature
 * end of JPEG image", and, on a loaded machine, a half JPEG taken for a damaged one (IMAGE_CORRUPT).
 */
export async function lacksEndMarker(file: string, mediaType: MediaType): Promise<boolean> {
  const marker = END_MARKERS[mediaType];
  if (!marker) return false;
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    // Writers may leave padding after the marker; a cut file has no marker anywhere near its end
    // (inside JPEG entropy data an FF is always followed by 00 or a restart marker, never D9).
    const length = Math.min(size, 4096);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    return !tail.includes(marker.bytes);
  } finally {
    await handle.close();
  }
}
