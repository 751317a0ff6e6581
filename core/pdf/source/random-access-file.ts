/**
 * A file read by byte ranges, never whole: what lets a PDF of any size (even past the 2 GiB a
 * single `readFile` can return) be read with memory bounded by what one page needs.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class RandomAccessFile {
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    /** Size in bytes when opened. */
    readonly size: number,
  ) {}

  static async open(file: string): Promise<RandomAccessFile> {
    const handle = await open(file, 'r');
    try {
      return new RandomAccessFile(handle, (await handle.stat()).size);
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }

  /**
   * Bytes [offset, offset + length), clipped to the end of the file, in an array of their own
   * (its buffer is exactly its bytes, so it can be handed on or transferred). Fails if the file
   * became shorter than it was when opened.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    const bytes = new Uint8Array(Math.max(0, end - offset));
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.handle.read(bytes, done, bytes.length - done, offset + done);
      if (bytesRead === 0) throw new Error(`the file ended at byte ${offset + done}, short of the ${this.size} bytes it had when opened`);
      done += bytesRead;
    }
    return bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
