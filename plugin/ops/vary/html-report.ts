/**
 * The page `remaster eval-vary --report out.html` writes: the score table, and per texture the
 * exemplar, each method's variants, and a 2x2 tiling of each variant (a seam shows as a cross),
 * as JPEG data URIs so the page is one self-contained file.
 */

import sharp from 'sharp';
import type { RawImage } from '../../types';
import { EVAL_METHODS, METHOD_LABEL, meetsTargets, type EvalMethod, type MethodScores, type TextureEval, type VaryEvalReport } from './evaluate';

/**
 * A JPEG data URI (quality 90: this page is for looking, and 16 textures x 14 images as PNG made a 50 MB
 * page), at most `maxSide` wide (the 2x2 tilings are shown at the exemplar's size).
 */
async function imageUri(image: RawImage, maxSide: number): Promise<string> {
  let s = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (image.width > maxSide) s = s.resize(maxSide, Math.round((image.height * maxSide) / image.width), { kernel: 'lanczos3' });
  const jpeg = await s.flatten({ background: '#808080' }).jpeg({ quality: 90 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** 2x2 copies of an image (to show whether it tiles). */
export function tile2x2(image: RawImage): RawImage {
  const { width, height, channels } = image;
  const out = new Uint8Array(width * height * 4 * channels);
  const row = width * channels;
  for (let y = 0; y < height * 2; y++) {
    const src = image.data.subarray((y % height) * row, (y % height) * row + row);
    out.set(src, y * row * 2);
    out.set(src, y * row * 2 + row);
  }
  return { data: out, width: width * 2, height: height * 2, channels };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const num = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(3));
const COLS: (keyof MethodScores)[] = ['colour', 'spectrum', 'gram', 'ncc', 'copied', 'nccPair', 'copiedPair', 'wrap'];

export class VaryHtmlReport {
  private sections: string[] = [];

  async add(result: TextureEval, exemplar: RawImage, variants: Record<EvalMethod, RawImage[]>): Promise<void> {
    const fig = async (title: string, image: RawImage, size: number) =>
      `<figure><img src="${await imageUri(image, size)}" width="${size}" alt="${esc(title)}"><figcaption>${esc(title)}</figcaption></figure>`;
    const size = Math.min(256, exemplar.width);
    const rows = [`<div>${await fig('exemplar', exemplar, size)}${await fig('exemplar 2x2', tile2x2(exemplar), size)}</div>`];
    for (const m of EVAL_METHODS) {
      const cells = [];
      for (let k = 0; k < variants[m].length; k++) {
        cells.push(await fig(`${METHOD_LABEL[m]} v${k + 1}`, variants[m][k], size));
        cells.push(await fig(`v${k + 1} 2x2`, tile2x2(variants[m][k]), size));
      }
      rows.push(`<div>${cells.join('')}</div>`);
    }
    this.sections.push(`<section><h2>${esc(result.file)} <small>${result.width}x${result.height}, maps: ${esc(result.maps.join(', '))}</small></h2>${rows.join('\n')}</section>`);
  }

  render(report: VaryEvalReport): string {
    const head = `<tr><th>texture</th><th>method</th>${COLS.map((c) => `<th>${c}</th>`).join('')}<th>misses</th></tr>`;
    const body = [...report.textures, { file: 'MEAN', floor: report.mean.floor, ceiling: report.mean.ceiling, methods: report.mean.methods } as TextureEval]
      .map((t) => {
        const rows = [
          `<tr class="ref"><td rowspan="5">${esc(t.file)}</td><td>floor (2 crops)</td>${['colour', 'spectrum', 'gram'].map((c) => `<td>${num((t.floor as never)[c])}</td>`).join('')}<td colspan="6"></td></tr>`,
          `<tr class="ref"><td>ceiling (other)</td>${['colour', 'spectrum', 'gram'].map((c) => `<td>${num((t.ceiling as never)[c])}</td>`).join('')}<td colspan="6"></td></tr>`,
        ];
        for (const m of EVAL_METHODS) {
          const misses = Object.entries(meetsTargets(t, t.methods[m])).filter(([, v]) => !v).map(([k]) => k).join(', ');
          rows.push(`<tr><td>${METHOD_LABEL[m]}</td>${COLS.map((c) => `<td>${num(t.methods[m][c])}</td>`).join('')}<td>${misses}</td></tr>`);
        }
        return rows.join('');
      })
      .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>remaster eval-vary</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}
td:first-child{text-align:left}.ref{color:#666}figure{display:inline-block;margin:0 8px 8px 0;text-align:center;font-size:12px}small{font-weight:normal;color:#666}</style></head><body>
<h1>remaster eval-vary</h1>
<p>Folder <code>${esc(report.dir)}</code>: ${report.textures.length} texture sets, ${report.count} variants per method at the exemplar's size (tiling), variation ${report.variation}, seed ${report.seed}.
Fidelity (lower is closer to the exemplar): colour sliced-Wasserstein, power-spectrum distance, random-filter Gram distance; floor = two halves of the exemplar, ceiling = another texture.
Novelty: max cyclic NCC vs the exemplar (≤ 0.6 wanted), share of texels in verbatim copied windows ≥ ${report.copySize}px. Diversity: the same between variants 1 and 2.
Tileability: wrap-edge / interior gradient energy (≤ 1.2 wanted). Targets: faithful = every fidelity ≤ 2x floor and below the ceiling.</p>
<table>${head}${body}</table>
${this.sections.join('\n')}
</body></html>
`;
  }
}
