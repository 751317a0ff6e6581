/**
 * Reading a content stream as operations (operands, then the operator), each with its place in
 * the stream's bytes so one string can be rewritten and everything else kept byte for byte.
 *
 * The syntax is the PDF specification's (ISO 32000-1, 7.2–7.3 and 8.9.7 for inline images):
 * numbers, names, literal and hexadecimal strings, arrays and dictionaries as operands; inline
 * images (`BI … ID <binary> EI`) are passed over whole, their data never read as operators.
 */

export type Operand =
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  /** A string's bytes (escapes resolved) and where it stands in the stream, delimiters included. */
  | { kind: 'string'; bytes: Uint8Array; start: number; end: number }
  | { kind: 'array'; items: Operand[] }
  | { kind: 'dict'; entries: Map<string, Operand> }
  /** true, false, null (the keyword in `value`), or a stray delimiter. */
  | { kind: 'other'; value?: string };

export interface Operation {
  operator: string;
  operands: Operand[];
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

function isRegular(byte: number): boolean {
  return !WHITESPACE.has(byte) && !DELIMITERS.has(byte);
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

class Lexer {
  position = 0;
  constructor(readonly data: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.data.length;
  }

  skipSpace(): void {
    const data = this.data;
    while (this.position < data.length) {
      const byte = data[this.position]!;
      if (WHITESPACE.has(byte)) {
        this.position++;
      } else if (byte === 0x25) {
        // A comment runs to the end of the line.
        while (this.position < data.length && data[this.position] !== 0x0a && data[this.position] !== 0x0d) this.position++;
      } else {
        return;
      }
    }
  }

  /** The next object, or a keyword (an operator) as a string. */
  next(): Operand | string | null {
    this.skipSpace();
    const data = this.data;
    if (this.position >= data.length) return null;
    const start = this.position;
    const byte = data[start]!;
    if (byte === 0x28) return this.literalString();
    if (byte === 0x3c) {
      if (data[start + 1] === 0x3c) {
        this.position += 2;
        return this.dictionary();
      }
      return this.hexString();
    }
    if (byte === 0x5b) {
      this.position++;
      const items: Operand[] = [];
      for (;;) {
        this.skipSpace();
        if (this.done) break;
        if (data[this.position] === 0x5d) {
          this.position++;
          break;
        }
        const item = this.next();
        if (item === null) break;
        // Keywords inside an array (malformed): kept out of the operands.
        if (typeof item !== 'string') items.push(item);
      }
      return { kind: 'array', items };
    }
    if (byte === 0x2f) {
      this.position++;
      let name = '';
      while (this.position < data.length && isRegular(data[this.position]!)) {
        const c = data[this.position]!;
        if (c === 0x23 && hexValue(data[this.position + 1] ?? 0) >= 0 && hexValue(data[this.position + 2] ?? 0) >= 0) {
          name += String.fromCharCode(hexValue(data[this.position + 1]!) * 16 + hexValue(data[this.position + 2]!));
          this.position += 3;
        } else {
          name += String.fromCharCode(c);
          this.position++;
        }
      }
      return { kind: 'name', value: name };
    }
    if (DELIMITERS.has(byte)) {
      // ')', '>', ']', '{', '}' out of place.
      this.position++;
      return { kind: 'other' };
    }
    while (this.position < data.length && isRegular(data[this.position]!)) this.position++;
    const token = Buffer.from(data.subarray(start, this.position)).toString('latin1');
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) return { kind: 'number', value: Number(token) };
    if (token === 'true' || token === 'false' || token === 'null') return { kind: 'other', value: token };
    return token;
  }

  private dictionary(): Operand {
    const entries = new Map<string, Operand>();
    const data = this.data;
    let key: string | null = null;
    for (;;) {
      this.skipSpace();
      if (this.done) break;
      if (data[this.position] === 0x3e && data[this.position + 1] === 0x3e) {
        this.position += 2;
        break;
      }
      const item = this.next();
      if (item === null) break;
      if (typeof item === 'string') continue;
      if (key === null) {
        key = item.kind === 'name' ? item.value : null;
      } else {
        entries.set(key, item);
        key = null;
      }
    }
    return { kind: 'dict', entries };
  }

  private literalString(): Operand {
    const data = this.data;
    const start = this.position;
    this.position++;
    const bytes: number[] = [];
    let depth = 1;
    while (this.position < data.length) {
      const c = data[this.position++]!;
      if (c === 0x5c) {
        const e = data[this.position++];
        if (e === undefined) break;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) {
          bytes.push(simple[e]);
        } else if (e >= 0x30 && e <= 0x37) {
          let value = e - 0x30;
          for (let i = 0; i < 2 && (data[this.position] ?? 0) >= 0x30 && data[this.position]! <= 0x37; i++) value = value * 8 + (data[this.position++]! - 0x30);
          bytes.push(value & 0xff);
        } else if (e === 0x0d) {
          // A line continuation.
          if (data[this.position] === 0x0a) this.position++;
        } else if (e !== 0x0a) {
          bytes.push(e);
        }
      } else if (c === 0x28) {
        depth++;
        bytes.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        bytes.push(c);
      } else if (c === 0x0d) {
        // An end of line inside a string reads as one line feed.
        if (data[this.position] === 0x0a) this.position++;
        bytes.push(0x0a);
      } else {
        bytes.push(c);
      }
    }
    return { kind: 'string', bytes: Uint8Array.from(bytes), start, end: this.position };
  }

