/**
 * What kind of record a document is, from the words its title line opens with ("ALVARÁ DE
 * CONSTRUÇÃO", "Decreto nº 345"), by rules an archivist reads and extends in the config
 * (`metadata.documentTypes`): each type, the words or phrases that open its titles. Types are
 * stable keys, filterable and faceted in search; a title that opens with none stays unknown.
 */

export type DocumentTypeRules = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_DOCUMENT_TYPES: DocumentTypeRules = {
  alvara: ['alvará'],
  ata: ['ata', 'acta'],
  certidao: ['certidão', 'certificado', 'certificación'],
  contrato: ['contrato'],
  convenio: ['convênio', 'convenio'],
  decreto: ['decreto', 'decreto-lei'],
  edital: ['edital', 'edicto'],
  lei: ['lei', 'lei complementar', 'ley'],
  memorando: ['memorando', 'memorándum'],
  oficio: ['ofício'],
  ordenanza: ['ordenanza'],
  parecer: ['parecer', 'dictamen'],
  portaria: ['portaria'],
  // A bill is not the law it may become.
  projeto: ['projeto de lei', 'projeto de lei complementar', 'projeto de resolução', 'projeto de decreto legislativo', 'proyecto de ley', 'proyecto de ordenanza'],
  processo: ['processo', 'expediente'],
  protocolo: ['protocolo'],
  recibo: ['recibo'],
  requerimento: ['requerimento', 'solicitud'],
  resolucao: ['resolução', 'resolución'],
  termo: ['termo de posse', 'termo de compromisso'],
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
