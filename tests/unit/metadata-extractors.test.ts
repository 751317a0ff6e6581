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
    // A space after every digit, the day's too.
    expect(isos('1 2 de março de 1 9 8 7')).toEqual(['1987-03-12']);
    expect(isos('em 1 2 / 0 3 / 1 9 8 7.')).toEqual(['1987-03-12']);
    // A row number before a date is not part of its day; a spaced process number is no date.
    expect(isos('1 12/03/1987 Gabinete')).toEqual(['1987-03-12']);
    expect(isos('Processo nº 1 8 7 3 / 8 7')).toEqual([]);
  });

  it('reads the day as atas and termos name it, in digits or words, in Portuguese and Spanish', () => {
    expect(isos('Aos 17 dias do mês de agosto de 1993, reuniu-se')).toEqual(['1993-08-17']);
    expect(isos('Aos 17 (dezessete) dias do mês de agosto do ano de 1993')).toEqual(['1993-08-17']);
    expect(isos('aos dezessete (17) dias do mês de agosto de 1993')).toEqual(['1993-08-17']);
    expect(isos('a los 15 días del mes de mayo del año 1987')).toEqual(['1987-05-15']);
    expect(isos('a los quince días del mes de mayo de mil novecientos ochenta y siete, siendo las')).toEqual(['1987-05-15']);
    expect(isos('A LOS VEINTIÚN DÍAS DEL MES DE SETIEMBRE DE MIL NOVECIENTOS OCHENTA Y CUATRO.')).toEqual(['1984-09-21']);
    expect(isos('a los treinta y un días del mes de diciembre de dos mil')).toEqual(['2000-12-31']);
    expect(isos('al primer día del mes de marzo de mil novecientos noventa y nueve')).toEqual(['1999-03-01']);
    expect(parseNumberWords('mil novecientos ochenta y siete')).toBe(1987);
    expect(parseNumberWords('dieciseis')).toBe(16);
    expect(parseNumberWords('hum mil novecentos e sessenta')).toBe(1960);
    // Words that are no number before the month are no day.
    expect(isos('durante todo o mês de maio de 1987')).toEqual([]);
  });

  it('reads a Roman month between hyphens', () => {
    expect(isos('Pueblo Armonía, 15-VII-1978.')).toEqual(['1978-07-15']);
    expect(isos('FECHA: 14-XI-1988')).toEqual(['1988-11-14']);
  });

  it('reads the first day of a range, its month and year from the date that closes it', () => {
    expect(isos('no período de 4 a 15 de março de 1996, das 8h às 11h')).toEqual(['1996-03-04', '1996-03-15']);
    expect(isos('vigorará de 15 de agosto a 20 de dezembro de 1994.')).toEqual(['1994-08-15', '1994-12-20']);
    expect(isos('faltas ocorridas no período de 1º a 31 de julho de 1976:')).toEqual(['1976-07-01', '1976-07-31']);
    // A count, a page or an article is not the start of a range.
    expect(isos('no prazo de 30 dias a 15 de março de 1996, fls. 11/12 a 3 de maio de 1996')).toEqual(['1996-03-15', '1996-05-03']);
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
    // An act cited at the start of a wrapped line of the body is not the title.
    const portaria = [
      'PREFEITURA MUNICIPAL DE PIRAPORA DOS CAMPOS',
      'PORTARIA N.º 31',
      'O Prefeito Municipal de Pirapora dos Campos, no uso de suas atribuições legais, R E S O L V E',
      'Exonerar, a pedido, a partir de 1.º de abril de 1965, o Sr. BENEDITO APARECIDO GODOY, ocupante',
      'do cargo de Escriturário, padrão "F", do Quadro do Pessoal desta Prefeitura, nomeado pela',
      'Portaria n.º 14, de 10 de fevereiro de 1961.',
      'Cumpra-se, registre-se e publique-se.',
      'Prefeitura Municipal de Pirapora dos Campos, aos 30 de março de 1965.',
    ].join('\n');
    expect(mainDate(findDates(portaria))?.iso).toBe('1965-03-30');
  });

  it("takes an ata's opening date, the meeting it records, over later meetings it sets and its closing lines", () => {
    const ata = [
      'CÂMARA MUNICIPAL DE SÃO JOÃO DO IPÊ',
      'ATA DA 23ª SESSÃO ORDINÁRIA',
      'Aos dezessete dias do mês de agosto de mil novecentos e noventa e três, às dezenove horas, reuniu-se',
      'a Câmara Municipal sob a presidência do Vereador Antônio Prado. Lida a ata da sessão anterior, de',
      '10 de agosto de 1993, foi aprovada. Foi aprovado o Requerimento nº 37/93. Nada mais havendo, o',
      'Presidente encerrou a sessão, ficando a próxima reunião marcada para o dia 24 de agosto de 1993.',
      'E, para constar, eu, secretário, lavrei a presente ata, que lida e aprovada em 24 de agosto de 1993,',
      'vai assinada.',
      'Sala das Sessões, 24 de agosto de 1993.',
    ].join('\n');
    const dates = findDates(ata);
    expect(dates.map((d) => d.iso)).toEqual(['1993-08-17', '1993-08-10', '1993-08-24', '1993-08-24', '1993-08-24']);
    expect(mainDate(dates)?.iso).toBe('1993-08-17');
    const acta = 'ACTA Nº 37\nEn Río Yaguarí, a los 9 días del mes de setiembre de 1969, siendo la hora 19 y 15, se reúne la\nComisión. Siendo la hora 20 y 40 se levanta la sesión, fijándose la próxima reunión\npara el día 16 de setiembre de 1969.';
    expect(mainDate(findDates(acta))?.iso).toBe('1969-09-09');
  });

  it("takes a form's date field over the dates of the moves noted below it", () => {
    const capa = 'PROCESSO Nº 12.345/86-SEC\nData de autuação: 04/06/1986\nInteressado: Escola Estadual\nNascido em: 03/02/1950\nMOVIMENTAÇÃO\n05/06/86 - Gabinete\n09/06/86 - Divisão de Transportes';
    expect(mainDate(findDates(capa))?.iso).toBe('1986-06-04');
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

  it('reads Argentine and Uruguayan expedientes and older state forms: office letters in the order written, the year last', () => {
    expect(ids('Expte. Nº 4567-M-1985')).toEqual(['processo 4567-M/1985']);
    expect(ids('Expediente 12.345/B/87')).toEqual(['processo 12345-B/1987']);
    expect(ids('Processo SS-1234/87')).toEqual(['processo SS-1234/1987']);
    expect(ids('Proc. DAE nº 456/85')).toEqual(['processo DAE-456/1985']);
    expect(ids('Processo nº 12.345/86-SEC')).toEqual(['processo 12345-SEC/1986']);
    expect(ids('consta do Processo SAR 4471/2006, resolvem')).toEqual(['processo SAR-4471/2006']);
    // Uruguayan numbers of several parts, all digits: kept as written, zeros and all.
    expect(ids('Expediente Nº 2019-81-1020-01234')).toEqual(['processo 2019-81-1020-01234']);
    expect(ids('Exp. Nº 3301-000587-86')).toEqual(['processo 3301-000587-86']);
    expect(ids('Actuación Nº 333/1990 y Exp. 1234/86')).toEqual(['processo 333/1990', 'processo 1234/1986']);
    // The issuer's abbreviation between the label and the sign is not part of the number.
    expect(ids('Expte. H.C.D. Nº 312-B-1990')).toEqual(['processo 312-B/1990']);
    // An office closing the line after a dash, as ofícios are numbered.
    expect(ids('Ofício nº 318/2009 - DRH\nCuritiba')).toEqual(['oficio 318-DRH/2009']);
    expect(ids('Of. nº 088/79-CM')).toEqual(['oficio 88-CM/1979']);
    // Court records: "nos autos nº 245/85".
    expect(ids('nos autos nº 245/85 de Separação Judicial')).toEqual(['processo 245/1985']);
  });

  it('reads the Spanish acts and notes, agreements and entry numbers', () => {
    expect(ids('Nota Nº 123/85 y Nota I.M. Nº 88/93')).toEqual(['oficio 123/1985', 'oficio 88/1993']);
    expect(ids('el Oficio Ord. Nº 312, de fecha 2 de marzo de 1989')).toEqual(['oficio 312/1989']);
    expect(ids('conforme a la Ordenanza Nº 789, de fecha 10 de diciembre de 1968.')).toEqual(['ordenanza 789/1968']);
    expect(ids('Dictamen Nº 58/95')).toEqual(['parecer 58/1995']);
    expect(ids('Convênio nº 03/2001 e Convenio Nº 12/1990')).toEqual(['convenio 3/2001', 'convenio 12/1990']);
    expect(ids('Proyecto de Ordenanza Nº 44/2001')).toEqual(['projeto-ordenanza 44/2001']);
    expect(ids('ENTRADA Nº 4.512 — 03/05/1988')).toEqual(['protocolo 4512']);
    expect(ids('Processo Administrativo\nnº 4.418/2009')).toEqual(['processo 4418/2009']);
    expect(ids('ALVARÁ DE HABITE-SE Nº 56/82')).toEqual(['alvara 56/1982']);
  });

  it('reads a dotted number as OCR misreads it: a space between narrow digits, the dot a comma', () => {
    expect(ids('(Protocolo nº 2.1 17/93) foi arquivado')).toEqual(['protocolo 2117/1993']);
    expect(ids('conforme Processo SS-2.71 8/80.')).toEqual(['processo SS-2718/1980']);
    expect(ids('o que consta do Processo nº 3,402/78,')).toEqual(['processo 3402/1978']);
    // Not a list of numbers, nor digits spaced apart without a year after them.
    expect(ids('Processo nº 12, 345 e 346')).toEqual(['processo 12']);
    expect(ids('Processo nº 2.1 17 folhas')).not.toContain('processo 2117');
  });

  it('does not take words, headings, dates or a neighbour line for an identifier', () => {
    expect(ids('conforme nota fiscal nº 1234 de 1990')).toEqual([]);
    expect(ids('Fecha de entrada: 03/05/1988')).toEqual([]);
    expect(ids('Protocolo nº 123 - 12/03/1987')).toEqual(['protocolo 123']);
    // A heading over the articles, and a heading over another line.
    expect(ids('D E C R E T O :\n1.– Llámase a propuesta pública')).toEqual([]);
    expect(ids('EDICTO\nLICITACIÓN PÚBLICA Nº 04/97')).toEqual([]);
    // Capitals after a label in capitals are a word of the heading, not an office.
    expect(ids('PROTOCOLO GERAL Nº 3.907/86 - 24 NOV 1986')).toEqual(['protocolo 3907/1986']);
    expect(ids('Ofício nº 57/84 - Requerente: Ana')).toEqual(['oficio 57/1984']);
    expect(ids('the minutes of 12 May')).toEqual([]);
  });

  it('reads identifiers in titles typed with spaced letters, and says where they were written', () => {
    const found = findIdentifiers('INTENDENCIA\nR E S O L U C I Ó N   Nº 845/72\nVisto');
    expect(found).toEqual([{ kind: 'resolucao', value: '845/1972', text: 'R E S O L U C I Ó N Nº 845/72', index: 12 }]);
  });

  it('gives the forms a clerk may type an identifier in', () => {
    expect(identifierVariants('processo', '1873/1987')).toBe('processo 1873/1987 ; 1873/87 ; 1.873/1987 ; 1.873/87');
    expect(identifierVariants('recibo', '1503')).toBe('recibo 1503 ; 1.503');
    // With an office's letters: also without them.
    expect(identifierVariants('processo', '4567-M/1985')).toBe('processo 4567-M/1985 ; 4567-M/85 ; 4.567-M/1985 ; 4.567-M/85 ; 4567/1985 ; 4567/85 ; 4.567/1985 ; 4.567/85');
    // Several parts: as issued, and its digits run together.
    expect(identifierVariants('processo', '2019-81-1020-01234')).toBe('processo 2019-81-1020-01234 ; 201981102001234');
  });
});

