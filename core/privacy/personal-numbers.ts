/**
 * The one detector and masker of personal numbers (issue 20, LGPD and Argentina's law 25.326) that
 * every output channel uses: snippets, titles, file names, facets, PDF text layers, the index.
 *
 * A number is recognised by its check digits when nothing says what it is (CPF, CUIT/CUIL, CNPJ,
 * and the PIS or título de eleitor in their own written shapes), or by its label (`CPF nº`, `RG`,
 * `PIS/PASEP`, `Título de Eleitor`, `DNI`, `CUIL`…) whatever its check digits: a misread CPF is
 * still someone's. Digits are read in any written form (see digit-forms.ts).
 *
 * Masked look: every digit becomes `*`, punctuation, spaces and labels kept (`CPF ***.***.***-**`).
 * The government's partial style (`***.456.789-**`) leaves six digits which, beside a name,
 * narrow a CPF to a handful of people; a fully masked number still reads as "a CPF was here".
 */
import { digitRuns, digitValue, isSlip, type DigitRun } from './digit-forms.js';
import { COMPANY_CUIT_PREFIXES, PERSON_CUIT_PREFIXES, cnpjChecks, cpfChecks, cuitChecks, pisChecks, tituloChecks } from './check-digits.js';

export type PersonalNumberKind = 'cpf' | 'rg' | 'pis' | 'titulo' | 'cuit' | 'cnpj';

export interface PersonalNumber {
  kind: PersonalNumberKind;
  /** False only for companies: a valid CNPJ, a CUIT starting 30/33/34. */
  personal: boolean;
  /** UTF-16 offset of its first character in the text. */
  index: number;
  /** UTF-16 length as written (separators, zero-width characters, line breaks inside included). */
  length: number;
  /** As written. */
  text: string;
  /** Canonical ASCII digits (an RG may end in X). */
  digits: string;
}

/** More letters read for digits than this and a run is a word, not a misread number. */
const MAX_SLIPS = 2;
/** How far before a number its label may start (`Documento Nacional de Identidad Nº `). */
const LABEL_WINDOW = 48;

type Label = 'cpf' | 'cnpj' | 'cuit' | 'pis' | 'titulo' | 'rg' | 'dni';

/** What a label's number may hold: digits from min to max, most often `target`. */
const LABELLED: Partial<Record<Label, { min: number; max: number; target: number; kind: PersonalNumberKind }>> = {
  cpf: { min: 9, max: 12, target: 11, kind: 'cpf' },
  cuit: { min: 10, max: 12, target: 11, kind: 'cuit' },
  pis: { min: 10, max: 12, target: 11, kind: 'pis' },
  titulo: { min: 10, max: 13, target: 12, kind: 'titulo' },
  rg: { min: 5, max: 14, target: 0, kind: 'rg' },
  dni: { min: 6, max: 9, target: 8, kind: 'rg' },
};

