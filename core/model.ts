import type { MetadataRules } from './metadata/extract-metadata.js';
/**
 * The data that flows through the pipeline. Everything here is plain, serialisable data:
 * a job can be handed to a worker in another thread or on another machine unchanged.
 */
import type { ErrorRecord } from './errors.js';

/** The pipeline's stages, in the order a document goes through them. */
export const STAGES = ['intake', 'decode', 'separate', 'clean', 'orient', 'recognize', 'compose', 'metadata', 'catalog', 'index'] as const;
export type Stage = (typeof STAGES)[number];
export type StageTimings = Partial<Record<Stage, number>>;

/** Input kinds Acervo reads, sniffed from the bytes. */
export type MediaType = 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/pdf';

/** A rectangle in a raster's pixel space: origin top-left, y grows downwards. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** PDF-style affine matrix [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = readonly [number, number, number, number, number, number];

export interface OcrWord {
  text: string;
  box: Box;
  /** 0–100, as the engine reports it. */
  confidence: number;
  /**
   * Whether a dictionary of the page's language knows the word as mended
   * (accent-restoring-engine.ts); absent when no dictionary judged it. A page read more than once
   * is mended by it (merge-readings.ts).
   */
  known?: boolean;
}

export interface OcrLine {
  box: Box;
  words: OcrWord[];
  /**
   * Text height for the text layer, shared by the lines of one paragraph: PDF text extractors
   * (poppler) keep lines in one block only when their font sizes agree, so per-line heights
   * (which vary with descenders) would scatter a column's lines among the next column's.
   */
  textSize?: number;
  /** The line's baseline as the engine found it (two points), when it did. */
  baseline?: { x0: number; y0: number; x1: number; y1: number };
}

/** What the engine read on one page, in the coordinates of the raster it was given. */
export interface OcrPage {
  lines: OcrLine[];
  text: string;
  /** Mean word confidence 0–100, or null when no word was found. */
  confidence: number | null;
  /** Time the engine spent on the page, queueing excluded. */
  durationMs?: number;
}

/** Decoded 8-bit pixels of one page, as the scanner made them. */
export interface PageRaster {
  width: number;
  height: number;
  /** 1 = grey (bilevel pages are grey with only 0 and 255), 3 = RGB. */
  channels: 1 | 3;
  data: Buffer;
  dpiX: number;
  dpiY: number;
  /** True when the file carried no usable resolution and `dpiX/dpiY` are the configured guess. */
  dpiAssumed: boolean;
}

/** What the clean stage did to a page before OCR. */
export interface PageCorrections {
  /** Clockwise quarter turns applied to make the page upright. */
  rotation: 0 | 90 | 180 | 270;
  /** The skew measured and removed, in degrees (positive: the lines ran down to the right). */
  skewDegrees: number;
  /** No text to read: OCR skipped. */
  blank: boolean;
  /** What was done to the image the engine read, in order (page-condition.ts, ink-colour.ts, read-page.ts). */
  cleaning?: CleaningStep[];
}

/**
 * A repair made to a page's OCR image: `paper-holes` (punch or sprocket holes painted over with
 * paper), `ink-channel` (type in a colour read in its darkest channel), `colour-dropout` (stamps
 * and pen of another colour faded), `despeckle`, `remove-specks` (specks away from the letters or
 * darker than the type painted over, the strokes untouched), `drop-faint-marks` (all fainter than
 * the type's core made paper: a heavily speckled page's lighter specks), `drop-handwriting` (pen
 * strokes across the lines that the page's own typed letters do not explain, and the same pen off
 * the lines, made paper), `flatten-background` (uneven paper or
 * light), `drop-show-through` (ink fainter than the type, from the back of the sheet, made paper),
 * `contrast` (faint ink), `even-ink` (light parts of the ink, a worn ribbon's, made as dark as the
 * rest), `stroke-repair` (broken strokes joined), `heavy-noise-removal` (read with the engine's own
 * noise removal: a page with more specks than letters), `second-reading` (the first reading was
 * poor; the surest of the readings was kept), `words-from-other-readings` (some of its unsure
 * words taken from the page's other readings, merge-readings.ts), `show-through-only` (a blank
 * page: its marks are the back's text, which reads only mirrored).
 */
