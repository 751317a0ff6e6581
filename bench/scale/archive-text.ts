/**
 * Realistic municipal records for the search bench, generated: Portuguese (7 in 10) and Spanish
 * documents of 1–40 pages (12.5 on average) whose words follow a Zipf law over each language's
 * vocabulary — little words first, then the archive's own words, then a long tail of rarer words
 * and people's names — with OCR misreadings, process numbers, dates in words and in digits,
 * addresses and taxpayer numbers. Each document opens with a title line naming its type, as the
 * metadata stage expects, and lives in a `<collection>/<year>/Caixa <n>/` folder.
 *
 * A fixed seed makes every run write the same archive; `ARCHIVE_TEXT_VERSION` names the recipe,
 * so a cached library built by another recipe is built again.
 */

/** 2: page confidences vary (archive-library.ts), some under the review queue's threshold; dates carry rivals. */
export const ARCHIVE_TEXT_VERSION = 2;

const PT_LITTLE = `de a o que e do da em um para com não uma os no se na por mais as dos como ao das à seu sua ou
  ser quando nos já está também pelo pela até isso entre era depois sem mesmo aos ter seus nas esse foram essa num
  nem suas numa pelos havia seja qual será lhe deles essas esses pelas este fosse dele`;
const ES_LITTLE = `de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este
  sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni
  contra otros ese eso ante ellos esto antes algunos unos otro otras otra él tanto esa estos mucho quienes nada`;
/** The archive's words, most used first: they follow the little words in rank. */
const PT_ARCHIVE = `municipal prefeitura processo secretaria câmara decreto documento requerimento senhor parecer despacho
  lei portaria certidão alvará ofício memorando licitação contrato prefeito vereador jurídico licença funcionamento
  construção obra pública pagamento empenho nota fiscal tributo imposto predial territorial urbano cobrança dívida
  ativa inscrição cadastro imóvel lote quadra loteamento rua avenida praça bairro distrito zona rural escola saúde
  hospital posto servidor cargo nomeação exoneração aposentadoria férias gratificação salário folha orçamento
  receita despesa crédito suplementar convênio estado federal união ministério recurso aprovação votação sessão
  ordinária extraordinária ata comissão relatório fiscalização vistoria demolição reforma ampliação terreno área
  metros quadrados valor total reais cruzeiros cruzados arquivo caixa série cópia original autenticada cartório
  registro escritura certificado declaração atestado boletim edital publicação diário oficial município cidadão
  senhora excelentíssimo ilustríssimo solicita requer informa comunica encaminha determina resolve considerando
  artigo parágrafo inciso alínea revoga disposições contrário vigor presente termos acordo firmado partes
  contratante contratada objeto prazo vigência dias úteis multa rescisão garantia proposta preço menor global item
  quantidade unidade material serviço fornecimento aquisição merenda escolar transporte combustível veículo máquina
  equipamento manutenção limpeza iluminação pavimentação asfalto drenagem esgoto água abastecimento energia elétrica
  telefone correio número referente anexo segue atenciosamente respeitosamente protocolo deferido indeferido
  arquive-se publique-se cumpra-se gabinete procuradoria tesouraria almoxarifado patrimônio contabilidade`;
const ES_ARCHIVE = `municipal expediente municipalidad intendente concejo deliberante ordenanza resolución decreto secretaría
  obras públicas hacienda catastro inmueble calle avenida barrio licencia habilitación comercial pago tasa impuesto
  deuda contribuyente vecino solicitud nota informe dictamen asesoría letrada departamento ejecutivo señor señora
  presente visto considerando artículo inciso vigencia disposición comuníquese publíquese regístrese archívese
  partida presupuesto gasto erogación contratación licitación pública privada proveedor oferta adjudicación monto
  pesos australes moneda nacional plazo días hábiles inspección terreno lote manzana parcela plano mensura
  escritura propiedad registro certificado constancia sello firma funcionario agente planta permanente designación
  cese jubilación haberes sueldo liquidación personal escuela salud hospital centro vecinal alumbrado barrido
  limpieza pavimento cordón cuneta desagüe agua corriente cloacas energía eléctrica transporte colectivo`;
const FIRST_NAMES = `Maria José Ana João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael
  Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Manoel Sebastião Jorge Juan Carlos Luis Miguel Ángel Roberto
  Ricardo Héctor Raúl Sergio Alberto Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia Aline Sandra Rosa
  Carmen Lucía Graciela Silvia Beatriz Mónica Norma Susana Teresa Elena Laura Marta Sônia Vera Helena Terezinha`;
const SURNAMES = `Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins
  Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado
  Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Melo Cavalcanti Medeiros González Rodríguez
  Gómez Fernández López Díaz Martínez Pérez García Sánchez Romero Sosa Álvarez Torres Ruiz Ramírez Flores Acosta
  Benítez Medina Suárez Herrera Aguirre Pereyra Giménez Gutiérrez Molina Castro Ortiz Silveira Bittencourt Schmidt`;
