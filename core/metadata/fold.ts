/**
 * Text folded for matching (lower case, accents off) one unit for one unit of the input, so a
 * place found in the folded text is the same place in the text as written.
 */
const CHUNK = 8192;
/** Each unit beyond ASCII as folded once (a page of Portuguese has many "ç" and "ã"). */
const FOLDED = new Map<number, number>();

/** "Ç" → "c", "Ã" → "a": the first unit of its decomposition, in lower case. */
function foldUnit(code: number): number {
  const folded = String.fromCharCode(code).normalize('NFD').charAt(0).toLowerCase().charAt(0);
  const unit = folded ? folded.charCodeAt(0) : code;
  FOLDED.set(code, unit);
  return unit;
}

export function foldKeepingPlaces(text: string): string {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      units[i] = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
      continue;
    }
    units[i] = FOLDED.get(code) ?? foldUnit(code);
  }
  const pieces: string[] = [];
  for (let at = 0; at < units.length; at += CHUNK) pieces.push(String.fromCharCode(...units.subarray(at, at + CHUNK)));
  return pieces.join('');
}
