/** `eval-style` (plugin/ops/style/evaluate-style.ts): the wrap ratio is reported absolute and relative to the input's. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { evaluateStyleFolder, TILING_RATIO } from '../plugin/ops/style/evaluate-style';
import { StyleHtmlReport } from '../plugin/ops/style/style-report';
import { coolReference, tilingTexture } from './helpers/style-images';

test('wrapVsInput is the output wrap ratio over the input\'s where that is above 1; the absolute ratio and its count stay', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'style-eval-'));
  try {
    for (const seed of [3, 4]) {
      const t = tilingTexture(64, 64, seed);
      await sharp(Buffer.from(t.data), { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(path.join(dir, `t${seed}.png`));
    }
    const reference = await coolReference(64);
    const html = new StyleHtmlReport(reference);
    const report = await evaluateStyleFolder(dir, { reference, referenceName: 'cool', methods: ['stats', 'stats-bands'], strength: 1, seed: 0, onTexture: (t, images) => html.add(t, images) });
    // The HTML report's summary table: one header cell per column of each method's row.
    const table = /<table><tr>(.*?)<\/tr>(.*?)<\/table>/s.exec(await html.render(report))!;
    const heads = table[1].match(/<th>/g)!.length;
    expect(table[1]).toContain('<th>wrap (&gt; 1.2)</th><th>wrap / input (&gt; 1.2)</th><th>wrap rank</th>');
    for (const row of table[2].split('</tr>').filter((r) => r.includes('<td>'))) expect(row.match(/<td>/g)!.length).toBe(heads);
    for (const t of report.textures) {
      const s = t.methods.stats!;
      expect(s.wrapVsInput).toBeCloseTo(s.wrapRatio / Math.max(1, t.input.wrapRatio), 10);
    }
    const tiling = report.textures.filter((t) => t.input.tiles);
    expect(report.summary.stats!.wrapOver).toEqual({
      absolute: tiling.filter((t) => t.methods.stats!.wrapRatio > TILING_RATIO).length,
      vsInput: tiling.filter((t) => t.methods.stats!.wrapVsInput > TILING_RATIO).length,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