describe('the title line', () => {
  const read = (first: string) => extractMetadata('Obras/1987/x.tif', [first], { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES });

  it('is not a protocol stamp over the record, unless the record is the protocol', () => {
    expect(read('PROTOCOLO Nº 4.512/1987\nRECEBIDO EM 03/03/1987\nALVARÁ DE CONSTRUÇÃO Nº 412/1987\nFica licenciado…')).toMatchObject({ documentType: 'alvara', title: 'ALVARÁ DE CONSTRUÇÃO Nº 412/1987' });
    expect(read('PROTOCOLO GERAL Nº 98.765/90\nRequerente: Ana Souza\nAssunto: certidão')).toMatchObject({ documentType: 'protocolo' });
  });
});

describe('the title under the letterhead', () => {
  const read = (first: string) => extractMetadata('Arquivo/x.pdf', [first], RULES);

  it('is never the letterhead: the title is the line below it that says what the record is', () => {
    expect(read('MUNICIPALIDAD DE PUEBLO ARMONÍA\nDIRECCIÓN DE OBRAS PARTICULARES\nPERMISO DE CONSTRUCCIÓN\nExpediente: 2231/76\nPropietario: Sr. Anselmo')).toMatchObject({ title: 'PERMISO DE CONSTRUCCIÓN', documentType: 'alvara' });
    expect(read('PREFEITURA MUNICIPAL DE SÃO MIGUEL\nSECRETARIA MUNICIPAL DE MEIO AMBIENTE\nNOTIFICAÇÃO\nProcesso: 3.211/2007')).toMatchObject({ title: 'NOTIFICAÇÃO', documentType: 'notificacao' });
    expect(read('GRUPO ESCOLAR "CORONEL JOSÉ VIEIRA"\nArroio das Figueiras - Rio Grande do Sul\nOfício nº 14/60')).toMatchObject({ title: 'Ofício nº 14/60', documentType: 'oficio' });
  });

  it('is a heading over the number of the file the paper is in, which still gives the type', () => {
    expect(read('INTENDENCIA MUNICIPAL DE ARROYO BLANCO\nExp. Nº 3301-000587-86\nINFORME\nSr. Director General de Obras:')).toMatchObject({ title: 'INFORME', documentType: 'processo' });
    expect(read('PREFEITURA MUNICIPAL\nFOLHA DE INFORMAÇÃO\nProcesso nº 1 8 7 3 / 8 7\nInteressado: Cooperativa')).toMatchObject({ title: 'FOLHA DE INFORMAÇÃO', documentType: 'processo' });
    expect(read('SETOR DE PROTOCOLO GERAL\nCOMPROVANTE DE PROTOCOLO\nPROTOCOLO - 98.765/90\nData: 14/11/1990')).toMatchObject({ title: 'COMPROVANTE DE PROTOCOLO', documentType: 'protocolo' });
    // No heading: the file's number is the title (a file's cover).
    expect(read('PREFEITURA MUNICIPAL\nPROCESSO Nº 12.345/86-SEC\nData de autuação: 04/06/1986\nInteressado: ESCOLA ESTADUAL')).toMatchObject({ title: 'PROCESSO Nº 12.345/86-SEC', documentType: 'processo' });
    // A stamp's line with its date is no heading.
    expect(read('MUNICIPALIDAD — MESA DE ENTRADAS\nENTRADA Nº 4.512 — 03/05/1988\nVilla, 2 de mayo de 1988.')).toMatchObject({ title: 'x', documentType: null });
  });

  it('is not looked for in the running text', () => {
    const nota = 'MUNICIPALIDAD DE PUEBLO ARMONÍA\nPueblo Armonía, 4 de agosto de 1952.\nA S.E. el Señor Ministro de Obras Públicas\nTengo el honor de dirigirme a V.E. solicitando quiera disponer la inclusión en el Plan de Obras\nResolución Nº 14/52, cuya copia se adjunta, y constituye una sentida aspiración del vecindario.';
    expect(read(nota)).toMatchObject({ title: 'x', documentType: null });
  });

  it('leaves an untitled letter untitled; one that asks for something is a petition', () => {
    const solicitud = 'Villa Las Acacias, 6 de octubre de 1971.\nSeñor\nIntendente Municipal\nS / D\nQuien suscribe se dirige a usted a fin de solicitar se autorice la plantación de dos árboles.';
    expect(read(solicitud)).toMatchObject({ title: 'x', documentType: 'requerimento' });
    const carta = 'Vila dos Pereiras, 14 de setembro de 1981.\nExmo. Sr. Prefeito,\nVenho agradecer pela instalação do poste e lembrar o pedido que fizemos.';
    expect(read(carta)).toMatchObject({ title: 'x', documentType: null });
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
    expect(documentTypeOfLine('TERMO DE COMPROMISSO E POSSE')).toBe('termo');
    expect(documentTypeOfLine('TERMO DE CONVÊNIO Nº 03/78')).toBe('convenio');
    expect(documentTypeOfLine('EXTRATO DO CONTRATO Nº 041/2005')).toBe('contrato');
    expect(documentTypeOfLine('NOTIFICAÇÃO')).toBe('notificacao');
    expect(documentTypeOfLine('Of. nº 088/79-CM')).toBe('oficio');
    expect(documentTypeOfLine('Proc. DAE nº 456/85')).toBe('processo');
  });

  it('knows the Spanish names of the same records', () => {
    const types = (lines: string[]) => lines.map((line) => documentTypeOfLine(line));
    expect(types(['ACTA Nº 14 — SESIÓN ORDINARIA', 'CERTIFICADO Nº 3.417', 'CONSTANCIA', 'HABILITACIÓN DE COMERCIO', 'PERMISO DE CONSTRUCCIÓN'])).toEqual(['ata', 'certidao', 'certidao', 'alvara', 'alvara']);
    expect(types(['NOTA Nº 312/73', 'DICTAMEN Nº 58/95', 'PROYECTO DE DECRETO', 'EXPEDIENTE Nº 5.873-C-1985', 'Expte. Nº 2.876-P-1979'])).toEqual(['oficio', 'parecer', 'projeto', 'processo', 'processo']);
    expect(types(['NOTIFICACIÓN', 'MESA DE ENTRADAS', 'SOLICITUD DE LICENCIA'])).toEqual(['notificacao', 'protocolo', 'requerimento']);
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

  it('tells them apart on short forms and receipts by the spellings only one has', () => {
    expect(detectLanguage('RECIBO Nº 5217\nRecibí del Sr. Lombardi la suma de m$n 240,00 en concepto de:\nPatente de rodados — Año 1959\nSellado de actuación — Expte. Nº 311-L-1959')).toBe('es');
    expect(detectLanguage('COMPROVANTE DE PROTOCOLO\nRequerente: JOÃO MARIA\nEndereço: Linha São Roque\nDestino: Secretaria de Obras e Viação')).toBe('pt');
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

  it('marks a date that rivals the one chosen (the choice was close), never a date the text cites, nor any against the inventory', () => {
    // Two places and dates, each closing its own line: which one the letter is dated is a person's call.
    const letter = extractMetadata('x.png', ['OFÍCIO Nº 12/1993\nSão Paulo, 12 de março de 1993.\nPedido de vistoria da obra da Rua das Acácias, 120.\nSantos, 14 de abril de 1993.'], RULES);
    expect(letter.dates.map((d) => [d.iso, d.main, d.rival ?? false])).toEqual([
      ['1993-03-12', false, true],
      ['1993-04-14', true, false],
    ]);
    const decree = extractMetadata('x.png', ['DECRETO Nº 345, DE 2 DE ABRIL DE 1990\nRegulamenta a Lei nº 1.120, de 5 de dezembro de 1979.\nSão João do Ipê, 2 de abril de 1990.'], RULES);
    expect(decree.dates.some((d) => d.rival)).toBe(false);
    const listed = extractMetadata('x.png', ['OFÍCIO Nº 12/1993\nSão Paulo, 12 de março de 1993.\nSantos, 14 de abril de 1993.'], RULES, { date: '1993-03-10' });
    expect(listed.dates.some((d) => d.rival || d.main)).toBe(false);
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
