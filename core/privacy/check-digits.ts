/**
 * Check digits of the identity and taxpayer numbers Acervo recognises, on canonical ASCII digits.
 * They tell a CPF from a process, protocol or phone number of the same length when no label says
 * what the number is.
 */

function mod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  return sum % 11;
}

/** 0 for a rest under 2, else 11 − rest: the rule of the CPF, the CNPJ and the PIS. */
function dv(rest: number): number {
  return rest < 2 ? 0 : 11 - rest;
}

const allSame = (digits: string) => /^(\d)\1*$/.test(digits);
const at = (digits: string, i: number) => digits.charCodeAt(i) - 48;

export function cpfChecks(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || allSame(digits)) return false;
  return at(digits, 9) === dv(mod11(digits, [10, 9, 8, 7, 6, 5, 4, 3, 2])) && at(digits, 10) === dv(mod11(digits, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]));
}

export function cnpjChecks(digits: string): boolean {
  if (!/^\d{14}$/.test(digits) || allSame(digits)) return false;
  return at(digits, 12) === dv(mod11(digits, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])) && at(digits, 13) === dv(mod11(digits, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
}

/** PIS, PASEP, NIT and NIS share one number and one check digit. */
export function pisChecks(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || allSame(digits)) return false;
  return at(digits, 10) === dv(mod11(digits, [3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
}

/** CUIT/CUIL check digit only; what the prefix says is the caller's. */
export function cuitChecks(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const check = 11 - mod11(digits, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  return check === 11 ? at(digits, 10) === 0 : check !== 10 && at(digits, 10) === check;
}

/** Prefixes of people's CUIL/CUIT; 30, 33 and 34 are companies'. */
export const PERSON_CUIT_PREFIXES = new Set(['20', '23', '24', '27']);
export const COMPANY_CUIT_PREFIXES = new Set(['30', '33', '34']);

/**
 * Título de eleitor (12 digits): 8 of sequence, 2 of the state (01–28), 2 check digits; São Paulo
 * (01) and Minas Gerais (02) turn a rest of 0 into 1.
 */
export function tituloChecks(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  const state = Number(digits.slice(8, 10));
  if (state < 1 || state > 28) return false;
  const fix = (rest: number) => (rest === 10 ? 0 : rest === 0 && state <= 2 ? 1 : rest);
  const first = fix(mod11(digits, [2, 3, 4, 5, 6, 7, 8, 9]));
  const second = fix((at(digits, 8) * 7 + at(digits, 9) * 8 + first * 9) % 11);
  return at(digits, 10) === first && at(digits, 11) === second;
}
