/**
 * A library for the public portal's tests (issue 26): public and non-public documents side by
 * side, each non-public one holding a word no other document has, so a probe can ask for it and
 * see whether anything of it shows. Born-digital PDFs (tests/helpers/text-library.ts): no OCR.
 */
import { textLibrary } from './text-library.js';

/** A valid CPF (check digits pass): a person's number, in a public document. */
export const CPF = '390.533.447-05';

/** Words only in one non-public document each, and why it is not public. */
export const SECRETS = {
  /** Pessoal is a restricted collection, though its type (decreto) is public. */
  restricted: 'zebrafuro',
  /** Obras is not a public collection and ofício not a public type. */
  notPublic: 'ornitorrinco',
  /** In the public collection Leis, withheld by staff one by one. */
  withheld: 'quimeragem',
} as const;

export const PORTAL_CONFIG = { enabled: true, publicCollections: ['Leis'], publicTypes: ['decreto'], publisher: 'Prefeitura Municipal de Exemplo', requestsPerMinute: 100 };
export const ACCESS = { restrictedCollections: [{ collection: 'Pessoal', roles: ['admin'] }] };

/** Titles of the public documents (as their first lines) and of the non-public ones. */
export const PUBLIC_TITLES = ['LEI Nº 100/1990', 'DECRETO Nº 12/1987', 'LEI Nº 102/1992'];
export const HIDDEN_TITLES = ['DECRETO Nº 99/1988', 'OFÍCIO Nº 5/1987', 'LEI Nº 101/1991'];

export function portalLibrary(folder: string): Promise<string> {
  return textLibrary(folder, [
    { path: 'Leis/1990/Caixa 1/lei-100.pdf', lines: ['LEI Nº 100/1990', 'Dispõe sobre a iluminação pública e a pavimentação.', 'Prefeitura Municipal, 10 de março de 1990.'] },
    { path: 'Obras/1987/Caixa 2/decreto-12.pdf', lines: ['DECRETO Nº 12/1987', 'Nomeia a comissão de pavimentação das ruas.', 'Prefeitura Municipal, 2 de fevereiro de 1987.'] },
    { path: 'Leis/1992/Caixa 1/lei-102.pdf', lines: ['LEI Nº 102/1992', 'Concede pensão de pavimentação a quem tem', `CPF ${CPF}, morador da rua.`, 'Prefeitura Municipal, 5 de maio de 1992.'] },
    { path: 'Pessoal/1988/Caixa 3/decreto-99.pdf', lines: ['DECRETO Nº 99/1988', `Exonera servidor da pavimentação ${SECRETS.restricted}.`, 'Prefeitura Municipal, 1 de junho de 1988.'] },
    { path: 'Obras/1987/Caixa 2/oficio-5.pdf', lines: ['OFÍCIO Nº 5/1987', `Pede a pavimentação da rua ${SECRETS.notPublic}.`, 'Prefeitura Municipal, 9 de setembro de 1987.'] },
    { path: 'Leis/1991/Caixa 1/lei-101.pdf', lines: ['LEI Nº 101/1991', `Pavimentação em sigilo ${SECRETS.withheld}.`, 'Prefeitura Municipal, 7 de julho de 1991.'] },
  ]);
}
