/**
 * The stripe-profile share (plugin/ops/vary/stripe-share.ts) that eval-vary prints for stripe textures: the
 * share of the exemplar's luma variance in its stripe profile, about the least NCC vs the exemplar a variant
 * keeping the stripes in place can have (held-out set 10, seen: ribbed_steel 0.78 against vary's 0.83,
 * asianRoof_b 0.98 against 0.99). On the old code there is no such figure: no module, no table line.
 */
import { maxCyclicNcc } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { formatVaryTable, type TextureEval, type VaryEvalReport } from '../plugin/ops/vary/evaluate';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { stripeProfileShare } from '../plugin/ops/vary/stripe-share';
import type { RawImage } from '../plugin/types';
import { stripedPanel } from './helpers/striped-panel';

/** Grey 256²: columns alternating 64 px at 128 ± 40, plus uniform noise of half-width `noise`. */
function bars(noise: number): RawImage {
  const data = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) data[y * 256 + x] = Math.round(128 + (x % 128 < 64 ? 40 : -40) + noise * (2 * hashRandom(3, x, y, 0) - 1));
  return { data, width: 256, height: 256, channels: 1 };
}

describe('stripe-profile share', () => {
  it('is the profile variance over the total: 40² / (40² + noise variance)', () => {
    for (const noise of [0, 40, 80]) {
      const expected = 1600 / (1600 + (noise * noise) / 3);
      expect(stripeProfileShare(bars(noise), { a: [128, 0] })).toBeCloseTo(expected, 1);
    }
    // across the wrong direction there is no profile
    expect(stripeProfileShare(bars(40), { a: [0, 128] })).toBeLessThan(0.01);
  });

  it.each([113, 128])('bounds vary\'s NCC on straight stripes %i px apart from below', (spacing) => {
    const exemplar = stripedPanel(spacing);
    const lattice = detectLattice(exemplar)!;
    expect(lattice.stripes).toBe(true);
    const share = stripeProfileShare(exemplar, lattice);
    // the panel is mostly its stripes: no stripe-keeping variant can meet the 0.6 novelty target
    expect(share).toBeGreaterThan(0.6);
    const { variants } = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1 });
    for (const v of variants) expect(maxCyclicNcc(v.maps[0].image, exemplar).max).toBeGreaterThanOrEqual(share - 0.03);
  });

  it('is printed under a stripe texture in the eval-vary table, and nowhere else', () => {
    const scores = { colour: 0, spectrum: 0, gram: 0, ncc: 0.83, copied: 0, nccPair: 0.85, copiedPair: 0, wrap: 0.2, seconds: 1 };
    const texture = (file: string, stripeShare?: number): TextureEval => ({
      file, maps: ['color'], width: 256, height: 256, floor: scores, ceiling: scores,
      methods: { vary: scores, shuffled: scores, histblend: scores }, stripeShare,
    });
    const report: VaryEvalReport = {
      dir: 'set', count: 2, variation: 0.5, seed: 1, copySize: 32,
      textures: [texture('ribs.png', 0.786), texture('rock.png')],
      mean: { floor: scores, ceiling: scores, methods: { vary: scores, shuffled: scores, histblend: scores } },
    };
    const lines = formatVaryTable(report).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  stripes: 0.786 '));
    expect(at).toBeGreaterThan(lines.indexOf('ribs.png 256x256 [color]'));
    expect(at).toBeLessThan(lines.indexOf('rock.png 256x256 [color]'));
    expect(lines.filter((l) => l.startsWith('  stripes:')).length).toBe(1);
  });
});
