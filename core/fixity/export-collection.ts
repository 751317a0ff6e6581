/**
 * `acervo export`: hands a collection on as a BagIt bag (RFC 8493) —
 *
 *     DIR/bagit.txt                 the declaration (written last: a folder without it is not a finished bag)
 *     DIR/bag-info.txt              Source-Organization, Bagging-Date, Payload-Oxum, Bag-Count, …
 *     DIR/manifest-sha256.txt       `<sha256>  data/<path>` for every PDF
 *     DIR/manifest.csv, .json       tag files: each record's metadata, checksums and page count
 *     DIR/tagmanifest-sha256.txt    the checksums of the tag files above
 *     DIR/data/<collection>/…       the PDFs, as under LIBRARY/documents/
 *
 * The manifests describe the payload rather than being part of it, so they are tag files (as
 * RFC 8493 allows) and data/ holds exactly the records. Every PDF is hashed as it is copied and the
 * hash compared with the catalog's: a PDF changed or lost since it was made is never handed on;
 * the export stops naming every such file, and removes what it wrote.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import type { Library } from '../library.js';
import { BAGIT_DECLARATION, bagInfoText, manifestText, payloadOxum, sha256Of, type ManifestEntry } from './bagit.js';
import { copyAndHash } from './hash-file.js';
import { manifestCsv, manifestJson, manifestRow, type ManifestRow } from './export-manifest.js';
import { formatBytes } from './verify-report.js';

export interface ExportOptions {
  collection: string;
  target: string;
  /** Source-Organization in bag-info.txt. */
  organization?: string;
  /** "Acervo 0.1.0", for Bag-Software-Agent. */
  software: string;
  signal?: AbortSignal;
}

export interface ExportResult {
  bag: string;
  collection: string;
  documents: number;
  bytes: number;
  payloadOxum: string;
  files: { manifest: string; csv: string; json: string; bagInfo: string };
  interrupted: boolean;
}

export async function exportCollection(library: Library, catalog: Catalog, options: ExportOptions): Promise<ExportResult> {
  const collections = catalog.collections();
  if (!collections.some((c) => c.collection === options.collection)) {
    const known = collections.map((c) => `${c.collection} (${c.documents})`).join(', ');
    throw new AppError('COLLECTION_NOT_FOUND', `The library has no converted document in a collection "${options.collection}"; ${known ? `its collections are: ${known}` : 'it has no collection with converted documents'}.`, {
      details: { collections: collections.map((c) => c.collection) },
    });
  }
  const bag = path.resolve(options.target);
  if (`${bag}${path.sep}`.startsWith(`${library.documentsDir}${path.sep}`)) {
    throw new AppError('USAGE', `Export into a folder outside the library's documents/ (${bag} is inside it, and its PDFs would look like the library's own).`);
  }
  const createdFolder = await prepareTarget(bag);
  try {
    const result = await writeBag(library, catalog, bag, options);
    if (result.interrupted) await removeBag(bag, createdFolder);
    return result;
  } catch (error) {
    await removeBag(bag, createdFolder);
    throw error;
  }
}

/** The target must be a new or empty folder: a bag must hold nothing its manifests do not list. Returns whether it was created. */
async function prepareTarget(bag: string): Promise<boolean> {
  if (!existsSync(bag)) {
    await mkdir(bag, { recursive: true });
    return true;
  }
  let entries: string[];
  try {
    entries = await readdir(bag);
  } catch (error) {
    throw new AppError('EXPORT_TARGET_NOT_EMPTY', `${bag} is not a folder that can be exported into (${(error as NodeJS.ErrnoException).code}); name a new or empty folder.`, { cause: error });
  }
  if (entries.length > 0) {
    throw new AppError('EXPORT_TARGET_NOT_EMPTY', `${bag} already holds ${entries.length} file(s) or folder(s) (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); export into a new or empty folder.`);
  }
  return false;
}

/** Removes what the export wrote (the folder's contents, and the folder if the export made it). */
async function removeBag(bag: string, createdFolder: boolean): Promise<void> {
  if (createdFolder) return rm(bag, { recursive: true, force: true });
  for (const entry of await readdir(bag).catch(() => [] as string[])) await rm(path.join(bag, entry), { recursive: true, force: true });
}

