/**
 * E-mail addresses and telephone numbers in a text: personal data a redacted copy covers beside
 * the personal numbers (personal-numbers.ts), found where they are written.
 *
 * A telephone number is taken only where it cannot be something else: after a label (`Tel.`,
 * `Fone`, `Celular`, `Teléfono`, `WhatsApp`…), or written as telephones are and nothing else is
 * — an area code in parentheses (`(11) 3333-4444`, `(011) 4567-8901`) or a country code
 * (`+55 11 98765-4321`, `+54 9 11 …`). A bare `1985-1990` is a span of years or a process number,
 * and is left alone.
 */

export type ContactKind = 'email' | 'phone';

export interface ContactDetail {
  kind: ContactKind;
  /** UTF-16 offset of its first character. */
  index: number;
  /** UTF-16 length as written. */
  length: number;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})*\.\p{L}{2,24}(?![\p{L}\p{N}])/gu;

/** The digits of a telephone: groups of 2 to 5 digits joined by a space, dot, hyphen or nothing, 8 to 13 digits in all. */
const DIGITS = String.raw`\d{2,5}(?:[ .\-]?\d{2,5}){1,4}`;
const LABEL = String.raw`(?:tel(?:efone|éfono|efono)?s?|fones?|fax|cel(?:ular)?|m[óo]vil|whats\s?app|contato|contacto)\.?\s*(?:n[º°o.]\s*)?[:\-]?\s*`;
/** Labelled: the label, then the number (an area code in parentheses may open it). */
const LABELLED = new RegExp(String.raw`(?<![\p{L}\p{N}])${LABEL}(?<number>(?:\+\s?\d{1,3}\s?)?(?:\(\s?0?\d{2,4}\s?\)\s?)?${DIGITS})(?!\d)`, 'giu');
/** Unlabelled but unmistakable: a country code or an area code in parentheses. */
const SHAPED = new RegExp(String.raw`(?<![\p{L}\p{N}+])(?<number>\+\s?\d{1,3}[ .\-]?(?:\(\s?0?\d{1,4}\s?\)\s?)?${DIGITS}|\(\s?0?\d{2,4}\s?\)\s?\d{3,5}[ .\-]?\d{4})(?!\d)`, 'gu');

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

/** Every e-mail address and telephone number in `text`, sorted by index, none overlapping. */
export function findContactDetails(text: string): ContactDetail[] {
  const found: ContactDetail[] = [];
  for (const match of text.matchAll(EMAIL)) found.push({ kind: 'email', index: match.index, length: match[0].length });
  for (const pattern of [LABELLED, SHAPED]) {
    for (const match of text.matchAll(pattern)) {
      const number = match.groups!.number!;
      const digits = digitCount(number);
      if (digits < 8 || digits > 15) continue;
      found.push({ kind: 'phone', index: match.index + match[0].length - number.length, length: number.length });
    }
  }
  found.sort((a, b) => a.index - b.index || b.length - a.length);
  const kept: ContactDetail[] = [];
  for (const detail of found) {
    const last = kept[kept.length - 1];
    if (last && detail.index < last.index + last.length) continue;
    kept.push(detail);
  }
  return kept;
}

/** Same length as `text`: every letter and digit of each e-mail address and telephone number becomes '*'. */
export function maskContactDetails(text: string): string {
  let out = '';
  let at = 0;
  for (const detail of findContactDetails(text)) {
    out += text.slice(at, detail.index) + text.slice(detail.index, detail.index + detail.length).replace(/[\p{L}\p{N}]/gu, (c) => '*'.repeat(c.length));
    at = detail.index + detail.length;
  }
  return out + text.slice(at);
}
