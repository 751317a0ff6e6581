/**
 * What kind of record a document is, from the words its title line opens with ("ALVARÁ DE
 * CONSTRUÇÃO", "Decreto nº 345"), by rules an archivist reads and extends in the config
 * (`metadata.documentTypes`): each type, the words or phrases that open its titles. Types are
 * stable keys, filterable and faceted in search; a title that opens with none stays unknown.
 */

export type DocumentTypeRules = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_DOCUMENT_TYPES: DocumentTypeRules = {
  alvara: ['alvará', 'habilitación', 'permiso de construcción', 'permiso de obra', 'licencia de construcción'],
  ata: ['ata', 'acta'],
  certidao: ['certidão', 'certificado', 'certificación', 'constancia'],
  contrato: ['contrato', 'extrato de contrato', 'extrato do contrato', 'termo de contrato'],
  convenio: ['convênio', 'convenio', 'termo de convênio'],
  decreto: ['decreto', 'decreto-lei'],
  edital: ['edital', 'edicto'],
  lei: ['lei', 'lei complementar', 'ley'],
  memorando: ['memorando', 'memorándum', 'memo.'],
  notificacao: ['notificação', 'notificación'],
  // "Nota Nº 123/85" is how Argentine and Uruguayan offices wrote to one another.
  oficio: ['ofício', 'of.', 'nota'],
  ordenanza: ['ordenanza'],
  parecer: ['parecer', 'dictamen'],
  portaria: ['portaria'],
  // A bill is not the law it may become.
  projeto: [
    'projeto de lei', 'projeto de lei complementar', 'projeto de resolução', 'projeto de decreto legislativo', 'projeto de emenda',
    'proyecto de ley', 'proyecto de ordenanza', 'proyecto de resolución', 'proyecto de decreto', 'proyecto de comunicación', 'proyecto de declaración',
  ],
  processo: ['processo', 'proc.', 'expediente', 'expte.', 'exp.', 'actuación'],
  protocolo: ['protocolo', 'mesa de entradas'],
  recibo: ['recibo'],
  requerimento: ['requerimento', 'solicitud'],
  resolucao: ['resolução', 'resolución'],
  // Termo de posse, de compromisso, de abertura…; "termo aditivo" amends a contract and is not one.
  termo: ['termo de'],
};

export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The configured rules over the defaults: a type listed in the config replaces that type's words. */
export function documentTypeRules(configured: DocumentTypeRules = {}): DocumentTypeRules {
  return { ...DEFAULT_DOCUMENT_TYPES, ...configured };
}

/** The type whose words open the line (the longest phrase wins: "decreto-lei" over "decreto"), or null. */
export function documentTypeOfLine(line: string, rules: DocumentTypeRules = DEFAULT_DOCUMENT_TYPES): string | null {
  const folded = foldWord(line.trim()).replace(/\s+/g, ' ');
  let best: { type: string; length: number } | null = null;
  for (const [type, phrases] of Object.entries(rules)) {
    for (const phrase of phrases) {
      const start = foldWord(phrase).trim();
      if (folded.startsWith(start) && !/[\p{L}\p{N}]/u.test(folded.charAt(start.length)) && (!best || start.length > best.length)) {
        best = { type, length: start.length };
      }
    }
  }
  return best?.type ?? null;
}
