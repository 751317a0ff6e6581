/**
 * Box inventories: the spreadsheets archive staff already keep, saved as CSV — one row per box,
 * folder or file, with what they know of it. Merged on ingest; their values win over what is read
 * from the path and the text. A row for a folder applies to everything below it; a row nearer
 * the file wins field by field.
 *
 *     path,title,collection,year,box,series,type,date,notes
 *     Obras/1987/Caixa 12,,Obras,1987,12,,,,Recebida da Secretaria de Obras em 1995
 *     Obras/1987/Caixa 12/alvara-412.png,Alvará de construção 412/1987,,,,,alvara,12/03/1987,
 *
 * Comma- or semicolon-separated (Excel in Portuguese saves with ";"), UTF-8 with or without BOM;
 * the column names may be in Portuguese or Spanish (caminho, título, coleção, ano, caixa, série,
 * tipo, data, observações).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../errors.js';
import type { ManualMetadata } from '../model.js';
import { findDates } from './dates.js';
import { foldWord } from './document-type.js';

/** csv-parse, loaded when an inventory is read (commands that never read one start without it). */
function csvParser(): typeof import('csv-parse/sync').parse {
  return (createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync')).parse;
}

type Column = 'path' | 'title' | 'collection' | 'year' | 'box' | 'series' | 'type' | 'date' | 'notes';

const COLUMN_NAMES: Record<string, Column> = {
  path: 'path', caminho: 'path', arquivo: 'path', pasta: 'path', archivo: 'path', carpeta: 'path', ruta: 'path',
  title: 'title', titulo: 'title',
  collection: 'collection', colecao: 'collection', coleccion: 'collection', fundo: 'collection', fondo: 'collection',
  year: 'year', ano: 'year',
  box: 'box', caixa: 'box', caja: 'box',
  series: 'series', serie: 'series',
  type: 'type', tipo: 'type',
  date: 'date', data: 'date', fecha: 'date',
  notes: 'notes', observacoes: 'notes', observacao: 'notes', notas: 'notes', observaciones: 'notes', obs: 'notes',
};

export interface Inventory {
  /** What the rows for this file and the folders above it say (nearest wins). */
  lookup(relativePath: string): ManualMetadata;
  readonly rows: number;
}

function normalisePath(value: string): string {
  return value.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/');
}

export function loadInventories(files: readonly string[]): Inventory {
  const entries = new Map<string, ManualMetadata>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AppError('CONFIG_NOT_FOUND', `The inventory ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
    }
    const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = header.split(';').length > header.split(',').length ? ';' : ',';
    let records: string[][];
    try {
      records = csvParser()(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (error) {
      throw new AppError('CONFIG_INVALID', `The inventory ${file} is not valid CSV: ${(error as Error).message}`, { cause: error });
    }
    const [names, ...rows] = records;
    if (!names) continue;
    const columns = names.map((name, i) => {
      const column = COLUMN_NAMES[foldWord(name).replace(/[^a-z]/g, '')];
      if (!column) throw new AppError('CONFIG_INVALID', `The inventory ${file} has an unknown column "${name}" (column ${i + 1}); use path, title, collection, year, box, series, type, date, notes.`);
      return column;
    });
    if (!columns.includes('path')) throw new AppError('CONFIG_INVALID', `The inventory ${file} needs a "path" column (the file or folder, below the folder ingested).`);
    rows.forEach((row, r) => {
      const line = r + 2;
      const values: Partial<Record<Column, string>> = {};
      columns.forEach((column, i) => {
        const value = row[i]?.trim();
        if (value) values[column] = value;
      });
      if (!values.path) return;
      entries.set(normalisePath(values.path), manualFrom(values, `${file} line ${line}`));
    });
  }
  return {
    rows: entries.size,
    lookup(relativePath) {
      const parts = normalisePath(relativePath).split('/');
      let merged: ManualMetadata = {};
      // From the top folder down to the file: nearer rows win.
      for (let i = 1; i <= parts.length; i++) {
        const entry = entries.get(parts.slice(0, i).join('/'));
        if (entry) merged = { ...merged, ...entry };
      }
      return merged;
    },
  };
}

function manualFrom(values: Partial<Record<Column, string>>, where: string): ManualMetadata {
  const manual: ManualMetadata = {};
  if (values.title) manual.title = values.title;
  if (values.collection) manual.collection = values.collection;
  if (values.box) manual.box = values.box;
  if (values.series) manual.series = values.series;
  if (values.notes) manual.notes = values.notes;
  if (values.type) manual.documentType = foldWord(values.type).replace(/[^a-z0-9_-]/g, '');
  if (values.year) {
    if (!/^\d{4}$/.test(values.year)) throw new AppError('CONFIG_INVALID', `${where}: the year "${values.year}" is not a four-digit year.`);
    manual.year = Number(values.year);
  }
  if (values.date) {
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(values.date) ? values.date : findDates(values.date)[0]?.iso;
    if (!iso) throw new AppError('CONFIG_INVALID', `${where}: the date "${values.date}" is not a date (write 1987-03-12 or 12/03/1987).`);
    manual.date = iso;
    manual.year ??= Number(iso.slice(0, 4));
  }
  return manual;
}