  private hexString(): Operand {
    const data = this.data;
    const start = this.position;
    this.position++;
    const digits: number[] = [];
    while (this.position < data.length) {
      const c = data[this.position++]!;
      if (c === 0x3e) break;
      const v = hexValue(c);
      if (v >= 0) digits.push(v);
    }
    if (digits.length % 2 === 1) digits.push(0);
    const bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = digits[2 * i]! * 16 + digits[2 * i + 1]!;
    return { kind: 'string', bytes, start, end: this.position };
  }

  /** Past an inline image's data, just after the `ID` keyword: to the `EI` that ends it. */
  skipInlineImage(length: number | null): void {
    const data = this.data;
    // One white-space byte separates ID from the data.
    this.position++;
    if (length !== null && length >= 0) {
      const end = this.position + length;
      this.position = Math.min(end, data.length);
      return;
    }
    for (let i = this.position; i + 1 < data.length; i++) {
      if (data[i] === 0x45 && data[i + 1] === 0x49 && (i === 0 || WHITESPACE.has(data[i - 1]!)) && (i + 2 >= data.length || WHITESPACE.has(data[i + 2]!) || DELIMITERS.has(data[i + 2]!))) {
        this.position = i;
        return;
      }
    }
    this.position = data.length;
  }
}

/** The stream's operations in order. An inline image is one `BI` operation with no operands. */
export function* operations(data: Uint8Array): Generator<Operation> {
  const lexer = new Lexer(data);
  let operands: Operand[] = [];
  for (;;) {
    const token = lexer.next();
    if (token === null) return;
    if (typeof token !== 'string') {
      operands.push(token);
      continue;
    }
    if (token === 'BI') {
      // Key/value pairs up to ID, then the data; /L or /Length (PDF 2.0) gives its length.
      const dict: Operand[] = [];
      for (;;) {
        const item = lexer.next();
        if (item === null || item === 'ID') break;
        if (typeof item !== 'string') dict.push(item);
      }
      lexer.skipInlineImage(inlineImageLength(dict));
      operands = [];
      yield { operator: 'BI', operands: [] };
      // Normally EI; anything else (a damaged image) is read on as it comes.
      const end = lexer.next();
      if (end === null) return;
      if (typeof end !== 'string') operands.push(end);
      else if (end !== 'EI') yield { operator: end, operands: [] };
      continue;
    }
    yield { operator: token, operands };
    operands = [];
  }
}

const COMPONENTS: Record<string, number> = { G: 1, DeviceGray: 1, CalGray: 1, RGB: 3, DeviceRGB: 3, CalRGB: 3, CMYK: 4, DeviceCMYK: 4, I: 1, Indexed: 1 };

/**
 * How many bytes an inline image's data holds, when its dictionary says: its /L (PDF 2.0), or
 * for unfiltered data its rows; null when only the EI that ends it can tell.
 */
function inlineImageLength(dict: Operand[]): number | null {
  const entries = new Map<string, Operand>();
  for (let i = 0; i + 1 < dict.length; i += 2) {
    const key = dict[i]!;
    if (key.kind === 'name') entries.set(key.value, dict[i + 1]!);
  }
  const number = (...keys: string[]) => {
    for (const key of keys) {
      const value = entries.get(key);
      if (value?.kind === 'number') return value.value;
    }
    return null;
  };
  const length = number('L', 'Length');
  if (length !== null) return length;
  if (entries.has('F') || entries.has('Filter')) return null;
  const width = number('W', 'Width');
  const height = number('H', 'Height');
  const mask = entries.get('IM') ?? entries.get('ImageMask');
  const isMask = mask?.kind === 'other' && mask.value === 'true';
  const colourSpace = entries.get('CS') ?? entries.get('ColorSpace');
  const components = isMask ? 1 : colourSpace?.kind === 'name' ? COMPONENTS[colourSpace.value] : colourSpace?.kind === 'array' ? 1 : undefined;
  const bits = isMask ? 1 : number('BPC', 'BitsPerComponent');
  if (width === null || height === null || components === undefined || bits === null) return null;
  return height * Math.ceil((width * bits * components) / 8);
}

/** A hexadecimal string of `bytes`, as written into a content stream. */
export function hexStringOf(bytes: Uint8Array): string {
  return `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;
}
