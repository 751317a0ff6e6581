/** Character error rate: edit distance over the reference length, whitespace normalised. */

export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\f/g, ' ').replace(/\s+/g, ' ').trim();
}

export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

export function characterErrorRate(reference: string, hypothesis: string): number {
  const ref = normaliseText(reference);
  return levenshtein(ref, normaliseText(hypothesis)) / Math.max(1, [...ref].length);
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}
