/**
 * Who converts a document: this process (convertDocument with its own OCR workers), or workers on
 * other machines behind a queue (workers/queue/remote-converter.ts). The job and the result are
 * the same plain data either way; only the catalog's owner applies results.
 */
import type { ConvertJob, ConvertResult } from '../model.js';
import { convertDocument, type ConvertContext } from './convert-document.js';

export interface Converter {
  /** Documents worth having in hand at once to keep every OCR worker busy. */
  readonly inHand: number;
  convert(job: ConvertJob, onPage?: () => void): Promise<ConvertResult>;
  close(): Promise<void>;
}

/** This process does the work; `inHand` as runtime.ts decides from its OCR workers. */
export function localConverter(context: ConvertContext, inHand: number): Converter {
  return {
    inHand,
    convert: (job, onPage) => convertDocument(context, job, onPage),
    close: () => context.ocr.close(),
  };
}

/** Pages of the original a conversion went through: its documents' and its separators. */
export function pagesRead(result: ConvertResult): number {
  return result.documents.reduce((sum, document) => sum + document.pages.length, 0) + (result.split?.separators.length ?? 0);
}