const STREETS = `Quinze de Novembro, Sete de Setembro, Duque de Caxias, Tiradentes, Marechal Deodoro, Barão do Rio
  Branco, Independencia, San Martín, Belgrano, Rivadavia, Sarmiento, Mitre, Floriano Peixoto, Getúlio Vargas`;
const PT_MONTHS = 'janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro';
const ES_MONTHS = 'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre';
const SYLLABLES = `ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga go gu la le li lo lu ma me mi mo mu na ne
  ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo ção ções são lha lho nha nho que qui
  tra tre pra pro bra bre cla cre dra fla gra gre ar er or al el il an en in on es as os ão ões ém ário ória mente dade
  ción ciones dad llo lla rro rra ñe ña`;
/** Letters OCR confuses, as (read, written) pairs. */
const CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['i', 'l'], ['l', 'i'], ['e', 'c'], ['c', 'e'], ['o', '0'], ['a', 'o'], ['m', 'n'], ['n', 'm'],
  ['u', 'v'], ['ç', 'c'], ['ã', 'a'], ['é', 'e'], ['r', 't'], ['h', 'b'], ['rn', 'm'],
];

export const COLLECTIONS = ['Gabinete', 'Obras', 'Fazenda', 'Educação', 'Saúde', 'Câmara', 'Administração', 'Urbanismo', 'Procuradoria', 'Hacienda', 'Concejo', 'Catastro'];
/** Title openings by language, with the type the metadata stage reads from them. */
const PT_TITLES = ['ALVARÁ DE LICENÇA', 'ALVARÁ DE CONSTRUÇÃO', 'DECRETO', 'LEI', 'PORTARIA', 'CERTIDÃO', 'OFÍCIO', 'MEMORANDO', 'PROCESSO ADMINISTRATIVO', 'ATA DA SESSÃO', 'EDITAL DE LICITAÇÃO', 'CONTRATO', 'REQUERIMENTO', 'PARECER JURÍDICO', 'PROTOCOLO'];
const ES_TITLES = ['ORDENANZA', 'DECRETO', 'RESOLUCIÓN', 'EXPEDIENTE', 'ACTA', 'EDICTO', 'CONTRATO', 'SOLICITUD', 'DICTAMEN', 'CERTIFICADO'];
export const FIRST_YEAR = 1950;
export const LAST_YEAR = 2019;

const TAIL_WORDS = 120_000;
const ZIPF_EXPONENT = 1.05;
const words = (list: string) => list.split(/\s+/).filter((word) => word !== '');

/** mulberry32: small, fast and the same on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One language's words in Zipf rank order, and how to draw from them. */
class ZipfVocabulary {
  readonly words: string[];
  private readonly cumulative: Float64Array;

  constructor(ranked: string[], private readonly random: () => number) {
    this.words = ranked;
    this.cumulative = new Float64Array(ranked.length);
    let sum = 0;
    for (let rank = 0; rank < ranked.length; rank += 1) {
      sum += 1 / Math.pow(rank + 1, ZIPF_EXPONENT);
      this.cumulative[rank] = sum;
    }
  }

  draw(): string {
    const target = this.random() * (this.cumulative[this.cumulative.length - 1] as number);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return this.words[low] as string;
  }
}

export interface ArchiveDocument {
  /** `<collection>/<year>/Caixa <n>/<file>.tif`: what the metadata stage reads the collection and year from. */
  relativePath: string;
  language: 'pt' | 'es';
  pages: string[];
}

export class ArchiveText {
  private readonly random: () => number;
  private readonly pt: ZipfVocabulary;
  private readonly es: ZipfVocabulary;
  private readonly firstNames = words(FIRST_NAMES);
  private readonly surnames = words(SURNAMES);
  private readonly streets = STREETS.split(',').map((s) => s.trim().replace(/\s+/g, ' '));
  private documents = 0;

  constructor(seed = 19_870_412) {
    this.random = prng(seed);
    const syllables = words(SYLLABLES);
    const seen = new Set([...words(PT_LITTLE), ...words(ES_LITTLE), ...words(PT_ARCHIVE), ...words(ES_ARCHIVE)]);
    const tail = (count: number): string[] => {
      const out: string[] = [];
      while (out.length < count) {
        let word = '';
        const length = 2 + Math.floor(this.random() * 3);
        for (let i = 0; i < length; i += 1) word += this.pick(syllables);
        if (!seen.has(word)) {
          seen.add(word);
          out.push(word);
        }
      }
      return out;
    };
    // The first little words, then the archive's three commonest (in nearly every page, as
    // "municipal" is), the other little words, the archive's words interleaved with the head of
    // the tail, then the tail.
    const rank = (little: string, archive: string): string[] => {
      const own = tail(TAIL_WORDS);
      const [top, rest] = [words(archive).slice(0, 3), words(archive).slice(3)];
      const head = rest.flatMap((word, i) => [word, ...(i % 3 === 2 ? [own[i] as string] : [])]);
      return [...words(little).slice(0, 5), ...top, ...words(little).slice(5), ...head, ...own.slice(rest.length)];
    };
    this.pt = new ZipfVocabulary(rank(PT_LITTLE, PT_ARCHIVE), this.random);
    this.es = new ZipfVocabulary(rank(ES_LITTLE, ES_ARCHIVE), this.random);
  }

