/**
 * A record's title and type, from the lines at the top of its first page, above its running text:
 *
 * - the letterhead (PREFEITURA MUNICIPAL DE…, MUNICIPALIDAD DE…, ESTADO DE…, SECRETARIA DE…) names
 *   who issued it, never what it is: the title is below it;
 * - a line that opens with a type ("ALVARÁ DE CONSTRUÇÃO Nº 412/1987", "Nota Nº 188") is the title;
 * - the number of the file a paper sits in ("Exp. Nº 3301-000587-86", "Processo: 3.211/2007") or a
 *   protocol stamp ("PROTOCOLO Nº 4.512 — RECEBIDO EM …") gives the type only when no line says
 *   what the paper is, and the title only when no heading does ("INFORME", "DESPACHO");
 * - an untitled letter that asks for something is a petition (requerimento).
 */
import { findDates } from './dates.js';
import { documentTypeOfLine, foldWord, type DocumentTypeRules } from './document-type.js';
import { topLines } from './page-top.js';

export interface TitleReading {
  title: string | null;
  documentType: string | null;
}

const MAX_TITLE_LENGTH = 120;

/** Types that say where a paper is filed or logged, not what it is. */
const FILING_TYPES = ['processo', 'protocolo'];

/** Who issued the record (accent-folded, lower case), after an "I." / "H." / "Honorable". */
const LETTERHEAD = new RegExp(
  String.raw`^(?:(?:i|h|hon|honorable|ilustre|egregia)\.?\s+)?(?:prefeitura|municipalidad|municipio|camara|concejo|intendencia|junta|conselho|consejo|comissao|comision|secretaria|direccion|diretoria|departamento|divisao|division|secao|seccion|setor|sector|servico|servicio|ministerio|governo|gobierno|estado|provincia|republica|poder|tribunal|cartorio|coletoria|tesouraria|tesoreria|mesa|gabinete|assessoria|asesoria|procuradoria|coordenadoria|contaduria|oficina|bloque|bancada|fundacao|autarquia|grupo escolar|escola|escuela)\b`,
);
/** How a letter is addressed and closed, and the words that open a decision ("RESOLVE", "VISTO:"). */
const NOT_A_HEADING = /^(?:exm[oa]s?|ilm[oa]s?|senhor(?:a|es)?|senor(?:a|es)?|sr|sra|dr|dra|don|dona|presente|nesta|s\s*\/\s*d|a|ao|al|visto|vistos|considerando|resolve|resuelve|decreta|ordena|sanciona|faz saber|atenciosamente|saludo)\b/;
/** A form's field: "Expediente: 2231/76", "Assunto: …". */
const FIELD = /^[\p{L}\s.º°]{2,30}:/u;

/** A heading: a short line in capitals, not a field, a date, a letterhead, or a letter's address. */
function isHeading(line: string, folded: string): boolean {
  const letters = line.match(/\p{L}/gu) ?? [];
  const capitals = line.match(/\p{Lu}/gu) ?? [];
  if (letters.length < 4 || capitals.length < letters.length * 0.8 || line.length > MAX_TITLE_LENGTH) return false;
  return !line.includes(':') && !LETTERHEAD.test(folded) && !NOT_A_HEADING.test(folded) && findDates(line).length === 0;
}

/** Addressed to someone ("Señor Intendente", "Exmo. Sr. Prefeito") and asking ("a fin de solicitar", "vem requerer"). */
const ADDRESSED = /^(?:exm[oa]|ilm[oa]|senhor|senhora|senor|senora|sr\.|sra\.|a s\.\s?e\.|al senor)/m;
const ASKING = /\b(?:solicit(?:ar|o|amos|a)|requer(?:er|eiro|emos|)|pe(?:co|dimos|de)|pid(?:o|e|en|emos)|vem requerer)\b/;

export function readTitle(firstPage: string, rules: DocumentTypeRules): TitleReading {
  let heading: string | null = null;
  const filed: Array<{ line: string; type: string }> = [];
  for (const { text: line } of topLines(firstPage)) {
    const folded = foldWord(line);
    if (LETTERHEAD.test(folded)) continue;
    const type = documentTypeOfLine(line, rules);
    const filing = type !== null && FILING_TYPES.includes(type);
    if (type && !filing && !FIELD.test(line)) return { title: line.slice(0, MAX_TITLE_LENGTH), documentType: type };
    // "Processo: 3.211/2007", a form's field, says where the paper is filed, as a stamp does; "Contrato: …" says nothing of what it is.
    if (filing) filed.push({ line, type });
    else if (!type && heading === null && isHeading(line, folded)) heading = line;
  }
  filed.sort((a, b) => FILING_TYPES.indexOf(a.type) - FILING_TYPES.indexOf(b.type));
  const file = filed.find(({ line }) => !FIELD.test(line)) ?? null;
  const title = heading ?? file?.line.slice(0, MAX_TITLE_LENGTH) ?? null;
  const documentType = filed[0]?.type ?? (title === null && petition(firstPage, rules) ? 'requerimento' : null);
  return { title, documentType };
}

/** An untitled letter that asks for something is a petition, when the rules know petitions. */
function petition(text: string, rules: DocumentTypeRules): boolean {
  const folded = foldWord(text);
  return 'requerimento' in rules && ADDRESSED.test(folded) && ASKING.test(folded);
}
