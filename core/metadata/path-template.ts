/**
 * How an archive's folders are named, as a template: `{collection}/{year}/Caixa {box}` reads
 * `Obras/1987/Caixa 12/alvara.tif` as collection Obras, year 1987, box 12. Each `/`-separated part
 * of the template matches one folder, from the top; literal text around a field must be there too.
 * Folders the template does not reach, and parts that do not match, say nothing.
 */
import { AppError } from '../errors.js';

export const PATH_FIELDS = ['collection', 'year', 'box', 'series'] as const;
export type PathField = (typeof PATH_FIELDS)[number];
export type PathValues = Partial<Record<PathField, string>>;

interface TemplatePart {
  pattern: RegExp;
  fields: PathField[];
}

export interface PathTemplate {
  source: string;
  parts: TemplatePart[];
}

const FIELD = /\{([a-z]+)\}/g;

export function parsePathTemplate(source: string): PathTemplate {
  const parts = source.split('/').filter((part) => part.length > 0);
  if (parts.length === 0) throw new AppError('CONFIG_INVALID', `The path template "${source}" names no folder.`);
  return {
    source,
    parts: parts.map((part) => {
      const fields: PathField[] = [];
      let pattern = '';
      let last = 0;
      for (const match of part.matchAll(FIELD)) {
        const field = match[1] as PathField;
        if (!PATH_FIELDS.includes(field)) {
          throw new AppError('CONFIG_INVALID', `The path template "${source}" has an unknown field {${match[1]}}; use ${PATH_FIELDS.map((f) => `{${f}}`).join(', ')}.`);
        }
        pattern += escapeRegExp(part.slice(last, match.index)) + (field === 'year' ? '(\\d{4})' : '(.+?)');
        fields.push(field);
        last = match.index + match[0].length;
      }
      pattern += escapeRegExp(part.slice(last));
      return { pattern: new RegExp(`^${pattern}$`, 'iu'), fields };
    }),
  };
}

/** The values the folders of `relativePath` give for the template's fields. */
export function readPathTemplate(template: PathTemplate, relativePath: string): PathValues {
  const folders = relativePath.split(/[\\/]+/).filter(Boolean).slice(0, -1);
  const values: PathValues = {};
  template.parts.forEach((part, i) => {
    const folder = folders[i];
    const match = folder === undefined ? null : part.pattern.exec(folder);
    if (!match) return;
    part.fields.forEach((field, j) => {
      const value = match[j + 1]!.trim();
      if (value) values[field] = value;
    });
  });
  return values;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
