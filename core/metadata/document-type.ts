/**
 * What kind of record a document is, from the word its title line opens with ("ALVARÁ DE
 * CONSTRUÇÃO", "Decreto nº 345"). Types are stable keys (accent-folded, lower case), filterable
 * and faceted in search; a document whose title names no known type stays unknown (null).
 */

/** Words that open the title line of municipal records, accent-folded, and the type each names. */
export const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  alvara: 'alvara',
  ata: 'ata',
  acta: 'ata',
  certidao: 'certidao',
  certificado: 'certidao',
  contrato: 'contrato',
  decreto: 'decreto',
  'decreto-lei': 'decreto',
  edital: 'edital',
  edicto: 'edital',
  lei: 'lei',
  ley: 'lei',
  memorando: 'memorando',
  oficio: 'oficio',
  ordenanza: 'ordenanza',
  parecer: 'parecer',
  portaria: 'portaria',
  processo: 'processo',
  expediente: 'processo',
  protocolo: 'protocolo',
  recibo: 'recibo',
  requerimento: 'requerimento',
  resolucao: 'resolucao',
  resolucion: 'resolucao',
};

export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The type the line's first word names, or null. */
export function documentTypeOfLine(line: string): string | null {
  const firstWord = foldWord(line.trim()).match(/^[a-z]+(?:-[a-z]+)?/)?.[0];
  return firstWord === undefined ? null : (DOCUMENT_TYPES[firstWord] ?? null);
}
