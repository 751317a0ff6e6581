/** The one detector and masker of personal numbers (issue 20): every written form found, nothing of it left. */
import { describe, expect, it } from 'vitest';
import { findPersonalNumbers, maskPersonalNumbers, personalNumberKey, typedPersonalNumbers } from '../../core/privacy/personal-numbers.js';

const kinds = (text: string) => findPersonalNumbers(text).map((n) => [n.kind, n.digits, n.personal]);
/** Masks `text` and checks what every masked text must be: as long, and without a digit of the number in any form. */
function masked(text: string, shown?: ReadonlySet<string>): string {
  const out = maskPersonalNumbers(text, shown ? { shown } : undefined);
  expect(out.length).toBe(text.length);
  return out;
}
const digitLike = /[\p{Nd}]/u;

describe('CPF in every written form', () => {
  const forms = [
    '390.533.447-05',
    '390-533-447-05',
    '390 533 447 05',
    '39053344705',
    '390.533.447/05',
    '390.533.447–05',
    '390.533.447—05',
    '390.533.\n447-05',
    '390.533.\r\n447-05',
    '390  533   447  05',
    '390.5\u200B33.447-0\u200C5',
    '\u2060390.533\u00AD.447-05\uFEFF',
    '３９０.５３３.４４７-０５',
    '٣٩٠.٥٣٣.٤٤٧-٠٥',
    '۳۹۰.۵۳۳.۴۴۷-۰۵',
    '३९०.५३३.४४७-०५',
    '𝟑𝟗𝟎.𝟓𝟑𝟑.𝟒𝟒𝟕-𝟎𝟓',
    '３9٠.5۳३.447－05',
    '39O.533.447-05',
    '390.533.447-O5',
    '39o.533.447-o5',
    'CPF390.533.447-05',
    '|390.533.447-05|',
  ];
  it.each(forms)('finds and masks %j', (form) => {
    const text = `Requerente Maria, ${form}, residente`;
    const [number, ...rest] = findPersonalNumbers(text);
    expect(rest).toEqual([]);
    expect(number).toMatchObject({ kind: 'cpf', personal: true, digits: '39053344705' });
    expect(number!.text).toBe(text.slice(number!.index, number!.index + number!.length));
    const out = masked(text);
    const span = out.slice(number!.index, number!.index + number!.length);
    expect(span).not.toMatch(digitLike);
    expect(span).not.toMatch(/[Ool|I]/);
    expect(out.replace(/\*/g, '')).not.toMatch(digitLike);
    expect(out.startsWith('Requerente Maria, ')).toBe(true);
    expect(out.endsWith(', residente')).toBe(true);
  });

  it('keeps punctuation, spaces and labels; a digit outside the BMP becomes two stars', () => {
    expect(masked('CPF: 390.533.447-05.')).toBe('CPF: ***.***.***-**.');
    expect(masked('CPF 321,654,987-91')).toBe('CPF ***,***,***-**');
    expect(masked('x 𝟑𝟗𝟎.𝟓𝟑𝟑.𝟒𝟒𝟕-𝟎𝟓 y')).toBe(`x ${'**'.repeat(3)}.${'**'.repeat(3)}.${'**'.repeat(3)}-${'**'.repeat(2)} y`);
    expect(masked('a 390.5\u200B33.447-05 b')).toBe('a ***.*\u200B**.***-** b');
  });

  it('reads OCR slips only inside a number whose check digits then hold, at most two', () => {
    expect(kinds('39O.533.447-O5')).toEqual([['cpf', '39053344705', true]]);
    expect(kinds('39O.5E3.447-05')).toEqual([]);
    expect(kinds('39O.533.44l-O5')).toEqual([]); // three slips
    expect(kinds('39O.533.447-06')).toEqual([]); // slips and a failing check digit
    expect(kinds('Olá 12345678909 no')).toEqual([['cpf', '12345678909', true]]);
  });

  it('masks a labelled CPF whose check digits fail (a misread CPF is still someone’s)', () => {
    for (const label of ['CPF', 'C.P.F.', 'CPF nº', 'CPF/MF:', 'CPF n.º', 'inscrito no CPF sob o nº']) {
      const text = `${label} 390 533 447 06 e mais`;
      expect(kinds(text)).toEqual([['cpf', '39053344706', true]]);
      expect(masked(text)).toBe(`${label} *** *** *** ** e mais`);
    }
    expect(masked('CPF 390.533.447-0 (ilegível)')).toBe('CPF ***.***.***-* (ilegível)');
  });

  it('masks a number written exactly as a CPF even unlabelled and failing its check digits', () => {
    expect(masked('servidor 390.533.447-06 lotado')).toBe('servidor ***.***.***-** lotado');
    expect(masked('servidor 390 533 447 06 lotado')).toBe('servidor 390 533 447 06 lotado');
  });
});