async function writeBag(library: Library, catalog: Catalog, bag: string, options: ExportOptions): Promise<ExportResult> {
  const records = catalog.exportRecords(options.collection);
  const rows: ManifestRow[] = [];
  const payload: Array<ManifestEntry & { bytes: number }> = [];
  const changed: string[] = [];
  const missing: string[] = [];
  for (const first of records) {
    if (options.signal?.aborted) return { ...emptyResult(bag, options.collection), interrupted: true };
    const file = `data/${first.outputPath.replace(/^documents\//, '')}`;
    let copy;
    try {
      copy = await copyAndHash(path.join(library.root, first.outputPath), path.join(bag, ...file.split('/')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(first.outputPath);
      continue;
    }
    // Compared with what the catalog says now: a writer may have converted the document again meanwhile.
    const expected = copy.sha256 === first.outputSha256 ? first.outputSha256 : catalog.fixityRecord(first.id)?.outputSha256;
    if (copy.sha256 !== expected) {
      changed.push(first.outputPath);
      continue;
    }
    rows.push(manifestRow(first, file, catalog.identifiers(first.id), copy));
    payload.push({ path: file, sha256: copy.sha256, bytes: copy.bytes });
  }
  if (changed.length > 0 || missing.length > 0) throw fixityError(changed, missing);

  const exportedAt = new Date();
  const oxum = payloadOxum(payload);
  const bytes = payload.reduce((n, p) => n + p.bytes, 0);
  const tagFiles: Array<[string, string]> = [
    ['manifest-sha256.txt', manifestText(payload)],
    ['manifest.csv', manifestCsv(rows)],
    ['manifest.json', manifestJson({ collection: options.collection, exportedAt: exportedAt.toISOString(), software: options.software }, rows)],
    [
      'bag-info.txt',
      bagInfoText([
        ['Source-Organization', options.organization],
        ['Bagging-Date', localDate(exportedAt)],
        ['Bag-Software-Agent', options.software],
        ['External-Identifier', options.collection],
        ['External-Description', `Collection "${options.collection}": ${payload.length} searchable PDF(s); their metadata and checksums are in manifest.csv and manifest.json.`],
        ['Payload-Oxum', oxum],
        ['Bag-Size', formatBytes(bytes)],
        ['Bag-Count', '1 of 1'],
      ]),
    ],
  ];
  for (const [name, text] of tagFiles) await writeFile(path.join(bag, name), text);
  const tagManifest = manifestText([...tagFiles, ['bagit.txt', BAGIT_DECLARATION] as [string, string]].map(([name, text]) => ({ path: name, sha256: sha256Of(text) })));
  await writeFile(path.join(bag, 'tagmanifest-sha256.txt'), tagManifest);
  await writeFile(path.join(bag, 'bagit.txt'), BAGIT_DECLARATION);
  return {
    bag,
    collection: options.collection,
    documents: payload.length,
    bytes,
    payloadOxum: oxum,
    files: { manifest: path.join(bag, 'manifest-sha256.txt'), csv: path.join(bag, 'manifest.csv'), json: path.join(bag, 'manifest.json'), bagInfo: path.join(bag, 'bag-info.txt') },
    interrupted: false,
  };
}

function fixityError(changed: string[], missing: string[]): AppError {
  const list = (files: string[]) => `${files.slice(0, 10).join(', ')}${files.length > 10 ? ` and ${files.length - 10} more` : ''}`;
  const parts = [
    ...(changed.length > 0 ? [`${changed.length} PDF(s) changed since they were made: ${list(changed)}`] : []),
    ...(missing.length > 0 ? [`${missing.length} PDF(s) missing: ${list(missing)}`] : []),
  ];
  return new AppError(changed.length > 0 ? 'FIXITY_CHANGED' : 'FIXITY_MISSING', `Nothing was exported: ${parts.join('; ')}. Restore them from a backup, or delete them and ingest their originals again (acervo verify lists every such file).`, {
    details: { changed, missing },
  });
}

function emptyResult(bag: string, collection: string): Omit<ExportResult, 'interrupted'> {
  return { bag, collection, documents: 0, bytes: 0, payloadOxum: '0.0', files: { manifest: '', csv: '', json: '', bagInfo: '' } };
}

function localDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