export type CleaningStep =
  | 'paper-holes'
  | 'ink-channel'
  | 'colour-dropout'
  | 'despeckle'
  | 'remove-specks'
  | 'drop-faint-marks'
  | 'drop-handwriting'
  | 'flatten-background'
  | 'drop-show-through'
  | 'contrast'
  | 'stroke-repair'
  | 'even-ink'
  | 'heavy-noise-removal'
  | 'second-reading'
  | 'words-from-other-readings'
  | 'show-through-only';

/** Options that change what a conversion produces; part of every job. */
export interface ConvertOptions {
  languages: string[];
  forceOcr: boolean;
  /** Resolution assumed for images that do not say theirs. */
  assumeDpi: number;
  /** Decoded images above this many pixels are refused (decompression bombs). */
  maxImagePixels: number;
  /** Pages are scaled down for OCR when above this many pixels. */
  ocrMaxPixels: number;
  /** Resolution at which PDF pages that are not a single scanned image are rasterised for OCR. */
  pdfRenderDpi: number;
  /** PDFs up to this many MB are read whole, larger ones by byte ranges (64 when not said). */
  pdfWholeLoadMb?: number;
  /** Pages turned by the engine's orientation guess only when it is at least this sure. */
  orientationMinConfidence: number;
  /** Leave blank pages out of the PDF (they are always kept in the catalog, flagged). */
  dropBlank: boolean;
  /** How metadata is read: the folder template and the document type rules. */
  metadata: MetadataRules;
  /** What the searchable PDFs claim to be: PDF/A-2b (the default), PDF/A-1b, or plain PDF. */
  pdfFormat: PdfFormat;
  /** JPEG quality a grey or colour page may be recompressed at when that halves its size; null: lossless only. */
  jpegQuality: number | null;
  /** How a batch scan (a whole box in one file) is cut into its documents. */
  split: SplitOptions;
}

