/**
 * The portal's words, in plain Portuguese first, then Spanish and English: short sentences, no
 * archivist's jargon, and what each kind of act is, for a citizen who never read one.
 */
export type Lang = 'pt' | 'es' | 'en';
export const LANGS: readonly Lang[] = ['pt', 'es', 'en'];
export const HTML_LANG: Record<Lang, string> = { pt: 'pt-BR', es: 'es', en: 'en' };

const pt = {
  siteTitle: 'Transparência',
  intro: 'Aqui você encontra leis, decretos, portarias, editais, contratos e atas públicas do município. Não precisa de cadastro.',
  skip: 'Pular para o conteúdo',
  searchHeading: 'Buscar documentos',
  subject: 'Assunto (palavras)',
  subjectHint: 'Por exemplo: iluminação pública',
  number: 'Número',
  numberHint: 'Por exemplo: 123/1987',
  year: 'Ano',
  type: 'Tipo',
  anyType: 'Todos os tipos',
  search: 'Buscar',
  newestHeading: 'Publicados por último',
  whatIs: (name: string) => `O que é ${name}?`,
  seeAll: (name: string) => `Ver todos: ${name}`,
  results: (n: number, more: boolean) => (n === 0 ? 'Nenhum documento encontrado.' : `${more ? 'Mais de ' : ''}${n} ${n === 1 ? 'resultado' : 'resultados'}.`),
  noResultsHelp: 'Tente menos palavras, outra grafia, ou tire o filtro de ano ou tipo.',
  page: 'Página',
  previous: 'Anterior',
  next: 'Próxima',
  results_heading: 'Resultados',
  openPdf: (pages: number) => `Abrir o documento (PDF, ${pages} ${pages === 1 ? 'página' : 'páginas'})`,
  downloadPdf: 'Baixar o PDF',
  pdfNote: 'O PDF é uma cópia com dados pessoais cobertos (tarjados), conforme a LGPD.',
  cite: 'Como citar',
  address: 'Endereço permanente deste documento',
  date: 'Data',
  collection: 'Coleção',
  pages: 'Páginas',
  notFound: 'Documento não encontrado',
  notFoundHelp: 'Este endereço não leva a nenhum documento público. Confira o endereço ou faça uma busca.',
  tooMany: 'Muitas consultas seguidas. Espere um minuto e tente de novo.',
  badSearch: 'A busca ficou longa demais ou tem um valor inválido. Use menos palavras.',
  back: 'Voltar ao início',
  openData: 'Dados abertos: lista de documentos públicos em JSON e CSV',
  accessedOn: 'Acesso em',
  availableAt: 'Disponível em',
  language: 'Idioma',
  snippet: 'Trecho',
};
type Words = typeof pt;

const es: Words = {
  siteTitle: 'Transparencia',
  intro: 'Aquí encuentra leyes, decretos, ordenanzas, edictos, contratos y actas públicas del municipio. No hace falta registrarse.',
  skip: 'Saltar al contenido',
  searchHeading: 'Buscar documentos',
  subject: 'Tema (palabras)',
  subjectHint: 'Por ejemplo: alumbrado público',
  number: 'Número',
  numberHint: 'Por ejemplo: 123/1987',
  year: 'Año',
  type: 'Tipo',
  anyType: 'Todos los tipos',
  search: 'Buscar',
  newestHeading: 'Publicados recientemente',
  whatIs: (name) => `¿Qué es ${name}?`,
  seeAll: (name) => `Ver todos: ${name}`,
  results: (n, more) => (n === 0 ? 'No se encontró ningún documento.' : `${more ? 'Más de ' : ''}${n} ${n === 1 ? 'resultado' : 'resultados'}.`),
  noResultsHelp: 'Pruebe con menos palabras, otra forma de escribirlas, o quite el filtro de año o tipo.',
  page: 'Página',
  previous: 'Anterior',
  next: 'Siguiente',
  results_heading: 'Resultados',
  openPdf: (pages) => `Abrir el documento (PDF, ${pages} ${pages === 1 ? 'página' : 'páginas'})`,
  downloadPdf: 'Descargar el PDF',
  pdfNote: 'El PDF es una copia con los datos personales tapados, según la ley de protección de datos.',
  cite: 'Cómo citar',
  address: 'Dirección permanente de este documento',
  date: 'Fecha',
  collection: 'Colección',
  pages: 'Páginas',
  notFound: 'Documento no encontrado',
  notFoundHelp: 'Esta dirección no lleva a ningún documento público. Revise la dirección o haga una búsqueda.',
  tooMany: 'Demasiadas consultas seguidas. Espere un minuto y vuelva a intentar.',
  badSearch: 'La búsqueda es demasiado larga o tiene un valor no válido. Use menos palabras.',
  back: 'Volver al inicio',
  openData: 'Datos abiertos: lista de documentos públicos en JSON y CSV',
  accessedOn: 'Consultado el',
  availableAt: 'Disponible en',
  language: 'Idioma',
  snippet: 'Fragmento',
};

