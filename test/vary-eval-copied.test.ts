/**
 * eval-vary's novelty column "copied" (share of texels in verbatim copied windows ≥ copySize²) must not be
 * hidden by vary's colour grading (plugin/ops/vary/colour-match.ts): the grading changes the values of
 * copied texels, so exact-match detection on the graded variants undercounts the copies (vary6 measured
 * 0.004 vs 0.003 on held-out set 5). The eval counts vary's copies on its layouts as plain remaps, which is
 * what the same layouts without grading and filtering (`colourMatch: false, spectrumMatch: false`) give.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copiedShare } from '../plugin/metrics/texture-stats';
import { varyTexture } from '../plugin/ops/vary';
import { evaluateVary } from '../plugin/ops/vary/evaluate';
import { readMapFile } from '../plugin/ops/vary/map-files';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'vary');

test("eval-vary counts vary's copied regions on its layouts, not on the colour-graded values", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-eval-copied-'));
  try {
    for (const f of ['metal04.png', 'carpet_drty_blood2.jpg']) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    const copySize = 8;
    const report = await evaluateVary(dir, { count: 2, seed: 1, variation: 0.5, copySize });
    for (const t of report.textures) {
      const maps = [await readMapFile(path.join(dir, t.file), 'baseColor', 'color')];
      const ex = maps[0].image;
      const plain = varyTexture(maps, { count: 2, seed: 1, variation: 0.5, tile: true, colourMatch: false, spectrumMatch: false }).variants.map((v) => v.maps[0].image);
      const expected = plain.reduce((s, v) => s + copiedShare(v, ex, { size: copySize }), 0) / plain.length;
      expect(expected).toBeGreaterThan(0.05); // the layouts do copy regions of this size: the check means something
      expect(t.methods.vary.copied).toBeCloseTo(expected, 6);
      expect(t.methods.vary.copiedPair).toBeCloseTo(copiedShare(plain[0], plain[1], { size: copySize }), 6);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000); // eval-vary reads tiling images at every texel and scale (evalGram): about 2x its old CPU
