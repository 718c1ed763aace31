/**
 * The page `remaster eval-style --report out.html` writes: the per-method summary, then per texture
 * the input, each method's output and the reference side by side (PNG data URIs: one self-contained
 * file), with the scores under each image.
 */

import sharp from 'sharp';
import type { RawImage } from '../../types';
import type { StyleEvalReport, StyleScores, TextureStyleEval } from './evaluate-style';
import type { StyleMethod } from './style-texture';

/** Longest side of the thumbnails, in texels. */
const THUMB = 256;

export class StyleHtmlReport {
  private sections: string[] = [];

  constructor(private readonly reference: RawImage) {}

  async add(result: TextureStyleEval, images: { input: RawImage; outputs: Partial<Record<StyleMethod, RawImage>> }): Promise<void> {
    const cells = [
      figure(await thumb(images.input), 'input', `colour ${result.input.colour.toFixed(3)}, Gram ${result.input.gram.toFixed(3)}<br>wrap ${result.input.wrapRatio.toFixed(2)} (rank ${result.input.wrapRank.toFixed(2)})${result.input.tiles ? ' (tiles)' : ''}`),
      ...(await Promise.all(Object.entries(images.outputs).map(async ([m, img]) => figure(await thumb(img as RawImage), m, caption(result.methods[m as StyleMethod] as StyleScores))))),
    ];
    this.sections.push(`<section><h2>${escape(result.file)} <small>${result.width}x${result.height}</small></h2>${cells.join('')}</section>`);
  }

  async render(report: StyleEvalReport): Promise<string> {
    const rows = report.methods.map((m) => {
      const s = report.summary[m];
      if (!s) return '';
      const x = s.mean;
      return `<tr><td>${m}</td><td>${pct(x.colourDrop)}</td><td>${pct(x.gramDrop)}</td><td>${x.ssimQuarter.toFixed(3)}</td><td>${x.structureQuarter.toFixed(3)}</td><td>${x.edgeCorrelation.toFixed(3)}</td>` +
        `<td>${x.wrapRatio.toFixed(2)} (${s.wrapOver.absolute})</td><td>${x.wrapVsInput.toFixed(2)} (${s.wrapOver.vsInput})</td><td>${x.wrapRank.toFixed(2)}</td><td>${s.spread.colour.toFixed(3)} / ${s.spread.gram.toFixed(3)}</td><td>${s.pairwiseColour.toFixed(3)}</td><td>${x.seconds.toFixed(2)}</td><td>${s.passing}/${report.textures.length}</td></tr>`;
    }).join('');
    const ref = figure(await thumb(this.reference), 'reference', escape(report.reference));
    return `<!doctype html><html><head><meta charset="utf-8"><title>remaster eval-style: ${escape(report.reference)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}
td:first-child{text-align:left}figure{display:inline-block;margin:0 8px 8px 0;text-align:center;vertical-align:top;font-size:12px}small{font-weight:normal;color:#666}</style></head><body>
<h1>remaster eval-style</h1>
<p>Textures in <code>${escape(report.dir)}</code> styled after <code>${escape(report.reference)}</code> at strength ${report.strength}, seed ${report.seed};
seamless when the input tiles (wrap ratio ≤ 1.2). Drops are 1 − after/before of the distance to the reference (target ≥ 50%);
SSIM¼ is luma SSIM at 1/4 resolution vs the input (target ≥ 0.7), struct¼ its structure term alone (blind to brightness/contrast changes); wrap is the output's wrap-edge / interior gradient energy (target ≤ 1.2 for tiling inputs), wrap rank where the wrap edge ranks among all column/row boundaries by that energy (a seam ranks ≈ 1);
spread is the coefficient of variation of the outputs' colour / Gram distances to the reference; pairwise is the mean colour distance between outputs
(inputs: ${report.inputSet.pairwiseColour.toFixed(3)}, input spread ${report.inputSet.spread.colour.toFixed(3)} / ${report.inputSet.spread.gram.toFixed(3)}).</p>
${ref}
<table><tr><th>method</th><th>colour drop</th><th>Gram drop</th><th>SSIM¼</th><th>struct¼</th><th>edge corr</th><th>wrap (&gt; 1.2)</th><th>wrap / input (&gt; 1.2)</th><th>wrap rank</th><th>spread</th><th>pairwise</th><th>s / texture</th><th>passing</th></tr>${rows}</table>
${this.sections.join('\n')}
</body></html>
`;
  }
}

function caption(s: StyleScores): string {
  return `colour ${s.colour.toFixed(3)} (−${pct(s.colourDrop)}), Gram ${s.gram.toFixed(3)} (−${pct(s.gramDrop)})<br>SSIM¼ ${s.ssimQuarter.toFixed(3)} (structure ${s.structureQuarter.toFixed(3)}), edges ${s.edgeCorrelation.toFixed(3)}, wrap ${s.wrapRatio.toFixed(2)} (${s.wrapVsInput.toFixed(2)} of the input's, rank ${s.wrapRank.toFixed(2)}), ${s.seconds.toFixed(1)} s`;
}

function figure(uri: string, title: string, text: string): string {
  return `<figure><img src="${uri}" alt="${escape(title)}"><figcaption><b>${escape(title)}</b><br>${text}</figcaption></figure>`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(0)}%`;
}

async function thumb(image: RawImage): Promise<string> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(THUMB, THUMB, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
