/**
 * Digits OCR reads as the letters they look like — O for 0, I and l for 1, S for 5, B for 8 —
 * put back where the form can only be digits: between two digits ("19B7", "1.O73/87"), and in the
 * last place of a year typed with a space after every digit ("1 9 6 B"). A letter beside one digit
 * only ("12B", an address; "3-B", an office) is left as written. One character for one, so a place
 * found in the result is the same place in the text.
 */
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', l: '1', S: '5', B: '8' };

/** Between two digits, a thousands dot or comma beside it allowed ("1.O73"). */
const BETWEEN_DIGITS = /(?<=\d[.,]?)[OIlSB]+(?=\d)|(?<=\d)[OIlSB]+(?=[.,]?\d)/g;
/** "de 1 9 6 B": three typewriter-spaced digits, alone, then the letter ending the word. */
const SPACED_YEAR_END = /(?<=(?<!\d ?)\d \d \d )[OIlSB](?![\p{L}\p{N}])/gu;

const asDigits = (letters: string) => [...letters].map((letter) => LOOK_ALIKES[letter] ?? letter).join('');

export function restoreMisreadDigits(text: string): string {
  return text.replace(BETWEEN_DIGITS, asDigits).replace(SPACED_YEAR_END, asDigits);
}
