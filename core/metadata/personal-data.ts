/**
 * Taxpayer numbers: Brazilian CPF (people) and CNPJ (companies), Argentine CUIT/CUIL, recognised
 * only when their check digits hold, so that a process, protocol or phone number of the same
 * length is not mistaken for one. CPFs and people's CUILs are personal data under the LGPD and
 * Argentina's law 25.326; a company's number is not.
 */

export interface PersonalNumber {
  kind: 'cpf' | 'cnpj' | 'cuit';
  /** The number belongs to a person (personal data), not to a company. */
  personal: boolean;
  /** As written. */
  text: string;
  index: number;
}

const CPF = /(?<![\d./-])(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})\s?[-–]?\s?(\d{2})(?![\d./-]*\d)/g;
const CNPJ = /(?<![\d./-])(\d{2})\.?(\d{3})\.?(\d{3})\s?\/?\s?(\d{4})\s?[-–]?\s?(\d{2})(?![\d./-]*\d)/g;
/** 20-12345678-3: two digits, eight, one. */
const CUIT = /(?<![\d./-])(20|23|24|27|30|33|34)\s?[-–]\s?(\d{8})\s?[-–]\s?(\d)(?![\d./-]*\d)/g;
/** Prefixes of people's CUIL/CUIT; 30, 33 and 34 are companies'. */
const PERSON_CUIT = new Set(['20', '23', '24', '27']);

function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  const sum = digits.reduce((total, digit, i) => total + digit * weights[i]!, 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

export function validCpf(value: string): boolean {
  const d = value.replace(/\D/g, '').split('').map(Number);
  if (d.length !== 11 || d.every((x) => x === d[0])) return false;
  const first = checkDigit(d.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit(d.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return d[9] === first && d[10] === second;
}

export function validCnpj(value: string): boolean {
  const d = value.replace(/\D/g, '').split('').map(Number);
  if (d.length !== 14 || d.every((x) => x === d[0])) return false;
  const first = checkDigit(d.slice(0, 12), [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit(d.slice(0, 13), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return d[12] === first && d[13] === second;
}

export function validCuit(value: string): boolean {
  const d = value.replace(/\D/g, '').split('').map(Number);
  if (d.length !== 11) return false;
  const sum = d.slice(0, 10).reduce((total, digit, i) => total + digit * [5, 4, 3, 2, 7, 6, 5, 4, 3, 2][i]!, 0);
  const check = 11 - (sum % 11);
  return check === 11 ? d[10] === 0 : check !== 10 && d[10] === check;
}

export function findPersonalNumbers(text: string): PersonalNumber[] {
  const found: PersonalNumber[] = [];
  for (const m of text.matchAll(CUIT)) if (validCuit(m[0])) found.push({ kind: 'cuit', personal: PERSON_CUIT.has(m[1]!), text: m[0], index: m.index });
  for (const m of text.matchAll(CNPJ)) if (validCnpj(m[0])) found.push({ kind: 'cnpj', personal: false, text: m[0], index: m.index });
  for (const m of text.matchAll(CPF)) if (validCpf(m[0]) && !found.some((f) => f.index === m.index)) found.push({ kind: 'cpf', personal: true, text: m[0], index: m.index });
  return found.sort((a, b) => a.index - b.index);
}

/** `***.456.789-**`: a CPF (or a person's CUIT) with its first and last digits hidden, its punctuation kept. */
export function maskNumber(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (digit) => {
    seen += 1;
    return seen <= 3 || seen > digits - 2 ? '*' : digit;
  });
}