  /** Archive words of each language, for queries. */
  archiveWords(language: 'pt' | 'es'): string[] {
    return words(language === 'pt' ? PT_ARCHIVE : ES_ARCHIVE);
  }

  /** The next document; pages run 1–40, 12.5 on average. */
  next(): ArchiveDocument {
    this.documents += 1;
    const language = this.random() < 0.7 ? 'pt' : 'es';
    const vocabulary = language === 'pt' ? this.pt : this.es;
    const pageCount = Math.min(40, 1 + Math.floor(-Math.log(1 - this.random()) * 12.2));
    const year = FIRST_YEAR + this.int(LAST_YEAR - FIRST_YEAR + 1);
    const collection = this.pick(COLLECTIONS);
    const title = `${this.pick(language === 'pt' ? PT_TITLES : ES_TITLES)} Nº ${1 + this.int(2999)}/${year}`;
    const pages: string[] = [];
    for (let page = 0; page < pageCount; page += 1) pages.push(this.page(vocabulary, language, year, page === 0 ? title : null));
    const file = `${title.split(' ')[0]!.toLowerCase()}-${this.documents}.tif`;
    return { relativePath: `${collection}/${year}/Caixa ${1 + this.int(400)}/${file}`, language, pages };
  }

  private page(vocabulary: ZipfVocabulary, language: 'pt' | 'es', year: number, title: string | null): string {
    const lines: string[] = title === null ? [] : [title, ''];
    // 400–3,000 characters, 1,500 on average.
    const target = 400 + Math.floor(this.random() * this.random() * 4_400);
    let length = 0;
    let line: string[] = [];
    let lineLength = 0;
    while (length < target) {
      const word = this.word(vocabulary, language, year);
      line.push(word);
      lineLength += word.length + 1;
      length += word.length + 1;
      if (lineLength > 60 + this.int(20)) {
        lines.push(line.join(' '));
        line = [];
        lineLength = 0;
      }
    }
    if (line.length > 0) lines.push(line.join(' '));
    return lines.join('\n');
  }

  private word(vocabulary: ZipfVocabulary, language: 'pt' | 'es', year: number): string {
    const roll = this.random();
    if (roll < 0.004) return this.processNumber(language, year);
    if (roll < 0.007) return this.dateInWords(language, year);
    if (roll < 0.009) return `${String(1 + this.int(28)).padStart(2, '0')}/${String(1 + this.int(12)).padStart(2, '0')}/${year}`;
    if (roll < 0.016) return this.person();
    if (roll < 0.018) return `${language === 'pt' ? 'Rua' : 'Calle'} ${this.pick(this.streets)}, nº ${1 + this.int(2500)}`;
    if (roll < 0.019) return `CPF ${this.digits(3)}.${this.digits(3)}.${this.digits(3)}-${this.digits(2)}`;
    if (roll < 0.03) return String(1 + this.int(999));
    let word = vocabulary.draw();
    const shape = this.random();
    if (shape < 0.03) word = this.misread(word);
    else if (shape < 0.11) word = word.charAt(0).toUpperCase() + word.slice(1);
    else if (shape < 0.13) word = word.toUpperCase();
    if (this.random() < 0.07) word += this.random() < 0.8 ? '.' : ',';
    return word;
  }

  private processNumber(language: 'pt' | 'es', year: number): string {
    const number = 1 + this.int(19_999);
    const written = number >= 1000 && this.random() < 0.5 ? `${Math.floor(number / 1000)}.${String(number % 1000).padStart(3, '0')}` : String(number);
    const shortYear = this.random() < 0.3 ? String(year).slice(2) : String(year);
    const kind = language === 'pt' ? this.pick(['Processo nº', 'Protocolo nº', 'Processo n.º']) : this.pick(['Expediente Nº', 'Expediente N°']);
    return `${kind} ${written}/${shortYear}`;
  }

  private dateInWords(language: 'pt' | 'es', year: number): string {
    const months = words(language === 'pt' ? PT_MONTHS : ES_MONTHS);
    return `${1 + this.int(28)} de ${this.pick(months)} de ${year}`;
  }

  private person(): string {
    const middle = this.random() < 0.4 ? ` ${this.random() < 0.5 ? 'da ' : ''}${this.pick(this.surnames)}` : '';
    return `${this.pick(this.firstNames)}${middle} ${this.pick(this.surnames)}`;
  }

  private misread(word: string): string {
    for (const [from, to] of CONFUSIONS) {
      const at = word.indexOf(from, 1);
      if (at > 0 && this.random() < 0.5) return word.slice(0, at) + to + word.slice(at + from.length);
    }
    return word;
  }

  private digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i += 1) out += String(this.int(10));
    return out;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }
}