const en: Words = {
  siteTitle: 'Transparency',
  intro: 'Here you find the public laws, decrees, ordinances, notices, contracts and minutes of the municipality. No sign-up needed.',
  skip: 'Skip to content',
  searchHeading: 'Search documents',
  subject: 'Subject (words)',
  subjectHint: 'For example: street lighting',
  number: 'Number',
  numberHint: 'For example: 123/1987',
  year: 'Year',
  type: 'Type',
  anyType: 'All types',
  search: 'Search',
  newestHeading: 'Recently published',
  whatIs: (name) => `What is ${name}?`,
  seeAll: (name) => `See all: ${name}`,
  results: (n, more) => (n === 0 ? 'No document found.' : `${more ? 'More than ' : ''}${n} ${n === 1 ? 'result' : 'results'}.`),
  noResultsHelp: 'Try fewer words, another spelling, or remove the year or type filter.',
  page: 'Page',
  previous: 'Previous',
  next: 'Next',
  results_heading: 'Results',
  openPdf: (pages) => `Open the document (PDF, ${pages} ${pages === 1 ? 'page' : 'pages'})`,
  downloadPdf: 'Download the PDF',
  pdfNote: 'The PDF is a copy with personal data covered, as data-protection law requires.',
  cite: 'How to cite',
  address: 'Permanent address of this document',
  date: 'Date',
  collection: 'Collection',
  pages: 'Pages',
  notFound: 'Document not found',
  notFoundHelp: 'This address leads to no public document. Check the address or search.',
  tooMany: 'Too many requests in a row. Wait a minute and try again.',
  badSearch: 'The search is too long or has an invalid value. Use fewer words.',
  back: 'Back to the start',
  openData: 'Open data: the list of public documents as JSON and CSV',
  accessedOn: 'Accessed on',
  availableAt: 'Available at',
  language: 'Language',
  snippet: 'Excerpt',
};

export const WORDS: Record<Lang, Words> = { pt, es, en };

