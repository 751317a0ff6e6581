/**
 * What a separator sheet's barcode says. `ACERVO-SEP` only separates; `ACERVO:key=value;…`
 * separates and describes the document that follows (its collection, box, title…). Any other
 * barcode on a page (a protocol sticker, a product code) is not a separator.
 */
import type { ManualMetadata } from '../model.js';

export const SEPARATOR_TEXT = 'ACERVO-SEP';
export const METADATA_PREFIX = 'ACERVO:';

/** Keys a metadata barcode may carry: the inventory's fields, in English, Portuguese and Spanish. */
const KEYS: Record<string, keyof ManualMetadata> = {
  title: 'title', titulo: 'title', título: 'title',
  collection: 'collection', colecao: 'collection', coleção: 'collection', fundo: 'collection', coleccion: 'collection', colección: 'collection',
  year: 'year', ano: 'year', año: 'year',
  box: 'box', caixa: 'box', caja: 'box',
  series: 'series', serie: 'series', série: 'series',
  type: 'documentType', documenttype: 'documentType', tipo: 'documentType',
  date: 'date', data: 'date', fecha: 'date',
  notes: 'notes', notas: 'notes', observacoes: 'notes', observações: 'notes',
};

export interface SeparatorCode {
  text: string;
  metadata: ManualMetadata | null;
  /** Parts not understood; the sheet still separates. */
  warnings: string[];
}

/** The separator a barcode's text stands for, or null when it is not one of Acervo's. */
export function parseSeparatorCode(text: string): SeparatorCode | null {
  const trimmed = text.trim();
  if (trimmed.toUpperCase() === SEPARATOR_TEXT) return { text: trimmed, metadata: null, warnings: [] };
  if (trimmed.slice(0, METADATA_PREFIX.length).toUpperCase() !== METADATA_PREFIX) return null;
  const metadata: ManualMetadata = {};
  const warnings: string[] = [];
  for (const field of trimmed.slice(METADATA_PREFIX.length).split(';')) {
    if (field.trim() === '') continue;
    const eq = field.indexOf('=');
    const rawKey = (eq < 0 ? field : field.slice(0, eq)).trim();
    const value = eq < 0 ? '' : field.slice(eq + 1).trim();
    const key = KEYS[rawKey.toLowerCase()];
    if (!key) {
      warnings.push(`unknown field "${rawKey}" (known: title, collection, year, box, series, type, date, notes)`);
    } else if (value === '') {
      warnings.push(`field "${rawKey}" has no value`);
    } else if (key === 'year') {
      if (/^\d{4}$/.test(value)) metadata.year = Number(value);
      else warnings.push(`year "${value}" is not a four-digit year`);
    } else if (key === 'date') {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) metadata.date = value;
      else warnings.push(`date "${value}" is not YYYY-MM-DD`);
    } else {
      metadata[key] = value;
    }
  }
  return { text: trimmed, metadata: Object.keys(metadata).length > 0 ? metadata : null, warnings };
}

/** The barcode text for a sheet describing the next document (the inverse of parseSeparatorCode). */
export function formatSeparatorCode(metadata: ManualMetadata | null): string {
  if (!metadata || Object.keys(metadata).length === 0) return SEPARATOR_TEXT;
  const fields = Object.entries(metadata)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key === 'documentType' ? 'type' : key}=${String(value).replace(/[;=]/g, ' ')}`);
  return `${METADATA_PREFIX}${fields.join(';')}`;
}
