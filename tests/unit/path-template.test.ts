import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { metadataFromPath } from '../../core/metadata/path-metadata.js';
import { parsePathTemplate, readPathTemplate } from '../../core/metadata/path-template.js';

describe('path template', () => {
  const template = parsePathTemplate('{collection}/{year}/Caixa {box}');

  it('reads collection, year and box from the folders, top down', () => {
    expect(readPathTemplate(template, 'Obras/1987/Caixa 12/alvara.tif')).toEqual({ collection: 'Obras', year: '1987', box: '12' });
    // Literal text is matched without regard to case; deeper folders say nothing more.
    expect(readPathTemplate(template, 'Obras/1987/caixa 3/pasta A/alvara.tif')).toEqual({ collection: 'Obras', year: '1987', box: '3' });
  });

  it('leaves out what a folder does not match, and what is not there', () => {
    expect(readPathTemplate(template, 'Obras/sem data/Caixa 12/x.pdf')).toEqual({ collection: 'Obras', box: '12' });
    expect(readPathTemplate(template, 'Obras/1987/Pasta 12/x.pdf')).toEqual({ collection: 'Obras', year: '1987' });
    expect(readPathTemplate(template, 'Obras/x.pdf')).toEqual({ collection: 'Obras' });
    // The file name is not a folder.
    expect(readPathTemplate(template, 'x.pdf')).toEqual({});
  });

  it('gives the metadata its values, with an implausible year left out', () => {
    expect(metadataFromPath('Obras/1987/Caixa 12/alvara.tif', '{collection}/{year}/Caixa {box}')).toMatchObject({ collection: 'Obras', year: 1987, box: '12', series: null });
    expect(metadataFromPath('Obras/3021/Caixa 12/alvara.tif', '{collection}/{year}/Caixa {box}')).toMatchObject({ year: null, box: '12' });
    // Without a template: the first folder is the collection, a 4-digit folder the year.
    expect(metadataFromPath('Obras/1987/Caixa 12/alvara.tif')).toMatchObject({ collection: 'Obras', year: 1987, box: null });
  });

  it('refuses a template with an unknown field, as a config error', () => {
    expect(() => parsePathTemplate('{colection}/{year}')).toThrow(/unknown field \{colection\}/);
    expect(() => loadConfig({ file: undefined, flags: { metadata: { pathTemplate: '{ano}' } }, env: {} })).toThrow(/Invalid setting metadata.pathTemplate: .*unknown field \{ano\}/);
  });
});