export const SPLIT_MODES = ['none', 'barcode', 'blank'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

export interface SplitOptions {
  /** none: one file is one document; barcode: separator sheets (`acervo separator-sheet`); blank: blank pages. */
  mode: SplitMode;
  /** In blank mode, how many blank pages in a row separate two documents (1 or 2; a lone blank page stays when 2). */
  blankPages: 1 | 2;
}

export const PDF_FORMATS = ['pdfa-2b', 'pdfa-1b', 'pdf'] as const;
export type PdfFormat = (typeof PDF_FORMATS)[number];

/**
 * What archive staff corrected of a document (core/catalog/corrections.ts): written into its PDF's
 * metadata in place of the machine's, while the catalog records the machine's reading beside them.
 */
export interface CorrectedMetadata {
  title?: string | null;
  documentType?: string | null;
  collection?: string | null;
  year?: number | null;
  date?: string | null;
  series?: string | null;
  box?: string | null;
  notes?: string | null;
  /** `kind value`, as the PDF lists them. */
  identifiers?: string[];
}

/** One document to convert: what a worker needs, nothing more. */
export interface ConvertJob {
  /** What the archive's inventory says of this file (manual values win). */
  manual?: ManualMetadata;
  /** Staff's corrections of the documents made from this original before, by part number. */
  corrected?: Record<number, CorrectedMetadata>;
  /** Staff's corrected page texts, by part number, then page number (blank pages counted): what those pages' text layers say. */
  correctedText?: Record<number, Record<number, string>>;
  source: string;
  /** The source's path relative to the folder it was ingested from: metadata is read from it. */
  relativePath: string;
  mediaType: MediaType;
  sha256: string;
  /** Where the searchable PDF goes, absolute. The worker writes a temporary file and renames it. */
  outputPath: string;
  /** Folder for temporary files, on the same file system as outputPath. */
  tempDir: string;
  options: ConvertOptions;
}

/** How a page's text was obtained. */
export type TextSource = 'ocr' | 'pdf-text' | 'none';

export interface ConvertedPage {
  /** Page of the original. */
  pageNo: number;
  /** Page of the searchable PDF; null when the page was left out (a dropped blank page). */
  pdfPageNo: number | null;
  text: string;
  confidence: number | null;
  textSource: TextSource;
  widthPt: number;
  heightPt: number;
  /** Resolution of the page image (null for PDF pages without a single scanned image). */
  dpi: number | null;
  dpiAssumed: boolean;
  /** What cleaning did; null when the page was not cleaned (it kept its own text layer). */
  corrections: PageCorrections | null;
}

/** What the archive's own records (a box inventory) say of a document: these win over what is read. */
export interface ManualMetadata {
  title?: string;
  collection?: string;
  year?: number;
  box?: string;
  series?: string;
  documentType?: string;
  /** ISO YYYY-MM-DD. */
  date?: string;
  notes?: string;
}

/** Metadata read from the path and the text, filterable in search. */
export interface DocumentMetadata {
  title: string;
  /** A stable key ('alvara', 'decreto', …); null when the text names no known type. */
  documentType: string | null;
  collection: string | null;
  year: number | null;
  /** The document's date, ISO (YYYY-MM-DD), when the text gives one. */
  date: string | null;
  /** 'pt', 'es', 'en', or null when it cannot tell. */
  language: string | null;
  /** The text holds a person's taxpayer number (CPF, CUIL): personal data under the LGPD. */
  personalData: boolean;
  /** From the archive's inventory. */
  notes: string | null;
  /**
   * Every date found, in order; `main` marks the one chosen as the document's date, `rival` (only
   * when true) another day that weighed about as much: the choice was close (core/metadata/dates.ts).
   */
  dates: Array<{ iso: string; text: string; page: number | null; main: boolean; rival?: boolean }>;
  /** Process, protocol and act numbers, normalised (`1873/1987`). */
  identifiers: Array<{ kind: string; value: string; text: string; page: number | null }>;
  /** CPF, CNPJ and CUIT numbers with valid check digits (digits only); `personal` for people's. */
  taxNumbers: Array<{ kind: string; value: string; page: number | null; personal: boolean }>;
  /** From the folders, when the path template names them. */
  box: string | null;
  series: string | null;
}

/** One document made from an original: the whole file, or one part of a batch scan. */
export interface ConvertedDocument {
  /** 1, 2, … in the order of the batch; 1 when the file was not split. */
  partNo: number;
  /** Pages of the original this document holds (separator pages are never in one); null: the whole file. */
  sourcePages: { first: number; last: number } | null;
  /** What the separator before it said (the batch's first part has none). */
  separator: SeparatorFound | null;
  /**
   * Where its PDF was written: '' for job.outputPath; else, for a part of a split batch, a hidden
   * file name in job.outputPath's folder that the caller moves in place (the number of parts is
   * known only at the end).
   */
  tempFile: string;
  pages: ConvertedPage[];
  metadata: DocumentMetadata;
  outputSha256: string;
  outputBytes: number;
  /** The PDF/A level the searchable PDF claims, e.g. 'PDF/A-2B'; null: plain PDF (asked for, or pages copied from a source PDF). */
  pdfConformance: string | null;
  /** Why PDF/A was asked for and not written (e.g. "page 2 of the source PDF holds font Arial not embedded"). */
  pdfConformanceNote: string | null;
}

/** A page taken for a separator and left out of every document. */
export interface SeparatorFound {
  /** Page of the original. */
  page: number;
  kind: 'barcode' | 'blank';
  /** The barcode's text, e.g. `ACERVO-SEP` or `ACERVO:collection=Obras;box=12`. */
  text: string | null;
  /** What a metadata barcode says of the next document. */
  metadata: ManualMetadata | null;
  /** Parts of a metadata barcode that were not understood (the separator still counts). */
  warnings: string[];
}

/** How a batch file was cut: present whenever a split mode was asked for. */
export interface SplitReport {
  mode: Exclude<SplitMode, 'none'>;
  /** Every page left out as a separator, in order (a blank back of a separator sheet included). */
  separators: SeparatorFound[];
  /** Documents made: 1 when no separator was found. */
  parts: number;
}

/** The result of a conversion: the PDFs are written (see ConvertedDocument.tempFile). */
export interface ConvertResult {
  /** One, unless a batch scan was split at its separators. */
  documents: ConvertedDocument[];
  split: SplitReport | null;
  /** Wall time per stage. */
  timings: StageTimings;
  /** Process CPU time per stage: the stage's own only when nothing else runs (see stage-clock.ts). */
  cpuTimings: StageTimings;
  /** Pages whose orientation was detected; the others read clearly upright as they came. */
  orientationChecks: number;
  /** The file was cut short or damaged: its readable pages are in the documents, this says what is missing (INPUT_TRUNCATED). */
  incomplete?: ErrorRecord;
  /** Something a person should know though nothing failed (a split that found no document), with a stable code. */
  warnings?: WarningRecord[];
}

/** A coded warning: the run goes on and exits 0 for it, but --json, the report and the log say it. */
export interface WarningRecord {
  code: WarningCode;
  message: string;
}

/** Stable warning codes (never renamed, only added). */
export type WarningCode =
  /** A file ingested with a split mode held separators and no page of a document: no document was made of it. */
  | 'SPLIT_ONLY_SEPARATORS'
  /** A file ingested with a split mode held no separator: it was kept whole, as one document. */
  | 'SPLIT_FOUND_NOTHING';

export type DocumentStatus = 'indexed' | 'skipped' | 'failed';

/** One line of an ingest report. */
export interface IngestOutcome {
  source: string;
  status: DocumentStatus;
  documentId: number | null;
  pdf: string | null;
  pages: number;
  /** Why it failed; for a document converted from a file cut short (INPUT_TRUNCATED), what is missing. */
  error: ErrorRecord | null;
  /** Converted from what could be read of a file cut short: `error` says what is missing. */
  incomplete?: boolean;
  /** Coded warnings about this file (see WarningCode). */
  warnings?: WarningRecord[];
  /** Converted and catalogued, but the search backend has not taken the update yet. */
  indexPending: boolean;
  /** What cleaning did to each OCRed page of a document converted in this run. */
  pageCorrections: PageCorrectionReport[];
  /** What was read of a document converted in this run. */
  metadata?: DocumentMetadata;
  /** The PDF/A level its PDF claims (null: plain PDF), when it was converted in this run. */
  pdfConformance?: string | null;
  pdfConformanceNote?: string | null;
  /** Mean OCR confidence of its pages (0–100), when it was OCRed in this run. */
  confidence?: number | null;
  /** When the original was a batch cut into several documents, each one (this outcome's fields describe the first). */
  parts?: PartOutcome[];
  /** How the batch was split, when a split mode was asked for. */
  split?: SplitReport;
  /** Wall time this document took, in this run. */
  seconds?: number;
  timings: StageTimings;
}

/** One document cut from a batch scan. */
export interface PartOutcome {
  partNo: number;
  documentId: number;
  pdf: string;
  /** Pages of the batch file it holds. */
  sourcePages: { first: number; last: number } | null;
  pages: number;
  title: string;
  metadata: DocumentMetadata;
  /** The separator page before it, null for the first part. */
  separatorPage: number | null;
}

export interface PageCorrectionReport extends PageCorrections {
  /** Page of the original. */
  page: number;
  /** Which document of a split batch the page went to. */
  part?: number;
  /** Page of the searchable PDF; null when left out (a dropped blank page). */
  pdfPage: number | null;
  /** Resolution the page was read at; `dpiAssumed` when the file did not say (input.assumeDpi). */
  dpi: number | null;
  dpiAssumed: boolean;
}
