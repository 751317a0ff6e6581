import { describe, expect, it } from 'vitest';
import { documentTypeOfLine } from '../../core/metadata/document-type.js';
import { extractMetadata } from '../../core/metadata/extract-metadata.js';
import { detectLanguage } from '../../core/metadata/language.js';
import { findPersonalNumbers, validCnpj, validCpf } from '../../core/metadata/personal-data.js';

describe('document type', () => {
  it('names the type the title line opens with, accents and case aside', () => {
    expect(documentTypeOfLine('ALVARÁ DE CONSTRUÇÃO Nº 412/1987')).toBe('alvara');
    expect(documentTypeOfLine('Decreto nº 345, de 2 de abril de 1990')).toBe('decreto');
    expect(documentTypeOfLine('RESOLUCIÓN Nº 27/1978')).toBe('resolucao');
    expect(documentTypeOfLine('Ofício nº 57/84 - SMA')).toBe('oficio');
  });

  it('leaves unknown what it does not know, rather than guessing', () => {
    expect(documentTypeOfLine('Prefeitura Municipal de São João do Ipê')).toBeNull();
    expect(documentTypeOfLine('Leilão de bens inservíveis')).toBeNull(); // "lei" is not a prefix match
    expect(documentTypeOfLine('')).toBeNull();
  });
});

describe('language', () => {
  it('tells Portuguese, Spanish and English apart', () => {
    expect(detectLanguage('O Secretário Municipal de Obras, no uso das atribuições que lhe confere a lei, e à vista do projeto aprovado, concede licença para a construção de uma casa com dois pavimentos no lote do requerente, pelo prazo de um ano.')).toBe('pt');
    expect(detectLanguage('El Intendente Municipal resuelve que la plaza del barrio sea reparada por la Dirección de Obras Públicas con los fondos del presupuesto vigente y que los trabajos se hagan en el verano.')).toBe('es');
    expect(detectLanguage('The council of the town decided that the square is to be repaired by the department of works with the funds of this year.')).toBe('en');
  });

  it('stays unknown on too little text', () => {
    expect(detectLanguage('Processo 1234/1987')).toBeNull();
  });
});

describe('personal data (CPF, CNPJ)', () => {
  it('finds CPF and CNPJ numbers whose check digits hold, written with or without punctuation', () => {
    expect(validCpf('318.472.605-35')).toBe(true);
    expect(validCnpj('04.252.011/0001-10')).toBe(true);
    const found = findPersonalNumbers('CPF: 318.472.605-35; também 31847260535. Empresa CNPJ 04.252.011/0001-10.');
    expect(found.map((f) => [f.kind, f.text])).toEqual([['cpf', '318.472.605-35'], ['cpf', '31847260535'], ['cnpj', '04.252.011/0001-10']]);
  });

  it('ignores near misses: wrong check digits, repeated digits, process and protocol numbers', () => {
    expect(validCpf('318.472.605-36')).toBe(false);
    expect(validCpf('111.111.111-11')).toBe(false);
    expect(findPersonalNumbers('Processo nº 1.873/1987, Protocolo 98.765/2001, guia 2.941, CEP 30140-071, telefone 3222-1234')).toEqual([]);
    expect(findPersonalNumbers('CNPJ 04.252.011/0001-11')).toEqual([]);
  });
});

describe('the metadata of a document', () => {
  it('carries type, date, language and the personal-data flag', () => {
    const metadata = extractMetadata('Pessoal/1991/certidao.png', [
      'PREFEITURA MUNICIPAL\nCERTIDÃO DE TEMPO DE SERVIÇO Nº 88/1991\nCertifico que a servidora, CPF 318.472.605-35, exerceu o cargo de professora do quadro permanente desta Prefeitura, na Escola Municipal, sem faltas e com uma licença, de 1º de março de 1966 a 31 de dezembro de 1990, pelo que se expede a presente.\nSão João do Ipê, 7 de fevereiro de 1991.',
    ]);
    expect(metadata).toMatchObject({ title: 'CERTIDÃO DE TEMPO DE SERVIÇO Nº 88/1991', documentType: 'certidao', collection: 'Pessoal', year: 1991, language: 'pt', personalData: true });
    expect(metadata.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
