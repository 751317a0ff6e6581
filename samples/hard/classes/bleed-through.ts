/**
 * bleed-through: thin paper typed on both sides; the back shows through mirrored, blurred by the
 * sheet and faint, behind and between the front lines. The back's text is noise, never in the ground
 * truth. Greyscale, 300 DPI. Heavy: a stronger, sharper show-through, with lines falling on the front's.
 */
import type { Rng } from '../../render/rng.js';
import { Canvas } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { layout, sheet } from '../layout.js';
import { blurCoverage } from '../marks.js';
import { inkCoverage } from '../typed-page.js';
import type { Face, HardPageOptions, LaidPage, PageText } from '../types.js';

/** The back of the sheet when the caller gives none: a plausible continuation of an administrative text. */
const DEFAULT_VERSO: PageText = [
  { text: 'fl. 2', align: 'right' },
  '',
  { text: 'e, após a publicação, seja o processo encaminhado ao Departamento de Administração para as providências de praxe, com a devida anotação no livro de registro de atos oficiais do Município, ficando arquivada uma via no Gabinete.', firstIndent: 4 },
  '',
  { text: 'Considerando ainda o parecer da Procuradoria, que opina pelo deferimento do pedido desde que observadas as exigências da legislação municipal vigente, em especial quanto aos prazos e às taxas devidas, determino que o interessado seja notificado por escrito.', firstIndent: 4 },
  '',
  { text: 'A Secretaria competente deverá, no prazo de trinta dias, apresentar relatório circunstanciado das medidas adotadas, bem como das despesas realizadas, para conhecimento da Câmara Municipal e do Tribunal de Contas do Estado.', firstIndent: 4 },
  '',
  { text: 'Cumpra-se, registre-se e arquive-se.', firstIndent: 4 },
];

const OTHER_FACE: Record<Face, Face> = { serif: 'typewriter', typewriter: 'serif', 'typewriter-serif': 'sans', sans: 'typewriter-serif' };

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const w = page.width;
  const h = page.height;
  const front = await inkCoverage(page, rng, { skewDeg: rng.range(-0.4, 0.4), blur: 0.8 });
  // The back: another text laid out on the same sheet, shifted down by part of a line, seen mirrored.
  const lead = (page.lines[1]?.y ?? 0) - (page.lines[0]?.y ?? 0) || page.lines[0]!.size * 1.5;
  const g = { width: w, height: h, dpi: page.dpi, margin: { ...page.margin, top: page.margin.top + lead * (heavy ? 0.15 : rng.range(0.35, 0.6)) } };
  const size = page.lines[0]!.size * rng.range(0.95, 1.08);
  const verso = layout(o.verso ?? DEFAULT_VERSO, OTHER_FACE[page.face], g, (size / page.dpi) * 72, (lead / size) * rng.range(0.95, 1.05));
  const back = blurCoverage(await inkCoverage(verso, rng, { mirror: true, skewDeg: rng.range(-0.6, 0.6), blur: 0.8 }), heavy ? 1.6 : 2.6);
  const paper = Canvas.paper(rng, w, h, { tone: [232, 228, 214], shade: 6, mottle: 2, fibres: 0.001, fibreDepth: 14 });
  paper.inkLevels = 16;
  paper.ink(back, [150, 140, 125], heavy ? 0.95 : 0.75);
  paper.ink(front, [30, 30, 34]);
  return { raster: paper.toRaster(1), ext: 'png' as const, dpi: 300 };
}

export const bleedThrough: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.6,
  render,
};
