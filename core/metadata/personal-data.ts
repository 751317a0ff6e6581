/**
 * Taxpayer and identity numbers in a document's text, for its metadata (facts, the personal-data
 * flag). Detection lives in core/privacy/personal-numbers.ts, the one detector every output
 * channel masks with (issue 20); this module keeps the names metadata code and its tests use.
 */
import { cnpjChecks, cpfChecks, cuitChecks } from '../privacy/check-digits.js';

export { findPersonalNumbers, type PersonalNumber, type PersonalNumberKind } from '../privacy/personal-numbers.js';

const digitsOf = (value: string) => value.replace(/\D/g, '');

export function validCpf(value: string): boolean {
  return cpfChecks(digitsOf(value));
}

export function validCnpj(value: string): boolean {
  return cnpjChecks(digitsOf(value));
}

export function validCuit(value: string): boolean {
  return cuitChecks(digitsOf(value));
}