const STATES = 'AC|AL|AP|AM|BA|CE|DF|ES|GO|MA|MT|MS|MG|PA|PB|PR|PE|PI|RJ|RN|RS|RO|RR|SC|SP|SE|TO';
const LABEL_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    String.raw`(?<cnpj>C\.?\s?N\.?\s?P\.?\s?J\.?|C\.?G\.?C\.?)|` +
    String.raw`(?<cpf>C\.?\s?P\.?\s?F(?:\.|s)?)|` +
    String.raw`(?<cuit>C\.?\s?U\.?\s?I\.?\s?[TL](?:\.|s)?)|` +
    String.raw`(?<pis>P\.?I\.?S\.?(?:\s?[/-]\s?PASEP)?|PASEP|N\.?I\.?[TS]\.?)|` +
    String.raw`(?<titulo>T[íi]\p{M}?tulo\s+(?:de\s+)?Eleitor(?:al)?|Inscri[çc]\p{M}?[ãa]\p{M}?o\s+Eleitoral)|` +
    String.raw`(?<dni>D\.?\s?N\.?\s?I\.?|Documento\s+Nacional\s+de\s+Identidad|Libreta\s+(?:de\s+Enrolamiento|C[íi]\p{M}?vica)|C[ée]\p{M}?dula\s+de\s+Identidad)|` +
    String.raw`(?<rg>R\.?\s?G\.?|RNE|Registro\s+Geral|(?:Carteira|C[ée]\p{M}?dula|Documento)\s+de\s+Identidade|Identidade)` +
    String.raw`)` +
    // `CPF/MF`, `CPF (MF)`, then `:`, `nº`, `n.º`, `sob o nº`, and an RG's state (`SSP` goes after the number).
    String.raw`(?:\s*[/(-]?\s*M[FE]\)?)?[\s:.,;#\-–—]*(?:(?:sob\s+o|de|do|da)\s+)?` +
    String.raw`(?:(?:n|nr|nro|num|n[uú]mero|no)\s*[.º°o]{0,2}\s*[.:]?\s*|[º°]\s*)?[\s:#\-–—]*` +
    String.raw`(?:(?:${STATES})\s?[-–]?\s?)?$`,
  'iu',
);
const ZERO_WIDTH_ALL = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
/** The X some RGs end with, after the digits. */
const RG_X = /[ \t]?[-–./]?[ \t]?[xX](?![\p{L}\p{N}])/uy;

function labelBefore(text: string, index: number): Label | null {
  const window = text.slice(Math.max(0, index - LABEL_WINDOW), index).replace(ZERO_WIDTH_ALL, '');
  const groups = LABEL_BEFORE.exec(window)?.groups;
  if (!groups) return null;
  for (const label of ['cnpj', 'cpf', 'cuit', 'pis', 'titulo', 'dni', 'rg'] as const) if (groups[label] !== undefined) return label;
  return null;
}

/** A stretch of a run's groups, from groups[i] to groups[j], edge slips possibly left out. */
interface Span {
  i: number;
  j: number;
  dropLead: boolean;
  dropTrail: boolean;
  digits: string;
  /** Where the groups meet, in digits from the start (`390.533.447-05`: 3, 6, 9). */
  cuts: number[];
  slips: number;
}

const KEEP_OR_DROP = [false, true] as const;
const KEEP = [false] as const;

/** Calls `visit` with every span starting at groups[i] holding `min` to `max` digits, shortest first. */
function eachSpan(run: DigitRun, i: number, min: number, max: number, visit: (span: Span) => void): void {
  const first = run.groups[i]!;
  for (const dropLead of first.lead > 0 ? KEEP_OR_DROP : KEEP) {
    let digits = '';
    let slips = 0;
    const cuts: number[] = [];
    for (let j = i; j < run.groups.length && digits.length <= max; j += 1) {
      const group = run.groups[j]!;
      const part = j === i && dropLead ? group.digits.slice(group.lead) : group.digits;
      const partSlips = j === i && dropLead ? group.slips - group.lead : group.slips;
      if (j > i) cuts.push(digits.length);
      for (const dropTrail of group.trail > 0 ? KEEP_OR_DROP : KEEP) {
        const length = digits.length + part.length - (dropTrail ? group.trail : 0);
        if (length < min || length > max) continue;
        const all = digits + (dropTrail ? part.slice(0, part.length - group.trail) : part);
        visit({ i, j, dropLead, dropTrail, digits: all, cuts, slips: slips + partSlips - (dropTrail ? group.trail : 0) });
      }
      digits += part;
      slips += partSlips;
    }
  }
}

const within = (cuts: readonly number[], allowed: readonly number[]) => cuts.every((cut) => allowed.includes(cut));
const exactly = (cuts: readonly number[], expected: readonly number[]) => cuts.length === expected.length && cuts.every((cut, k) => cut === expected[k]);
const puncts = (run: DigitRun, span: Span) => run.gaps.slice(span.i, span.j).map((gap) => gap.punct).join('');
const endsFree = (run: DigitRun, span: Span) => span.j === run.groups.length - 1 || span.dropTrail || run.gaps[span.j]!.space;
const startsFree = (run: DigitRun, span: Span) => span.i === 0 || span.dropLead || run.gaps[span.i - 1]!.space;

