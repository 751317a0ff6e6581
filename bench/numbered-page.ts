/** A small scanned-looking page whose text carries `n`: every file a different document, quick to OCR. */
import sharp from 'sharp';

export async function numberedPage(n: number): Promise<Buffer> {
  const id = String(n).padStart(4, '0');
  const lines = ['PREFEITURA MUNICIPAL DE SÃO JOÃO DO IPÊ', `PROTOCOLO Nº ${id}/1987`, `Documento de teste número ${id} do arquivo municipal,`, 'recebido pela pasta de entrada e lido uma única vez.'];
  const text = lines.map((line, i) => `<text x="120" y="${150 + i * 110}" font-family="DejaVu Serif" font-size="46">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="700"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).greyscale().withMetadata({ density: 200 }).png().toBuffer();
}
