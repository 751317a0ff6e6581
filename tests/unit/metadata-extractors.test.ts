/** Each metadata extractor on realistic record texts, and the near misses that must not match. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDates, mainDate } from '../../core/metadata/dates.js';
import { DEFAULT_DOCUMENT_TYPES, documentTypeOfLine, documentTypeRules } from '../../core/metadata/document-type.js';
import { closeLetterSpacing, extractMetadata } from '../../core/metadata/extract-metadata.js';
import { findIdentifiers, identifierVariants } from '../../core/metadata/identifiers.js';
import { loadInventories } from '../../core/metadata/inventory.js';
import { detectLanguage } from '../../core/metadata/language.js';
import { parseNumberWords } from '../../core/metadata/number-words.js';
import { findPersonalNumbers, validCnpj, validCpf, validCuit } from '../../core/metadata/personal-data.js';
import { maskPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { maskSnippet } from '../../web/mask.js';

const RULES = { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES };
const isos = (text: string) => findDates(text).map((d) => d.iso);

describe('dates', () => {
  it('reads the Portuguese and Spanish forms records use', () => {
    expect(isos('São João do Ipê, 12 de março de 1987.')).toEqual(['1987-03-12']);
    expect(isos('a partir de 1º de março de 1966')).toEqual(['1966-03-01']);
    expect(isos('San Ignacio de la Peña, 15 de julio de 1978.')).toEqual(['1978-07-15']);
    expect(isos('marzo 12 de 1987 y marzo 12, 1987')).toEqual(['1987-03-12', '1987-03-12']);
    expect(isos('em 12/03/1987, 12.3.87 e 12-03-1987')).toEqual(['1987-03-12', '1987-03-12', '1987-03-12']);
    expect(isos('recebido em 12/III/1987 e devolvido em 3.XII.87')).toEqual(['1987-03-12', '1987-12-03']);
  });

  it('reads typewriter spacing', () => {
    expect(isos('12 de  março  de  1 9 8 7')).toEqual(['1987-03-12']);
    expect(isos('12 / 03 / 1987')).toEqual(['1987-03-12']);
  });

  it('reads dates written out in words, as atas and certidões give them', () => {
    expect(isos('Aos vinte e dois dias do mês de junho de mil novecentos e noventa e três, às dezenove horas')).toEqual(['1993-06-22']);
    expect(isos('el quince de julio de mil novecientos setenta y ocho')).toEqual(['1978-07-15']);
    expect(parseNumberWords('dois mil e um')).toBe(2001);
    expect(parseNumberWords('vinte e tal')).toBeNull();
  });

  it('does not take phone, page, process or postal numbers, nor impossible days, for dates', () => {
    expect(isos('Telefone 3222-1234, fl. 2, página 3/5, CEP 30140-071, Processo nº 1.873/1987, guia 2.941, art. 12.3')).toEqual([]);
    expect(isos('31/02/1990 e 12/13/1987 e 00/01/1990')).toEqual([]);
    expect(isos('no ano de 3021 e em 12/03/2999')).toEqual([]);
  });

  it('chooses the date the record was signed over the dates its body cites', () => {
    const alvara = 'ALVARÁ DE CONSTRUÇÃO Nº 412/1987\nO Secretário, no uso das atribuições da Lei Municipal nº 1.120, de 5 de dezembro de 1979, concede licença.\nTaxa recolhida pela guia nº 2.941, de 10/03/1987.\nSão João do Ipê, 12 de março de 1987.\nOtávio Brandão Lemos';
    expect(mainDate(findDates(alvara))?.iso).toBe('1987-03-12');
    const certidao = 'CERTIDÃO Nº 88/1991\nPeríodo: de 1º de março de 1966 a 31 de dezembro de 1990, sem faltas.\nSão João do Ipê, 7 de fevereiro de 1991.';
    expect(mainDate(findDates(certidao))?.iso).toBe('1991-02-07');
  });

  it("takes the title's own date for acts dated in their title", () => {
    const decreto = 'PREFEITURA MUNICIPAL\nDECRETO Nº 345, DE 2 DE ABRIL DE 1990\nRevoga o Decreto nº 198, de 14 de fevereiro de 1986.';
    expect(mainDate(findDates(decreto))?.iso).toBe('1990-04-02');
  });
});

describe('identifiers', () => {
  const ids = (text: string) => findIdentifiers(text).map((id) => `${id.kind} ${id.value}`);

  it('normalises process and protocol numbers written in every usual way', () => {
    expect(ids('Processo nº 1.873/1987')).toEqual(['processo 1873/1987']);
    expect(ids('Proc. 1873/87 e processo n.º 1.234/84')).toEqual(['processo 1873/1987', 'processo 1234/1984']);
    expect(ids('Protocolo 98.765/90')).toEqual(['protocolo 98765/1990']);
    expect(ids('VISTO: el expediente Nº 2.087/92')).toEqual(['processo 2087/1992']);
    expect(ids('Processo de licitação nº 37/1995')).toEqual(['processo 37/1995']);
    // Typewriter spacing: a space after every digit.
    expect(ids('Processo nº 1 8 7 3 / 8 7')).toEqual(['processo 1873/1987']);
    expect(ids('DECRETO Nº 3 4 5 / 1 9 9 0, de 2 de abril')).toEqual(['decreto 345/1990']);
    // Labels as forms print them, followed by a colon or a dash.
    expect(ids('Processo: 1873/87')).toEqual(['processo 1873/1987']);
    expect(ids('PROTOCOLO - 98.765/90; Processo nº: 1.234/1984')).toEqual(['protocolo 98765/1990', 'processo 1234/1984']);
  });

  it('reads the numbers of laws, decrees and other acts, with the year of their date', () => {
    expect(ids('Decreto nº 345, de 2 de abril de 1990, e o Decreto nº 198, de 14 de fevereiro de 1986')).toEqual(['decreto 345/1990', 'decreto 198/1986']);
    expect(ids('nos termos da Lei Municipal nº 1.502/1997')).toEqual(['lei 1502/1997']);
    expect(ids('Lei nº 8.666, de 21 de junho de 1993')).toEqual(['lei 8666/1993']);
    expect(ids('ALVARÁ DE CONSTRUÇÃO Nº 412/1987')).toEqual(['alvara 412/1987']);
    expect(ids('EDITAL Nº 05/1998')).toEqual(['edital 5/1998']);
  });

  it('ignores numbers that are not a record’s: phones, pages, articles, postal codes', () => {
    expect(ids('telefone (31) 3222-1234, fl. 2, página 3 de 5, art. 71, inciso VI, CEP 30140-071, sala 12/3')).toEqual([]);
    // A word between the act and its number needs "nº": "lei e o processo" is not law number anything.
    expect(ids('a lei e o processo 12/2001')).toEqual(['processo 12/2001']);
  });

  it('reads judicial processes in the unified numbering (CNJ) when their check digits hold, in any spacing', () => {
    expect(ids('Processo nº 0001234-86.2015.8.26.0100, em trâmite na 1ª Vara')).toEqual(['processo 0001234-86.2015.8.26.0100']);
    expect(ids('autos 5002345-75.2019.4.04.7100 e 0800012 - 43 . 1998 . 5 . 03 . 0001')).toEqual(['processo 5002345-75.2019.4.04.7100', 'processo 0800012-43.1998.5.03.0001']);
    expect(ids('sem pontos: 00012348620158260100.')).toEqual(['processo 0001234-86.2015.8.26.0100']);
    // One check digit off: a misread, not a process of this court; it is not taken as process 1234/86 either.
    expect(ids('Processo nº 0001234-87.2015.8.26.0100')).toEqual([]);
    expect(identifierVariants('processo', '0001234-86.2015.8.26.0100')).toBe('processo 0001234-86.2015.8.26.0100 ; 00012348620158260100');
  });

  it('keeps a bill apart from the law it may become, as its identifier and as its type', () => {
    expect(ids('Projeto de Lei nº 18/1990, que deu origem à Lei nº 1.502/1990')).toEqual(['projeto-lei 18/1990', 'lei 1502/1990']);
    expect(ids('PROYECTO DE LEY Nº 7/1988')).toEqual(['projeto-lei 7/1988']);
    expect(documentTypeOfLine('PROJETO DE LEI Nº 18/1990')).toBe('projeto');
    expect(documentTypeOfLine('LEI Nº 1.502/1990')).toBe('lei');
  });

  it('gives the forms a clerk may type an identifier in', () => {
    expect(identifierVariants('processo', '1873/1987')).toBe('processo 1873/1987 ; 1873/87 ; 1.873/1987 ; 1.873/87');
    expect(identifierVariants('recibo', '1503')).toBe('recibo 1503 ; 1.503');
  });
});

describe('the title line', () => {
  const read = (first: string) => extractMetadata('Obras/1987/x.tif', [first], { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES });

  it('is not a protocol stamp over the record, unless the record is the protocol', () => {
    expect(read('PROTOCOLO Nº 4.512/1987\nRECEBIDO EM 03/03/1987\nALVARÁ DE CONSTRUÇÃO Nº 412/1987\nFica licenciado…')).toMatchObject({ documentType: 'alvara', title: 'ALVARÁ DE CONSTRUÇÃO Nº 412/1987' });
    expect(read('PROTOCOLO GERAL Nº 98.765/90\nRequerente: Ana Souza\nAssunto: certidão')).toMatchObject({ documentType: 'protocolo' });
  });
});

describe('titles typed with spaced letters', () => {
  it('closes the letters up, for the title and its type, and leaves ordinary words alone', () => {
    expect(closeLetterSpacing('D E C R E T O  Nº 345, DE 2 DE ABRIL DE 1990')).toBe('DECRETO  Nº 345, DE 2 DE ABRIL DE 1990');
    expect(closeLetterSpacing('C E R T I D Ã O  D E  Ó B I T O')).toBe('CERTIDÃO  DE  ÓBITO');
    expect(closeLetterSpacing('vistos a e o de Obras')).toBe('vistos a e o de Obras');
    expect(closeLetterSpacing('Lei nº 8.666 e a Portaria')).toBe('Lei nº 8.666 e a Portaria');
    const metadata = extractMetadata('Gabinete/1990/d.tif', ['PREFEITURA MUNICIPAL\nD E C R E T O  Nº 345, DE 2 DE ABRIL DE 1990\nDispõe sobre o horário.'], { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES });
    expect(metadata).toMatchObject({ documentType: 'decreto', title: 'DECRETO Nº 345, DE 2 DE ABRIL DE 1990' });
  });
});

describe('document type', () => {
  it('names the type the title line opens with, accents and case aside', () => {
    expect(documentTypeOfLine('ALVARÁ DE CONSTRUÇÃO Nº 412/1987')).toBe('alvara');
    expect(documentTypeOfLine('Decreto nº 345, de 2 de abril de 1990')).toBe('decreto');
    expect(documentTypeOfLine('Decreto-Lei nº 12')).toBe('decreto');
    expect(documentTypeOfLine('RESOLUCIÓN Nº 27/1978')).toBe('resolucao');
    expect(documentTypeOfLine('Ofício nº 57/84 - SMA')).toBe('oficio');
    expect(documentTypeOfLine('TERMO DE POSSE')).toBe('termo');
  });

  it('leaves unknown what it does not know, rather than guessing', () => {
    expect(documentTypeOfLine('Prefeitura Municipal de São João do Ipê')).toBeNull();
    expect(documentTypeOfLine('Leilão de bens inservíveis')).toBeNull(); // "lei" only as a whole word
    expect(documentTypeOfLine('Termo aditivo')).toBeNull(); // "termo" alone is not a configured phrase
    expect(documentTypeOfLine('')).toBeNull();
  });

  it('takes new types and words from the config', () => {
    const rules = documentTypeRules({ leilao: ['leilão', 'hasta pública'], termo: ['termo'] });
    expect(documentTypeOfLine('LEILÃO Nº 3/1999', rules)).toBe('leilao');
    expect(documentTypeOfLine('Termo aditivo', rules)).toBe('termo');
    expect(documentTypeOfLine('Decreto nº 1', rules)).toBe('decreto'); // the built-in ones stay
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

describe('taxpayer numbers and personal data', () => {
  it('finds CPF, CNPJ and CUIT numbers whose check digits hold, written with or without punctuation', () => {
    expect([validCpf('318.472.605-35'), validCnpj('04.252.011/0001-10'), validCuit('20-12345678-6')]).toEqual([true, true, true]);
    const found = findPersonalNumbers('CPF: 318.472.605-35; também 31847260535. Empresa CNPJ 04.252.011/0001-10. CUIL 20-12345678-6, CUIT 30-50000000-0?');
    expect(found.map((f) => [f.kind, f.text, f.personal])).toEqual([
      ['cpf', '318.472.605-35', true],
      ['cpf', '31847260535', true],
      ['cnpj', '04.252.011/0001-10', false],
      ['cuit', '20-12345678-6', true],
    ]);
  });

  it('ignores near misses: wrong check digits, repeated digits, phones, process and protocol numbers', () => {
    expect(validCpf('318.472.605-36')).toBe(false);
    expect(validCpf('111.111.111-11')).toBe(false);
    expect(validCuit('20-12345678-0')).toBe(false);
    expect(findPersonalNumbers('Processo nº 1.873/1987, Protocolo 98.765/2001, guia 2.941, CEP 30140-071, telefone (31) 3222-1234, celular (31) 99876-5432, fl. 12')).toEqual([]);
    expect(findPersonalNumbers('CNPJ 04.252.011/0001-11')).toEqual([]);
  });

  it('masks every digit of a person’s number, keeping its punctuation', () => {
    expect(maskPersonalNumbers('318.472.605-35')).toBe('***.***.***-**');
    expect(maskPersonalNumbers('31847260535')).toBe('***********');
  });

  it('masks people’s numbers in snippets, marks and escaping kept, companies’ left as they are', () => {
    const mask = (text: string) => maskPersonalNumbers(text);
    expect(mask('CPF 318.472.605-35 e CNPJ 04.252.011/0001-10')).toBe('CPF ***.***.***-** e CNPJ 04.252.011/0001-10');
    expect(maskSnippet('…servidora, CPF <mark>318.472.605-35</mark> &amp; matrícula…', mask)).toBe('…servidora, CPF <mark>***.***.***-**</mark> &amp; matrícula…');
    // Cut by the snippet's edge, or misread so its check digits fail: still hidden.
    expect(maskSnippet('…605-35, matrícula nº 1.042', mask)).toBe('…***-**, matrícula nº 1.042');
    expect(maskSnippet('CPF 318.472.605-99 (lido mal)', mask)).toBe('CPF ***.***.***-** (lido mal)');
    // For a user who may see them, nothing is masked, edges included.
    expect(maskSnippet('…605-35, matrícula', (text) => text, false)).toBe('…605-35, matrícula');
  });

  it('flags a document as holding personal data only for people’s numbers', () => {
    expect(extractMetadata('x.png', ['Certidão. CPF 318.472.605-35.'], RULES).personalData).toBe(true);
    expect(extractMetadata('x.png', ['Certidão negativa. CNPJ 04.252.011/0001-10.'], RULES).personalData).toBe(false);
  });
});

describe('the metadata of a document', () => {
  it('carries type, main date and every date with its page, identifiers, language and personal data', () => {
    const metadata = extractMetadata('Pessoal/1991/certidao.png', [
      'PREFEITURA MUNICIPAL\nCERTIDÃO DE TEMPO DE SERVIÇO Nº 88/1991\nProcesso nº 3.310/1991\nCertifico que a servidora, CPF 318.472.605-35, exerceu o cargo de professora do quadro permanente desta Prefeitura, na Escola Municipal, sem faltas e com uma licença,',
      'de 1º de março de 1966 a 31 de dezembro de 1990, pelo que se expede a presente.\nSão João do Ipê, 7 de fevereiro de 1991.',
    ], RULES);
    expect(metadata).toMatchObject({ title: 'CERTIDÃO DE TEMPO DE SERVIÇO Nº 88/1991', documentType: 'certidao', collection: 'Pessoal', year: 1991, date: '1991-02-07', language: 'pt', personalData: true });
    expect(metadata.dates).toEqual([
      { iso: '1966-03-01', text: '1º de março de 1966', page: 2, main: false },
      { iso: '1990-12-31', text: '31 de dezembro de 1990', page: 2, main: false },
      { iso: '1991-02-07', text: '7 de fevereiro de 1991', page: 2, main: true },
    ]);
    expect(metadata.identifiers.map((id) => [id.kind, id.value, id.page])).toEqual([['certidao', '88/1991', 1], ['processo', '3310/1991', 1]]);
    expect(metadata.taxNumbers).toEqual([{ kind: 'cpf', value: '31847260535', page: 1, personal: true }]);
  });

  it('lets the inventory win over the path and the text', () => {
    const metadata = extractMetadata('Obras/1987/a.png', ['ALVARÁ Nº 1/1987\nSão João do Ipê, 12 de março de 1987.'], RULES, { title: 'Alvará da Rua X', collection: 'Obras Públicas', date: '1987-03-10', documentType: 'alvara', notes: 'Caixa úmida' });
    expect(metadata).toMatchObject({ title: 'Alvará da Rua X', collection: 'Obras Públicas', date: '1987-03-10', year: 1987, notes: 'Caixa úmida' });
    expect(metadata.dates.every((d) => !d.main)).toBe(true);
  });
});

describe('box inventories', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-inventory-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(folder, name);
    writeFileSync(file, text);
    return file;
  };

  it('applies a folder’s row to what is below it, the file’s row winning field by field', () => {
    const inventory = loadInventories([
      write('caixas.csv', 'path,title,collection,year,box,notes\nObras/1987/Caixa 12,,Obras,1987,12,Recebida em 1995\n"Obras/1987/Caixa 12/alvara-412.png","Alvará 412, Rua X",,,,\n'),
    ]);
    expect(inventory.lookup('Obras/1987/Caixa 12/alvara-412.png')).toEqual({ collection: 'Obras', year: 1987, box: '12', notes: 'Recebida em 1995', title: 'Alvará 412, Rua X' });
    expect(inventory.lookup('Obras/1987/Caixa 12/outro.png')).toEqual({ collection: 'Obras', year: 1987, box: '12', notes: 'Recebida em 1995' });
    expect(inventory.lookup('Obras/1987/Caixa 120/x.png')).toEqual({});
  });

  it('reads what Excel in Portuguese saves: semicolons, a BOM, Portuguese column names, Brazilian dates', () => {
    const inventory = loadInventories([write('excel.csv', '\uFEFFCaminho;Título;Coleção;Tipo;Data;Observações\r\nGabinete\\1990\\decreto.tif;Decreto 345;Gabinete;Decreto;02/04/1990;Original com carimbo\r\n')]);
    expect(inventory.lookup('Gabinete/1990/decreto.tif')).toEqual({ title: 'Decreto 345', collection: 'Gabinete', documentType: 'decreto', date: '1990-04-02', year: 1990, notes: 'Original com carimbo' });
  });

  it('refuses a bad inventory with a message that says where', () => {
    expect(() => loadInventories([write('bad1.csv', 'caminho,cor\nx,azul\n')])).toThrow(/unknown column "cor"/);
    expect(() => loadInventories([write('bad2.csv', 'title\nx\n')])).toThrow(/needs a "path" column/);
    expect(() => loadInventories([write('bad3.csv', 'path,year\nx,87\n')])).toThrow(/bad3.csv line 2: the year "87"/);
    expect(() => loadInventories([path.join(folder, 'missing.csv')])).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
  });
});
