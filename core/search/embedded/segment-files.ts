/**
 * Segment files: each segment's posting lists in a file of its own beside the index's SQLite file
 * (`<index>.segments/<id>.seg`), written once, read by offset, never changed. SQLite keeps what
 * points into them (the words, their offsets) and decides, in its transactions, which segments
 * exist. Kept out of SQLite because there a list of a few megabytes is a chain of 4 KB pages:
 * reading one walked the chain (50 ms for a common word's positions at a million pages), and the
 * half-empty last page of each list cost a fifth of the index's size.
 *
 * Writers write a segment's file inside their write transaction and delete a removed segment's
 * file only after the transaction that removed it has committed. A reader opens the files of the
 * segments its snapshot lists at once; a reader that finds a file gone lost a race with a merge
 * and searches again on the newer snapshot (embedded-backend.ts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors.js';

const MAGIC = Buffer.from('ACVSEG01', 'latin1');
/** The magic and the segment's id; lists start after it. */
export const HEADER_BYTES = 16;
/** Written to disk in pieces of this size. */
const WRITE_CHUNK = 1 << 20;

/** A segment file's folder for the index file `file`. */
export function segmentsFolder(indexFile: string): string {
  return `${indexFile}.segments`;
}

export class SegmentFiles {
  constructor(readonly folder: string) {}

  path(id: number): string {
    return path.join(this.folder, `${id}.seg`);
  }

  /** A new segment file, filled by appending; `finish()` flushes it to disk under its name. */
  create(id: number): SegmentFileWriter {
    mkdirSync(this.folder, { recursive: true });
    return new SegmentFileWriter(this.path(id), id);
  }

  /** A segment file opened for reading (a file descriptor). */
  open(id: number): number {
    const file = this.path(id);
    try {
      const fd = openSync(file, 'r');
      const header = Buffer.alloc(HEADER_BYTES);
      if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC) || Number(header.readBigUInt64LE(8)) !== id) {
        closeSync(fd);
        throw new AppError('LIBRARY_UNUSABLE', `The search index's segment file ${file} is damaged. Run acervo reindex to rebuild the index from the catalog.`, { details: { file } });
      }
      return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SegmentFileMissing(file);
      throw error;
    }
  }

  /** Deletes the files of removed segments (after the transaction that removed them committed). */
  remove(ids: Iterable<number>): void {
    for (const id of ids) rmSync(this.path(id), { force: true });
  }

  /** Deletes files no segment owns: a write that failed, or crashed, before its transaction committed. */
  removeOrphans(owned: ReadonlySet<number>): void {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch {
      return;
    }
    for (const name of names) {
      const id = /^(\d+)\.seg(?:\.tmp)?$/.exec(name)?.[1];
      if (id !== undefined && (name.endsWith('.tmp') || !owned.has(Number(id)))) rmSync(path.join(this.folder, name), { force: true });
    }
  }

  /** Every file, for a fresh index (a file left by an index that was deleted and made again). */
  removeAll(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Reads `length` bytes at `offset` of an open segment file. */
export function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, offset + done);
    if (read === 0) throw new AppError('LIBRARY_UNUSABLE', 'A segment file of the search index ends early. Run acervo reindex to rebuild the index from the catalog.');
    done += read;
  }
  return buffer;
}

/** A segment file was deleted under a reader (a merge finished): the reader searches again. */
export class SegmentFileMissing extends Error {
  constructor(readonly file: string) {
    super(`segment file ${file} is gone`);
  }
}

export class SegmentFileWriter {
  private readonly fd: number;
  private readonly temporary: string;
  private buffer = Buffer.allocUnsafe(WRITE_CHUNK);
  private filled = 0;
  /** Bytes written so far: the offset of whatever is appended next. */
  offset = HEADER_BYTES;

  constructor(
    private readonly file: string,
    id: number,
  ) {
    this.temporary = `${file}.tmp`;
    this.fd = openSync(this.temporary, 'w');
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeBigUInt64LE(BigInt(id), 8);
    writeSync(this.fd, header);
  }

  append(bytes: Uint8Array): number {
    const at = this.offset;
    if (bytes.length >= WRITE_CHUNK) {
      this.flush();
      writeSync(this.fd, bytes);
    } else {
      if (this.filled + bytes.length > WRITE_CHUNK) this.flush();
      this.buffer.set(bytes, this.filled);
      this.filled += bytes.length;
    }
    this.offset += bytes.length;
    return at;
  }

  private flush(): void {
    if (this.filled > 0) writeSync(this.fd, this.buffer, 0, this.filled);
    this.filled = 0;
  }

  /** On disk, under its name. */
  finish(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.temporary, this.file);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
  }
}
