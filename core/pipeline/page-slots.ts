/**
 * The pages a process has in hand at once, decoded and not yet written, across all documents:
 * what keeps memory flat whatever the documents' sizes, while keeping enough pages ready that an
 * OCR worker never waits for the next one to be decoded and cleaned.
 */
export class PageSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = Math.max(1, size);
  }

  /** Takes a slot if one is free and nobody is waiting for one. */
  tryAcquire(): boolean {
    if (this.free === 0 || this.waiting.length > 0) return false;
    this.free--;
    return true;
  }

  /** Waits for a slot. Only wait while holding none: slots held while waiting can starve the others. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
