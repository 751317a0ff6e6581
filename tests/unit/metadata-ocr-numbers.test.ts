/**
 * Identifiers and dates read as OCR gives them, not only as typed: the forms below are what
 * Tesseract read from scanned records of the metadata test set (npm run bench -- --metadata-set-only),
 * each with the near misses that must still not match.
 */
import { describe, expect, it } from 'vitest';
import { findDates } from '../../core/metadata/dates.js';
import { findIdentifiers } from '../../core/metadata/identifiers.js';
import { restoreMisreadDigits } from '../../core/metadata/misread-digits.js';

const ids = (text: string) => findIdentifiers(text).map((id) => `${id.kind} ${id.value}`);
const isos = (text: string) => findDates(text).map((d) => d.iso);

describe('identifiers as OCR reads them', () => {
  it('takes "Ne" and "N*" for the sign Nº, and a sign closed up against its act', () => {
    expect(ids('DECRETO ALCALDICIO Ne 1.245')).toEqual(['decreto 1245']);
    expect(ids('quedando sancionado el Decreto Ne 412.')).toEqual(['decreto 412']);
    expect(ids('recaído en el Exp. N*\n\n71/58, relativo a')).toEqual(['processo 71/1958']);
    expect(ids('DECRETONº 118\nColonia Esperanza')).toEqual(['decreto 118']);
    // A word that starts with "ne" is no sign; nor is "N*" after a word that names no act.
    expect(ids('a lei nesta data 12/2001')).toEqual([]);
    expect(ids('Sobre N* 1: CANTERAS DEL CENTRO S.A.')).toEqual([]);
  });

  it('reads an act named across a line break where the page wrapped the sentence', () => {
    expect(ids('conforme Processo\nDER nº 2.214/83.')).toEqual(['processo DER-2214/1983']);
    expect(ids('objeto do Processo\nAdministrativo\n\nnº 4.418/2009.')).toEqual(['processo 4418/2009']);
    expect(ids('aprovado pelo Alvará de\nConstrução nº 119/81, ;')).toEqual(['alvara 119/1981']);
    expect(ids('com fundamento na Lei\nFederal nº 8.666, de 21 de\njunho de 1993, resolvem')).toEqual(['lei 8666/1993']);
    // A heading alone on its line is not continued by the line below.
    expect(ids('EDICTO\nLICITACIÓN PÚBLICA Nº 04/97')).toEqual([]);
    expect(ids('PROCESSO\nCONCURSO PÚBLICO Nº 3/2001')).toEqual([]);
  });

  it("reads an issuer's abbreviation whose I was read as 1, and takes no number from it", () => {
    expect(ids('RESOLUCIÓN 1.M. Nº 245/95')).toEqual(['resolucao 245/1995']);
    expect(ids('Nota 1.M. Nº 88/93')).toEqual(['oficio 88/1993']);
  });

  it('reads the dotted number OCR spaced after its dot, and none from a number with a digit too many', () => {
    expect(ids('Que la Ordenanza Nº 1. 045 no contempla')).toEqual(['ordenanza 1045']);
    // "1.5722" is a misread "1.522": no number rather than decree 1.
    expect(ids('conforme a lo dispuesto en el Decreto Nº 1.5722 de la Junta')).toEqual([]);
  });

  it('reads typewriter spacing OCR closed up in places, before the slash of a year only', () => {
    expect(ids('Ref.: Processo nº 24 1 1/87- Loteamento')).toEqual(['processo 2411/1987']);
    expect(ids('Processo nº 24 1 1 folhas')).not.toContain('processo 2411');
  });

  it("reads an office's letter O or I that OCR read as 0 or 1, between a number and its year", () => {
    expect(ids('tramitada por Expte. Nº 1.044-0-2004,')).toEqual(['processo 1044-O/2004']);
    expect(ids('Se acompaña el Expediente Nº 3.318-1-1988, con')).toEqual(['processo 3318-I/1988']);
    // Other digits, and numbers whose last part is no year, are kept as written.
    expect(ids('Expediente Nº 1234-2-1990')).toEqual(['processo 1234-2-1990']);
    expect(ids('Processo nº 1982-3-0412')).toEqual(['processo 1982-3-0412']);
    expect(ids('Expediente Nº 2019-1-1020')).toEqual(['processo 2019-1-1020']);
    expect(ids('Exp. Nº 3301-000587-86')).toEqual(['processo 3301-000587-86']);
  });

  it('reads a number OCR parted after its hyphens, and no more than the number', () => {
    expect(ids('Exp. Nº 3301- 001456- 88')).toEqual(['processo 3301-001456-88']);
    // A date after a hyphen and a space is no part of it; nor a word; nor what follows a spaced dash.
    expect(ids('Protocolo nº 123- 12/03/1987')).toEqual(['protocolo 123']);
    expect(ids('Ref.: Processo nº 24 1 1/87- Loteamento')).toEqual(['processo 2411/1987']);
    expect(ids('Ofício nº 57/84 - 3 vias')).toEqual(['oficio 57/1984']);
  });

  it("takes the act's year from its date when OCR read a speck before the day", () => {
    expect(ids('da Lei Federal nº 8.069,de-13 de julho\nde 1990 (Estatuto')).toEqual(['lei 8069/1990']);
  });

  it('reads the letters OCR gives for digits inside a number, and reports the number as written', () => {
    expect(ids('Processo nº 1.O73/87')).toEqual(['processo 1073/1987']);
    expect(ids('Protocolo nº 19S2/88')).toEqual(['protocolo 1952/1988']);
    expect(findIdentifiers('Processo nº 1.O73/87')[0]!.text).toBe('Processo nº 1.O73/87');
  });
});

describe('digits OCR read as letters', () => {
  it('are put back between digits and at the end of a typewriter-spaced year, one for one', () => {
    expect(restoreMisreadDigits('nº 1.O73/87 e 19B7')).toBe('nº 1.073/87 e 1987');
    expect(restoreMisreadDigits('2 de outubro de 1 9 6 B.')).toBe('2 de outubro de 1 9 6 8.');
  });

  it('are left alone beside one digit only, or in a word', () => {
    for (const text of ['Rua 12B, apto 3', 'Expediente 12.345/B/87', 'C.I. 3.871.246-2', 'Processo SS-1234/87', 'BIS 1 2 3 SOS', 'de 2 1 0 SOS']) {
      expect(restoreMisreadDigits(text)).toBe(text);
    }
  });
});

describe('dates as OCR reads them', () => {
  it('reads a typewriter-spaced year whose last digit was read as a letter', () => {
    expect(isos('Jequitibá da Mata, 2 de outubro de 1 9 6 B.')).toEqual(['1968-10-02']);
  });

  it('takes no two-digit year from the start of a longer one OCR misread', () => {
    expect(isos('conforme a la Ordenanza Nº 789, de fecha 10 de\ndiciembre de 19€.')).toEqual([]);
    expect(isos('exercício de 2 de março de 1 9 6 X')).toEqual([]);
    // A two-digit year that ends is still one.
    expect(isos('em 12 de março de 87.')).toEqual(['1987-03-12']);
  });
});
