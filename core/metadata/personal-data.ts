/**
 * Personal data under the LGPD: Brazilian CPF (people) and CNPJ (companies) numbers, recognised
 * only when their check digits hold, so that a process or protocol number of the same length is
 * not mistaken for one.
 */

export interface PersonalNumber {
  kind: 'cpf' | 'cnpj';
  /** As written. */
  text: string;
  index: number;
}

const CPF = /(?<![\d./-])(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})\s?[-–]?\s?(\d{2})(?![\d./-]*\d)/g;
const CNPJ = /(?<![\d./-])(\d{2})\.?(\d{3})\.?(\d{3})\s?\/?\s?(\d{4})\s?[-–]?\s?(\d{2})(?![\d./-]*\d)/g;

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

export function findPersonalNumbers(text: string): PersonalNumber[] {
  const found: PersonalNumber[] = [];
  for (const m of text.matchAll(CNPJ)) if (validCnpj(m[0])) found.push({ kind: 'cnpj', text: m[0], index: m.index });
  for (const m of text.matchAll(CPF)) if (validCpf(m[0])) found.push({ kind: 'cpf', text: m[0], index: m.index });
  return found.sort((a, b) => a.index - b.index);
}