describe('no digit of a CPF survives, whatever mix of forms (seeded)', () => {
  const zeros = [0x30, 0xff10, 0x660, 0x6f0, 0x966, 0x1d7ce, 0x1d7ec];
  const seps = ['.', '-', ' ', '  ', '/', ',', '–', '—', '.\n', '\u200B.', ' - ', ''];
  const invisible = ['', '', '', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'];
  let seed = 20;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pick = <T,>(list: readonly T[]) => list[random(list.length)]!;
  function validCpf(): string {
    const d = Array.from({ length: 9 }, () => random(10));
    for (const n of [9, 10]) {
      const rest = d.reduce((sum, x, i) => sum + x * (n + 1 - i), 0) % 11;
      d.push(rest < 2 ? 0 : 11 - rest);
    }
    return d.join('');
  }
  it('masks 500 CPFs written in random mixes', () => {
    for (let k = 0; k < 500; k += 1) {
      const digits = validCpf();
      if (/^(\d)\1*$/.test(digits)) continue;
      let form = '';
      for (let i = 0; i < 11; i += 1) {
        if (i === 3 || i === 6 || i === 9) form += pick(seps);
        form += String.fromCodePoint(pick(zeros) + Number(digits[i])) + pick(invisible);
      }
      const text = `Em 17/08/1993, processo 1873/1987, ${pick(['', 'CPF ', 'CPF nº '])}${form} requereu`;
      const found = findPersonalNumbers(text).filter((n) => n.kind === 'cpf');
      expect(found.map((n) => n.digits), form).toEqual([digits]);
      const out = masked(text);
      expect(out.slice(found[0]!.index, found[0]!.index + found[0]!.length), form).not.toMatch(digitLike);
      expect(out.startsWith('Em 17/08/1993, processo 1873/1987, ')).toBe(true);
    }
  });
});

describe('labelled identity numbers', () => {
  it('RG with its label, issuer and a final X', () => {
    expect(kinds('RG 12.345.678-9 SSP/SP')).toEqual([['rg', '123456789', true]]);
    expect(masked('RG 12.345.678-9 SSP/SP')).toBe('RG **.***.***-* SSP/SP');
    expect(masked('R.G. nº 1.234.567-x, Registro Geral 55 443 322')).toBe('R.G. nº *.***.***-*, Registro Geral ** *** ***');
    expect(kinds('portador da Cédula de Identidade nº MG-12.345.678')).toEqual([['rg', '12345678', true]]);
    expect(kinds('Carteira de Identidade 98765')).toEqual([['rg', '98765', true]]);
    expect(kinds('RG: 12.345.678, CPF: 390.533.447-05')).toEqual([['rg', '12345678', true], ['cpf', '39053344705', true]]);
    expect(kinds('RG 12.345.678-9 390.533.447-05')).toEqual([['rg', '123456789', true], ['cpf', '39053344705', true]]);
    expect(kinds('RG: 12.345.678-9, expedido em 17/08/1993')).toEqual([['rg', '123456789', true]]);
    expect(masked('RG nº 12.345.678-9, emitido 12/05')).toBe('RG nº **.***.***-*, emitido 12/05');
  });

  it('DNI (Argentina) as an RG', () => {
    expect(kinds('D.N.I. Nº 12.345.678')).toEqual([['rg', '12345678', true]]);
    expect(masked('DNI 7.654.321 domiciliado')).toBe('DNI *.***.*** domiciliado');
  });

  it('PIS/PASEP/NIT/NIS labelled, and unlabelled in its own shape with its check digit', () => {
    expect(kinds('PIS/PASEP 120.12345.67-0')).toEqual([['pis', '12012345670', true]]);
    expect(kinds('NIT: 12345678901')).toEqual([['pis', '12345678901', true]]);
    expect(kinds('NIS nº 123 4567 8901')).toEqual([['pis', '12345678901', true]]);
    expect(kinds('inscrição 120.12345.67-2')).toEqual([['pis', '12012345672', true]]);
    expect(kinds('inscrição 120.12345.67-0')).toEqual([]);
  });

  it('título de eleitor labelled', () => {
    expect(kinds('Título de Eleitor nº 1234 5678 0191, zona 12')).toEqual([['titulo', '123456780191', true]]);
    expect(kinds('Titulo Eleitoral 123456789012')).toEqual([['titulo', '123456789012', true]]);
    expect(masked('Inscrição Eleitoral: 0123.4567.8901 Seção 45')).toBe('Inscrição Eleitoral: ****.****.**** Seção 45');
  });
});

describe('CUIT/CUIL and CNPJ', () => {
  it('a person’s CUIL is personal, a company’s CUIT is not, however separated', () => {
    expect(kinds('CUIL 20-12345678-6')).toEqual([['cuit', '20123456786', true]]);
    expect(kinds('20 12345678 6 y 20.12345678.6')).toEqual([['cuit', '20123456786', true], ['cuit', '20123456786', true]]);
    expect(kinds('CUIT 30-50000000-3')).toEqual([['cuit', '30500000003', false]]);
    expect(masked('CUIT 30-50000000-3')).toBe('CUIT 30-50000000-3');
    expect(masked('CUIL 20-12345678-6.')).toBe('CUIL **-********-*.');
  });

  it('a labelled person’s CUIL with a bad check digit is still personal; a company’s is not a find', () => {
    expect(kinds('CUIL: 20-12345678-0')).toEqual([['cuit', '20123456780', true]]);
    expect(kinds('CUIT: 30-50000000-0')).toEqual([]);
  });

  it('the label decides between CPF and CUIL when the digits pass both', () => {
    // 20000000370 passes both the CPF's and the CUIT's check digits; so does 30080004288.
    expect(kinds('CUIL 20000000370')).toEqual([['cuit', '20000000370', true]]);
    expect(kinds('CPF 20000000370')).toEqual([['cpf', '20000000370', true]]);
    expect(kinds('n. 20000000370')).toEqual([['cpf', '20000000370', true]]);
    expect(kinds('n. 30080004288')).toEqual([['cpf', '30080004288', true]]);
  });

  it('a valid CNPJ is found, not personal, never masked', () => {
    expect(kinds('CNPJ 04.252.011/0001-10')).toEqual([['cnpj', '04252011000110', false]]);
    expect(masked('Empresa CNPJ 04.252.011/0001-10, CPF/CNPJ: 390.533.447-05')).toBe('Empresa CNPJ 04.252.011/0001-10, CPF/CNPJ: ***.***.***-**');
    expect(kinds('CNPJ 04.252.011/0001-11')).toEqual([]);
  });
});

describe('what is not a personal number', () => {
  const plain = [
    'Em 17/08/1993, processo 1873/1987 e protocolo 12.345/2001.',
    'Valor de R$ 1.234,56 e R$ 12.345.678,90 e R$ 123.456.789,09, CEP 30140-071.',
    'Telefone (31) 3222-1234, celular (31) 99876-5432, 31 99876-5432, 0800 123 4567.',
    'Processo nº 0001234-56.2001.8.26.0100, fls. 12, 13, 14, 15 e 16.',
    'Lei 1.234/1990, art. 5º, Decreto 12.345 de 1.990, 1o andar, Olá mundo.',
    'L.C. nº 101/2000, identidade visual 2.0, Nº 12.345.678-9 do livro.',
  ];
  it.each(plain)('finds nothing in %j', (text) => {
    expect(findPersonalNumbers(text)).toEqual([]);
    expect(masked(text)).toBe(text);
  });

  it('keeps a process number next to a CPF', () => {
    const text = 'Processo 1873/1987 390.533.447-05 deferido em 17/08/1993';
    expect(kinds(text)).toEqual([['cpf', '39053344705', true]]);
    expect(masked(text)).toBe('Processo 1873/1987 ***.***.***-** deferido em 17/08/1993');
  });

  it('returns nothing for a page without digits or with only short numbers', () => {
    expect(findPersonalNumbers('Certifico que a servidora exerceu o cargo.')).toEqual([]);
    expect(findPersonalNumbers('Fls. 12, item 3, de 4 de maio.')).toEqual([]);
  });
});

describe('numbers the user typed', () => {
  it('gives the keys of whole numbers typed in any form', () => {
    expect(typedPersonalNumbers('cpf 390.533.447-05 alvará')).toEqual(new Set(['cpf:39053344705']));
    expect(typedPersonalNumbers('390 533 447 05')).toEqual(new Set([personalNumberKey('cpf', '39053344705')]));
    expect(typedPersonalNumbers('３９０５３３４４７０５')).toEqual(new Set(['cpf:39053344705']));
    expect(typedPersonalNumbers('rg 12.345.678-x')).toEqual(new Set(['rg:12345678X']));
    expect(typedPersonalNumbers('20-12345678-6')).toEqual(new Set(['cuit:20123456786']));
    expect(typedPersonalNumbers('20000000370')).toEqual(new Set(['cpf:20000000370', 'cuit:20000000370']));
  });

  it('gives nothing for a part of a number or a failing check digit', () => {
    expect(typedPersonalNumbers('390 533 447')).toEqual(new Set());
    expect(typedPersonalNumbers('390.533.447-06')).toEqual(new Set());
    expect(typedPersonalNumbers('cpf 390.533.447-06')).toEqual(new Set());
    expect(typedPersonalNumbers('alvará 1987')).toEqual(new Set());
  });

  it('shows the numbers typed and masks the rest', () => {
    const text = 'CPF 390.533.447-05 e CPF 321.654.987-91';
    expect(masked(text, typedPersonalNumbers('39053344705'))).toBe('CPF 390.533.447-05 e CPF ***.***.***-**');
    expect(masked(text, new Set(['cpf:39053344706']))).toBe('CPF ***.***.***-** e CPF ***.***.***-**');
  });
});
