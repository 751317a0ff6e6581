/**
 * Numbers written out in Portuguese and Spanish, as atas and certidões give days and years:
 * "vinte e dois" (22), "mil novecentos e noventa e três" (1993), "dos mil uno" (2001). Words are
 * accent-folded and lower case. Returns null for anything that is not a number in words.
 */
const VALUES: Record<string, number> = {
  // Portuguese
  // "hum": as checks and old deeds wrote it, so no one could add a digit before it
  um: 1, hum: 1, uma: 1, primeiro: 1, dois: 2, duas: 2, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10,
  onze: 11, doze: 12, treze: 13, quatorze: 14, catorze: 14, quinze: 15, dezesseis: 16, dezasseis: 16, dezessete: 17,
  dezassete: 17, dezoito: 18, dezenove: 19, dezanove: 19, vinte: 20, trinta: 30, quarenta: 40, cinquenta: 50, sessenta: 60,
  setenta: 70, oitenta: 80, noventa: 90, cem: 100, cento: 100, duzentos: 200, trezentos: 300, quatrocentos: 400,
  quinhentos: 500, seiscentos: 600, setecentos: 700, oitocentos: 800, novecentos: 900,
  // Spanish
  un: 1, uno: 1, primero: 1, primer: 1, dos: 2, cuatro: 4, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15,
  dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19, veinte: 20, veintiuno: 21, veintiun: 21, veintidos: 22,
  veintitres: 23, veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
  treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, ochenta: 80, cien: 100, ciento: 100, doscientos: 200,
  trescientos: 300, cuatrocientos: 400, quinientos: 500, seiscientos: 600, setecientos: 700, ochocientos: 800, novecientos: 900,
};
const THOUSAND = 'mil';
const CONNECTORS = new Set(['e', 'y']);

export function isNumberWord(word: string): boolean {
  return word in VALUES || word === THOUSAND || CONNECTORS.has(word);
}

export function parseNumberWords(text: string): number | null {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  let any = false;
  for (const word of words) {
    if (CONNECTORS.has(word)) continue;
    if (word === THOUSAND) {
      total += (current || 1) * 1000;
      current = 0;
      any = true;
      continue;
    }
    const value = VALUES[word];
    if (value === undefined) return null;
    current += value;
    any = true;
  }
  return any ? total + current : null;
}