/** What an unlabelled span is, by its check digits and its written shape. */
function byShape(run: DigitRun, span: Span, preferCuit: boolean): { kind: PersonalNumberKind; personal: boolean } | null {
  const { digits, cuts } = span;
  if (span.slips > MAX_SLIPS) return null;
  if (digits.length === 14) return within(cuts, [2, 5, 8, 12]) && cnpjChecks(digits) ? { kind: 'cnpj', personal: false } : null;
  if (digits.length === 12) return exactly(cuts, [4, 8]) && tituloChecks(digits) ? { kind: 'titulo', personal: true } : null;
  if (digits.length !== 11) return null;
  const prefix = digits.slice(0, 2);
  // `123.456.789,01` is an amount (thousands and cents), however its digits add up.
  const cpf = within(cuts, [3, 6, 9]) && !(cuts.length === 3 && puncts(run, span) === '..,') && cpfChecks(digits);
  const cuit = within(cuts, [2, 10]) && (PERSON_CUIT_PREFIXES.has(prefix) || COMPANY_CUIT_PREFIXES.has(prefix)) && cuitChecks(digits);
  // Valid as both: a person's anyway (a CPF is always one).
  if (cpf && cuit) return { kind: preferCuit ? 'cuit' : 'cpf', personal: true };
  if (cpf) return { kind: 'cpf', personal: true };
  if (cuit) return { kind: 'cuit', personal: PERSON_CUIT_PREFIXES.has(prefix) };
  if (exactly(cuts, [3, 8, 10]) && pisChecks(digits)) return { kind: 'pis', personal: true };
  // Written exactly as a CPF (or a person's CUIL) is, standing alone: a misread one, still someone's.
  if (span.slips === 0 && startsFree(run, span) && endsFree(run, span)) {
    if (exactly(cuts, [3, 6, 9]) && /^\.\.[-/]$/.test(puncts(run, span))) return { kind: 'cpf', personal: true };
    if (exactly(cuts, [2, 10]) && puncts(run, span) === '--' && PERSON_CUIT_PREFIXES.has(prefix)) return { kind: 'cuit', personal: true };
  }
  return null;
}

/** The span a label's number takes from the run's start: the expected length if it can, else the longest. */
function labelledSpan(run: DigitRun, label: Label): { span: Span; kind: PersonalNumberKind; personal: boolean } | null {
  const rule = LABELLED[label];
  if (!rule) return null;
  let best: Span | null = null;
  let bestScore = -1;
  // `, ` ends the number (`RG 12.345.678-9, emitido 12/05`); a comma alone may be a separator in it.
  const stop = run.gaps.findIndex((gap) => gap.punct === ',' && gap.space);
  eachSpan(run, 0, rule.min, rule.max, (span) => {
    if (span.digits.length < rule.min || span.slips > MAX_SLIPS || !endsFree(run, span) || (stop >= 0 && span.j > stop)) return;
    const score = (span.digits.length === rule.target ? 100 : 0) + span.digits.length * 2 + (span.dropTrail || span.dropLead ? 0 : 1);
    if (score > bestScore) [best, bestScore] = [{ ...span, cuts: [...span.cuts] }, score];
  });
  const span = best as Span | null;
  if (!span) return null;
  if (label === 'cuit' && COMPANY_CUIT_PREFIXES.has(span.digits.slice(0, 2))) {
    return cuitChecks(span.digits) ? { span, kind: 'cuit', personal: false } : null;
  }
  return { span, kind: rule.kind, personal: true };
}

function numberOf(text: string, run: DigitRun, span: Span, kind: PersonalNumberKind, personal: boolean): PersonalNumber {
  const first = run.groups[span.i]!;
  const last = run.groups[span.j]!;
  const index = first.at[span.dropLead ? first.lead : 0]!;
  let end = last.to[last.to.length - (span.dropTrail ? last.trail : 0) - 1]!;
  let digits = span.digits;
  if (kind === 'rg') {
    RG_X.lastIndex = end;
    if (RG_X.test(text)) [end, digits] = [RG_X.lastIndex, `${digits}X`];
  }
  return { kind, personal, index, length: end - index, text: text.slice(index, end), digits };
}

