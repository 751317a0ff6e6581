/**
 * Intake: what a file really is (from its bytes, never its name) and its SHA-256, read in one pass
 * without loading the file into memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { AppError } from '../errors.js';
import type { MediaType } from '../model.js';

export interface InspectedInput {
  mediaType: MediaType;
  sha256: string;
  size: number;
}

const SUPPORTED: ReadonlySet<string> = new Set<MediaType>(['image/png', 'image/jpeg', 'image/tiff', 'application/pdf']);
/** PDF readers accept a header anywhere in the first KiB; some scanners put junk before it. */
const PDF_HEADER_WINDOW = 1024;
/** Little- and big-endian TIFF, and BigTIFF. */
const TIFF_MAGIC = [Buffer.from('49492a00', 'hex'), Buffer.from('4d4d002a', 'hex'), Buffer.from('49492b00', 'hex'), Buffer.from('4d4d002b', 'hex')];

export async function inspectInput(file: string): Promise<InspectedInput> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new AppError('INPUT_UNREADABLE', `${file} is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('INPUT_NOT_FOUND', 'The file does not exist (moved or deleted while the batch ran?).', { cause: error });
    throw new AppError('INPUT_UNREADABLE', `The file cannot be read (${code ?? String(error)}); check its permissions.`, { cause: error });
  }
  if (size === 0) throw new AppError('INPUT_EMPTY', 'The file is empty (0 bytes); scan it again or copy it again from the scanner.');
  const mediaType = await sniff(file);
  return { mediaType, sha256: await sha256OfFile(file), size };
}

async function sniff(file: string): Promise<MediaType> {
  let detected: Awaited<ReturnType<typeof fileTypeFromFile>>;
  try {
    // From the file, not a prefix: TIFF detection may need to seek to a directory at the end.
    detected = await fileTypeFromFile(file);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
  }
  if (detected && SUPPORTED.has(detected.mime)) return detected.mime as MediaType;
  const byHeader = await sniffHeaderOnly(file);
  if (byHeader) return byHeader;
  const what = detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'not an image or PDF';
  throw new AppError('INPUT_UNSUPPORTED', `The file is ${what}, whatever its name says; Acervo reads PNG, JPEG, TIFF and PDF.`, {
    details: { detected: detected?.mime ?? null },
  });
}

/**
 * What the first bytes alone say. file-type wants more than a header for TIFF (it follows the
 * directory, which scanners write at the end, so a cut-off TIFF is "unknown"), and it wants the
 * PDF header at byte 0. Such files are the types they claim to be, only broken: the decoder then
 * reports them as corrupt, which tells the user the right thing.
 */
async function sniffHeaderOnly(file: string): Promise<MediaType | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(PDF_HEADER_WINDOW);
    const { bytesRead } = await handle.read(head, 0, PDF_HEADER_WINDOW, 0);
    const bytes = head.subarray(0, bytesRead);
    if (TIFF_MAGIC.some((magic) => bytes.subarray(0, magic.length).equals(magic))) return 'image/tiff';
    if (bytes.includes('%PDF-')) return 'application/pdf';
    return null;
  } finally {
    await handle.close();
  }
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
  }
  return hash.digest('hex');
}