/** Each type's name (singular, with its article for "o que é…") and a one-sentence explanation. */
const TYPES: Record<string, Record<Lang, [name: string, article: string, explanation: string]>> = {
  lei: {
    pt: ['Leis', 'uma lei', 'Uma regra aprovada pela Câmara de Vereadores e assinada pelo prefeito. Vale para todos no município.'],
    es: ['Leyes', 'una ley', 'Una regla aprobada por el Concejo y promulgada por el intendente. Vale para todos en el municipio.'],
    en: ['Laws', 'a law', 'A rule passed by the town council and signed by the mayor. It applies to everyone in the town.'],
  },
  decreto: {
    pt: ['Decretos', 'um decreto', 'Uma ordem do prefeito. Explica como cumprir uma lei ou organiza a prefeitura.'],
    es: ['Decretos', 'un decreto', 'Una orden del intendente. Explica cómo cumplir una ley u organiza el municipio.'],
    en: ['Decrees', 'a decree', 'An order of the mayor. It says how a law is carried out, or organises the town hall.'],
  },
  portaria: {
    pt: ['Portarias', 'uma portaria', 'Uma ordem de um secretário ou do prefeito sobre um caso: nomear alguém, criar uma comissão.'],
    es: ['Resoluciones internas', 'una resolución interna', 'Una orden de un secretario o del intendente sobre un caso: nombrar a alguien, crear una comisión.'],
    en: ['Ordinances', 'an ordinance', 'An order of a secretary or the mayor on one matter: appointing someone, setting up a committee.'],
  },
  edital: {
    pt: ['Editais', 'um edital', 'Um aviso público: uma licitação, um concurso, uma convocação. Diz quem pode participar e como.'],
    es: ['Edictos', 'un edicto', 'Un aviso público: una licitación, un concurso, una convocatoria. Dice quién puede participar y cómo.'],
    en: ['Public notices', 'a public notice', 'A public announcement: a tender, a public exam, a call. It says who may take part and how.'],
  },
  contrato: {
    pt: ['Contratos', 'um contrato', 'Um acordo da prefeitura com uma empresa ou pessoa: o que será feito, por quanto e até quando.'],
    es: ['Contratos', 'un contrato', 'Un acuerdo del municipio con una empresa o persona: qué se hará, por cuánto y hasta cuándo.'],
    en: ['Contracts', 'a contract', 'An agreement of the town hall with a company or person: what will be done, for how much, until when.'],
  },
  ata: {
    pt: ['Atas', 'uma ata', 'O registro escrito de uma reunião ou sessão: quem estava, o que se discutiu e o que se decidiu.'],
    es: ['Actas', 'un acta', 'El registro escrito de una reunión o sesión: quién estaba, qué se discutió y qué se decidió.'],
    en: ['Minutes', 'minutes', 'The written record of a meeting or session: who was there, what was discussed and decided.'],
  },
  resolucao: {
    pt: ['Resoluções', 'uma resolução', 'Uma decisão de um conselho ou da Câmara sobre um assunto dela.'],
    es: ['Resoluciones', 'una resolución', 'Una decisión de un consejo o del Concejo sobre un asunto propio.'],
    en: ['Resolutions', 'a resolution', 'A decision of a council or of the town council on its own matters.'],
  },
  convenio: {
    pt: ['Convênios', 'um convênio', 'Um acordo entre a prefeitura e outro órgão público ou entidade para um trabalho em comum.'],
    es: ['Convenios', 'un convenio', 'Un acuerdo entre el municipio y otro organismo o entidad para un trabajo en común.'],
    en: ['Agreements', 'an agreement', 'An agreement between the town hall and another public body or organisation for joint work.'],
  },
  ordenanza: {
    pt: ['Ordenanças', 'uma ordenança', 'Uma norma municipal aprovada pelo Conselho (nos municípios de língua espanhola).'],
    es: ['Ordenanzas', 'una ordenanza', 'Una norma del municipio aprobada por el Concejo Deliberante. Vale para todos.'],
    en: ['Ordinances (by-laws)', 'a by-law', 'A municipal rule passed by the council (in Spanish-speaking towns).'],
  },
};

/** The type's plural name, its "a/an" form and its explanation (null for a type without one). */
export function typeWords(type: string, lang: Lang): { name: string; article: string; explanation: string | null } {
  const known = TYPES[type]?.[lang];
  if (known) return { name: known[0], article: known[1], explanation: known[2] };
  const name = type.charAt(0).toUpperCase() + type.slice(1);
  return { name, article: name, explanation: null };
}

/** `?lang=` first, then the browser's languages, then Portuguese. */
export function pickLang(query: unknown, acceptLanguage: string | undefined): Lang {
  if (typeof query === 'string' && (LANGS as readonly string[]).includes(query)) return query as Lang;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((LANGS as readonly string[]).includes(code)) return code as Lang;
  }
  return 'pt';
}
