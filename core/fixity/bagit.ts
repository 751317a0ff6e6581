/**
 * BagIt 1.0 (RFC 8493) tag files: the declaration, bag-info, and the manifests that list each
 * file's SHA-256. Paths are relative to the bag, with forward slashes; CR, LF and % in them are
 * percent-encoded as §2.1.3 requires.
 */
import { createHash } from 'node:crypto';

export const BAGIT_DECLARATION = 'BagIt-Version: 1.0\nFile-Tag-Character-Encoding: UTF-8\n';

export interface ManifestEntry {
  /** Relative to the bag: `data/Obras/1987/alvara.pdf`, or a tag file's name. */
  path: string;
  sha256: string;
}

/** manifest-sha256.txt / tagmanifest-sha256.txt: `<checksum>  <path>` per line. */
export function manifestText(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `${e.sha256}  ${encodePath(e.path)}\n`).join('');
}

export function encodePath(file: string): string {
  return file.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Payload-Oxum: the payload's octets and file count, `<bytes>.<files>`. */
export function payloadOxum(files: ReadonlyArray<{ bytes: number }>): string {
  return `${files.reduce((n, f) => n + f.bytes, 0)}.${files.length}`;
}

/** bag-info.txt: `Label: value` lines, in the order given; empty values are left out. */
export function bagInfoText(fields: ReadonlyArray<[string, string | null | undefined]>): string {
  return fields
    .filter((field): field is [string, string] => typeof field[1] === 'string' && field[1].trim() !== '')
    .map(([label, value]) => `${label}: ${value.replace(/\s*[\r\n]+\s*/g, ' ')}\n`)
    .join('');
}

export function sha256Of(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
