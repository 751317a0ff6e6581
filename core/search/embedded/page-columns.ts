/**
 * What a search needs to know of each page of a segment without reading its document: the
 * document and page it is, its length in words (for ranking), and the fields filters, facets and
 * sorting use — collection, type and language as small codes (the `names` table says which),
 * year, date (YYYYMMDD) and personal data. Kept as columns, one typed array each, in one blob per
 * segment: a reader loads a million pages' worth in a few milliseconds, and a search reads them
 * without touching the documents.
 */

/** No value: a code, year or date that is unknown. */
export const NO_CODE = 0xffff;
export const NO_LANGUAGE = 0xff;
export const NO_NUMBER = -1;

export interface PageCodes {
  collection: number;
  type: number;
  language: number;
  year: number;
  date: number;
  personal: boolean;
}

export interface PageColumns {
  documentIds: Uint32Array;
  pageNos: Uint32Array;
  lengths: Uint32Array;
  dates: Int32Array;
  collections: Uint16Array;
  types: Uint16Array;
  years: Int16Array;
  languages: Uint8Array;
  personal: Uint8Array;
}

/** Bytes per page: four 4-byte columns, three 2-byte, two 1-byte (in that order, so every array is aligned). */
const BYTES_PER_PAGE = 4 * 4 + 3 * 2 + 2;

export function readColumns(blob: Uint8Array, pages: number): PageColumns {
  const bytes = blob.byteOffset % 4 === 0 ? blob : Uint8Array.from(blob);
  if (bytes.byteLength !== BYTES_PER_PAGE * pages) throw new Error(`page columns of ${bytes.byteLength} bytes for ${pages} pages`);
  const { buffer, byteOffset } = bytes;
  // Where each column starts: the 4-byte ones, then the 2-byte ones, then the bytes.
  const at = (bytesBefore: number) => byteOffset + bytesBefore * pages;
  return {
    documentIds: new Uint32Array(buffer, at(0), pages),
    pageNos: new Uint32Array(buffer, at(4), pages),
    lengths: new Uint32Array(buffer, at(8), pages),
    dates: new Int32Array(buffer, at(12), pages),
    collections: new Uint16Array(buffer, at(16), pages),
    types: new Uint16Array(buffer, at(18), pages),
    years: new Int16Array(buffer, at(20), pages),
    languages: new Uint8Array(buffer, at(22), pages),
    personal: new Uint8Array(buffer, at(23), pages),
  };
}

/** Columns filled page by page (growing as needed), then written out as one blob. */
export class ColumnsWriter {
  private columns = allocate(1024);
  private capacity = 1024;
  length = 0;

  push(documentId: number, pageNo: number, length: number, codes: PageCodes): void {
    if (this.length === this.capacity) this.grow();
    const c = this.columns;
    const i = this.length++;
    c.documentIds[i] = documentId;
    c.pageNos[i] = pageNo;
    c.lengths[i] = length;
    c.dates[i] = codes.date;
    c.collections[i] = codes.collection;
    c.types[i] = codes.type;
    c.years[i] = codes.year;
    c.languages[i] = codes.language;
    c.personal[i] = codes.personal ? 1 : 0;
  }

  /** Copies page `page` of `from` (a merge keeps the live pages of the segments it joins). */
  copy(from: PageColumns, page: number): void {
    this.push(from.documentIds[page] as number, from.pageNos[page] as number, from.lengths[page] as number, {
      date: from.dates[page] as number,
      collection: from.collections[page] as number,
      type: from.types[page] as number,
      year: from.years[page] as number,
      language: from.languages[page] as number,
      personal: from.personal[page] === 1,
    });
  }

  finish(): Buffer {
    const out = allocate(this.length);
    for (const key of Object.keys(out) as Array<keyof PageColumns>) out[key].set(this.columns[key].subarray(0, this.length) as never);
    return Buffer.from(out.documentIds.buffer, 0, BYTES_PER_PAGE * this.length);
  }

  private grow(): void {
    const bigger = allocate(this.capacity * 2);
    for (const key of Object.keys(bigger) as Array<keyof PageColumns>) bigger[key].set(this.columns[key] as never);
    this.columns = bigger;
    this.capacity *= 2;
  }
}

function allocate(pages: number): PageColumns {
  return readColumns(new Uint8Array(BYTES_PER_PAGE * pages), pages);
}
