/**
 * The part assembler: a file's pages, read and taken in order, made into its documents. The
 * splitter (core/separation/splitter.ts) says which pages are separators and where a part
 * begins; this starts each part, adds its pages (compose), reads its metadata and writes its PDF
 * (finish). Without a split mode, the whole file is one part.
 */
import type { ConvertedDocument, ConvertJob, SplitReport, WarningRecord } from '../model.js';
import { Splitter, type PageDecision } from '../separation/splitter.js';
import { DocumentPart, removePartFile } from './document-part.js';
import type { ReadPage } from './page-reading.js';
import type { StageClock } from './stage-clock.js';

export interface AssembledDocuments {
  documents: ConvertedDocument[];
  split: SplitReport | null;
  /** A split that found nothing to cut, or nothing but separators (see WarningCode). */
  warnings: WarningRecord[];
}

export class PartAssembler {
  private readonly splitter: Splitter;
  private readonly splitting: boolean;
  private readonly finished: ConvertedDocument[] = [];
  private readonly separators: SplitReport['separators'] = [];
  private part: DocumentPart | null = null;
  /** Pages taken and waiting for the splitter's decision (a blank page waits for the next). */
  private readonly waiting = new Map<number, ReadPage>();
  /** The first separator page, kept until a page to keep comes: a file of nothing else keeps it. */
  private firstSeparator: ReadPage | null = null;
  /** The finished parts' files are the caller's once end() has returned them. */
  private handedOver = false;

  constructor(
    private readonly job: ConvertJob,
    private readonly producer: string,
    private readonly clock: StageClock,
  ) {
    this.splitter = new Splitter(job.options.split);
    this.splitting = job.options.split.mode !== 'none';
  }

  /** Takes the file's next page. */
  async add(read: ReadPage): Promise<void> {
    const { page, reading } = read;
    this.waiting.set(page.pageNo, read);
    for (const decision of this.splitter.push({ pageNo: page.pageNo, code: reading.code, blank: reading.cleaned?.corrections.blank ?? false })) await this.apply(decision);
  }

  /** After the file's last page: its documents, every one written. */
  async end(): Promise<AssembledDocuments> {
    for (const decision of this.splitter.end()) await this.apply(decision);
    const warnings: WarningRecord[] = [];
    const mode = this.job.options.split.mode;
    if (!this.part && this.finished.length === 0) {
      // Nothing but separators: the first page is kept as a document rather than lost, and said to be so.
      const only = this.firstSeparator!;
      const pages = this.separators.map((s) => s.page);
      warnings.push({
        code: 'SPLIT_ONLY_SEPARATORS',
        message: `The file holds only separator pages (${pages.length === 1 ? 'page' : 'pages'} ${pages.join(', ')}) and no page of a document; its first page was kept as a document so that nothing is lost. Check that the right file was scanned.`,
      });
      this.separators.shift();
      this.part = await DocumentPart.start(this.job, 1, null, null);
      await this.keep(only);
    }
    await this.finishPart();
    this.handedOver = true;
    if (mode !== 'none' && this.separators.length === 0 && warnings.length === 0) {
      warnings.push({
        code: 'SPLIT_FOUND_NOTHING',
        message: `No ${mode === 'barcode' ? 'separator sheet' : 'run of blank pages'} was found (split mode ${mode}): the file was kept whole, as one document of ${this.finished[0]?.pages.length ?? 0} page(s).`,
      });
    }
    return { documents: this.finished, split: mode !== 'none' ? { mode, separators: this.separators, parts: this.finished.length } : null, warnings };
  }

  /** Removes what a conversion that did not reach its end wrote: the part under way, and the parts finished. */
  async discard(): Promise<void> {
    await this.part?.discard();
    this.part = null;
    if (!this.handedOver) await Promise.all(this.finished.map((document) => removePartFile(this.job, document)));
  }

  private async apply(decision: PageDecision): Promise<void> {
    const entry = this.waiting.get(decision.pageNo)!;
    this.waiting.delete(decision.pageNo);
    if (decision.kind === 'separator') {
      this.separators.push(decision.found);
      if (this.finished.length === 0 && !this.part && !this.firstSeparator) this.firstSeparator = entry;
      return;
    }
    if (decision.startsPart) {
      await this.finishPart();
      this.part = await DocumentPart.start(this.job, decision.partNo, decision.separator, decision.metadata);
    }
    this.firstSeparator = null;
    await this.keep(entry);
  }

  private async keep(entry: ReadPage): Promise<void> {
    const part = this.part!;
    await this.clock.time('compose', () => part.add(entry, this.job.options.dropBlank));
  }

  private async finishPart(): Promise<void> {
    const part = this.part;
    if (!part) return;
    const metadata = this.clock.timeSync('metadata', () => part.readMetadata(this.job));
    this.finished.push(await this.clock.time('compose', () => part.finish(this.job, this.producer, this.splitting, metadata)));
    this.part = null;
  }
}