/** Every CPF, RG, PIS, título, CUIT/CUIL and CNPJ in `text`, sorted by index, none overlapping. */
export function findPersonalNumbers(text: string): PersonalNumber[] {
  const found: PersonalNumber[] = [];
  for (const run of digitRuns(text, 5)) {
    const label = labelBefore(text, run.groups[0]!.at[0]!);
    let from = 0;
    const labelled = label ? labelledSpan(run, label) : null;
    if (labelled) {
      found.push(numberOf(text, run, labelled.span, labelled.kind, labelled.personal));
      from = labelled.span.j + 1;
    }
    if (run.count < 11) continue;
    for (let i = from; i < run.groups.length; ) {
      let best: { span: Span; kind: PersonalNumberKind; personal: boolean } | null = null;
      eachSpan(run, i, 11, 14, (span) => {
        if (span.digits.length < 11 || (best && best.span.digits.length >= span.digits.length)) return;
        const what = byShape(run, span, label === 'cuit');
        if (what) best = { span: { ...span, cuts: [...span.cuts] }, ...what };
      });
      const hit = best as { span: Span; kind: PersonalNumberKind; personal: boolean } | null;
      if (!hit) {
        i += 1;
        continue;
      }
      found.push(numberOf(text, run, hit.span, hit.kind, hit.personal));
      i = hit.span.j + 1;
    }
  }
  return found;
}

export function personalNumberKey(kind: PersonalNumberKind, digits: string): string {
  return `${kind}:${digits}`;
}

/**
 * Same UTF-16 length as `text`: every digit-like character of each *personal* number becomes '*'
 * (two for a digit outside the BMP), separators, spaces and labels kept; numbers whose key is in
 * `shown` stay as written (whatever kind the key names: the user typed those very digits).
 * Non-personal numbers (CNPJ, a company's CUIT, dates, process and phone numbers) unchanged.
 */
export function maskPersonalNumbers(text: string, options: { shown?: ReadonlySet<string> } = {}): string {
  const numbers = findPersonalNumbers(text).filter((number) => number.personal);
  if (numbers.length === 0) return text;
  const shownDigits = new Set([...(options.shown ?? [])].map((key) => key.slice(key.indexOf(':') + 1)));
  let out = '';
  let at = 0;
  for (const number of numbers) {
    if (shownDigits.has(number.digits)) continue;
    out += text.slice(at, number.index);
    const end = number.index + number.length;
    for (let k = number.index; k < end; k += 1) {
      const code = text.charCodeAt(k);
      if (code >= 0xd800 && code <= 0xdbff && k + 1 < end) {
        const digit = digitValue(text.codePointAt(k)!) >= 0;
        out += digit ? '**' : text.slice(k, k + 2);
        k += 1;
      } else out += digitValue(code) >= 0 || isSlip(code) || code === 0x58 || code === 0x78 ? '*' : text[k];
    }
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Keys of the whole personal numbers a user typed in a query, in any written form. Numbers with
 * check digits must pass them; a part of a number gives nothing. An 11-digit number valid both as
 * a CPF and a CUIL gives both keys, whichever the text it is looked for in calls it.
 */
export function typedPersonalNumbers(query: string): Set<string> {
  const keys = new Set<string>();
  for (const number of findPersonalNumbers(query)) {
    if (!number.personal) continue;
    const { kind, digits } = number;
    if (kind === 'cpf' || kind === 'cuit') {
      if (cpfChecks(digits)) keys.add(personalNumberKey('cpf', digits));
      if (cuitChecks(digits) && PERSON_CUIT_PREFIXES.has(digits.slice(0, 2))) keys.add(personalNumberKey('cuit', digits));
    } else if (kind !== 'pis' || pisChecks(digits)) keys.add(personalNumberKey(kind, digits));
  }
  return keys;
}
