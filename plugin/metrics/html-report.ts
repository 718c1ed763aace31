/**
 * The page `remaster eval --report out.html` writes: the score table and, per image, the same
 * detailed crop from the original, bicubic, Lanczos and the model side by side (PNG data URIs, so
 * the page is one self-contained file), shown enlarged with square texels.
 */

import sharp from 'sharp';
import { crop } from '../engine/wrap';
import type { RawImage } from '../types';
import type { EvalImages, EvalReport, ImageEval, Method } from './evaluate';
import { METHODS } from './evaluate';
import type { QualityScores } from './index';

/** Crop edge in high-resolution texels. */
const CROP = 128;

const LABEL: Record<Method, string> = { bicubic: 'bicubic', lanczos: 'Lanczos-3', model: 'model' };

/** Collects one section per image as the evaluation runs, then renders the page. */
export class HtmlReport {
  private sections: string[] = [];

  async add(result: ImageEval, images: EvalImages): Promise<void> {
    const { x, y, size } = detailWindow(images.original);
    const cells = [{ title: 'original', image: images.original, scores: undefined as QualityScores | undefined }].concat(
      METHODS.map((m) => ({ title: LABEL[m], image: images.results[m], scores: result.scores[m] })),
    );
    const figures = await Promise.all(
      cells.map(async (cell) => {
        const uri = await pngDataUri(crop(cell.image, x, y, size, size));
        const caption = cell.scores ? `${cell.title}<br>${fmt(cell.scores)}` : `${cell.title}<br>&nbsp;`;
        return `<figure><img src="${uri}" width="${size * 2}" height="${size * 2}" alt="${cell.title}"><figcaption>${caption}</figcaption></figure>`;
      }),
    );
    this.sections.push(`<section><h2>${escape(result.file)} <small>${result.width}x${result.height}, crop at (${x}, ${y})</small></h2>${figures.join('')}</section>`);
  }

  render(report: EvalReport): string {
    const rows = report.images
      .map((i) => `<tr><td>${escape(i.file)}</td>${METHODS.map((m) => scoreCells(i.scores[m])).join('')}</tr>`)
      .join('');
    const mean = `<tr class="mean"><td>mean</td>${METHODS.map((m) => scoreCells(report.mean[m])).join('')}</tr>`;
    const head = METHODS.map((m) => `<th colspan="3">${LABEL[m]}</th>`).join('');
    const sub = METHODS.map(() => '<th>PSNR</th><th>SSIM</th><th>HFEN</th>').join('');
    return `<!doctype html><html><head><meta charset="utf-8"><title>remaster eval x${report.scale}: ${escape(report.engine)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}
td:first-child{text-align:left}.mean{font-weight:bold}figure{display:inline-block;margin:0 8px 8px 0;text-align:center}
img{image-rendering:pixelated}small{font-weight:normal;color:#666}</style></head><body>
<h1>remaster eval: x${report.scale} with ${escape(report.engine)}</h1>
<p>Low-resolution inputs are bicubic downscales of the originals in <code>${escape(report.dir)}</code>. PSNR in dB over RGB,
SSIM and HFEN over BT.601 luma, ${report.border}-texel border ignored${report.skippedFlat.length ? `, ${report.skippedFlat.length} flat image(s) skipped` : ''}. Higher PSNR/SSIM and lower HFEN are better.
Crops are the most detailed ${CROP}x${CROP} window of each original, shown at 2x.</p>
<table><tr><th></th>${head}</tr><tr><th>image</th>${sub}</tr>${rows}${mean}</table>
${this.sections.join('\n')}
</body></html>
`;
  }
}

function scoreCells(s: QualityScores): string {
  return `<td>${s.psnr.toFixed(2)}</td><td>${s.ssim.toFixed(4)}</td><td>${s.hfen.toFixed(4)}</td>`;
}

function fmt(s: QualityScores): string {
  return `PSNR ${s.psnr.toFixed(2)} dB, SSIM ${s.ssim.toFixed(3)}, HFEN ${s.hfen.toFixed(3)}`;
}

/** The window (on a 16-texel grid) with the most luma gradient: where methods differ visibly. */
function detailWindow(image: RawImage): { x: number; y: number; size: number } {
  const size = Math.min(CROP, image.width, image.height);
  const ch = image.channels;
  const lum = (x: number, y: number) => image.data[(y * image.width + x) * ch] + (ch >= 3 ? image.data[(y * image.width + x) * ch + 1] : 0);
  let best = { x: 0, y: 0, energy: -1 };
  for (let y0 = 0; y0 + size <= image.height; y0 += 16) {
    for (let x0 = 0; x0 + size <= image.width; x0 += 16) {
      let energy = 0;
      for (let y = y0; y < y0 + size - 1; y += 2) {
        for (let x = x0; x < x0 + size - 1; x += 2) energy += Math.abs(lum(x + 1, y) - lum(x, y)) + Math.abs(lum(x, y + 1) - lum(x, y));
      }
      if (energy > best.energy) best = { x: x0, y: y0, energy };
    }
  }
  return { x: best.x, y: best.y, size };
}

async function pngDataUri(image: RawImage): Promise<string> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
