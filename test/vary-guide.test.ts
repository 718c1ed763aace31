/**
 * The large-scale layout of a variant (plugin/ops/vary/low-frequency-guide.ts): a carpet with a large
 * blood stain (a real game texture, fixtures/vary) keeps its large-scale variation in its variants — the
 * power spectrum stays close to the exemplar's — at new places (not a copy), where independent coarse
 * blocks spread the stain into small blotches; the guide field itself tiles, is reproducible by seed
 * and has the exemplar's statistics.
 */
import path from 'node:path';
import { maxCyclicNcc, powerSpectrumDistance, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { varyTexture, type VaryMap } from '../plugin/ops/vary';
import { buildExemplar } from '../plugin/ops/vary/exemplar';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { lowFrequencyGuide } from '../plugin/ops/vary/low-frequency-guide';
import type { RawImage } from '../plugin/types';
import { decode, FIXTURES } from './helpers/project';

describe('large-scale layout (low-frequency guide)', () => {
  let image: RawImage;
  let set: VaryMap[];
  beforeAll(async () => {
    image = await decode(path.join(FIXTURES, 'vary', 'carpet_drty_blood2.jpg'));
    set = [{ slot: 'color', kind: 'color', image }];
  });
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

  it('keeps more of a large stain\'s spectrum than independent coarse blocks, without copying it', () => {
    const guided = varyTexture(set, { count: 6, seed: 1, tile: true });
    const random = varyTexture(set, { count: 6, seed: 1, tile: true, layout: 'random' });
    expect(guided.lattice).toBeUndefined();
    const spectrum = (r: typeof guided) => r.variants.map((v) => powerSpectrumDistance(v.maps[0].image, image));
    // Measured with vary3's white-noise guide (6 variants each): guided 0.15-0.50, mean 0.33; random 0.18-0.62, mean 0.44 (ratio 0.75; the
    // two halves of the exemplar: 0.22). Per variant the spectrum of so few large shapes is noisy, hence the mean.
    expect(mean(spectrum(guided))).toBeLessThan(0.85 * mean(spectrum(random)));
    for (const v of guided.variants) {
      expect(maxCyclicNcc(v.maps[0].image, image).max).toBeLessThan(0.6);
      expect(wrapEdgeRatio(v.maps[0].image)).toBeLessThanOrEqual(1.2);
    }
    expect(maxCyclicNcc(guided.variants[0].maps[0].image, guided.variants[1].maps[0].image).max).toBeLessThan(0.6);
  });

  it('is the same for a seed, tiles, and has the exemplar\'s coarse mean and variance', () => {
    const ex = buildExemplar(set, 4, true);
    const C = ex.channels;
    const a = lowFrequencyGuide(ex, 4, 16, 16, 7);
    const b = lowFrequencyGuide(ex, 4, 16, 16, 7);
    const c = lowFrequencyGuide(ex, 4, 16, 16, 8);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer))).toBe(false);
    // Mean and variance of channel 0 against the exemplar's level-4 stack on the same 16-texel grid.
    const grid: number[] = [];
    for (let y = 0; y < ex.height; y += 16) for (let x = 0; x < ex.width; x += 16) grid.push(ex.stack[4][(y * ex.width + x) * C]);
    const field = Array.from({ length: 256 }, (_, i) => a.data[i * C]);
    const stats = (v: number[]) => { const m = v.reduce((s, x) => s + x, 0) / v.length; return [m, v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length]; };
    const [gm, gv] = stats(grid);
    const [fm, fv] = stats(field);
    expect(Math.abs(fm - gm)).toBeLessThan(0.5 * Math.sqrt(gv));
    expect(fv / gv).toBeGreaterThan(0.25);
    expect(fv / gv).toBeLessThan(4);
    // Cyclic: the steps across the wrap (column 31 → 0, all channels) are like those inside, on a 32² field.
    const g = lowFrequencyGuide(ex, 3, 32, 32, 7);
    const step = (x: number) => {
      let e = 0;
      for (let y = 0; y < 32; y++) for (let c = 0; c < C; c++) e += (g.data[(y * 32 + ((x + 1) % 32)) * C + c] - g.data[(y * 32 + x) * C + c]) ** 2;
      return e;
    };
    const inside = mean(Array.from({ length: 31 }, (_, x) => step(x)));
    expect(step(31)).toBeLessThan(2 * inside);
  });
});
