/**
 * The band share (plugin/ops/vary/stripe-share.ts `bandShare`) that eval-vary prints under a banded exemplar: the share
 * of its luma variance in the row (or column) means, about the least NCC vs the exemplar a variant keeping the bands
 * in place can have. Held-out set 11 (seen): TIREBLAK2, a flat blue cover between two bands of tyres, rows 0.853;
 * vary's default layout cut the bands into blobs (NCC 0.657, `!novel` all the same), `lockBands` kept them (0.99). On
 * the old code there is no such figure: no function, no table line.
 */
import { maxCyclicNcc } from '../plugin/metrics/texture-stats';
import { varyTexture } from '../plugin/ops/vary';
import { bandedAxis } from '../plugin/ops/vary/bands';
import { formatVaryTable, type TextureEval, type VaryEvalReport } from '../plugin/ops/vary/evaluate';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { bandShare } from '../plugin/ops/vary/stripe-share';
import type { RawImage } from '../plugin/types';

/** 128² RGB: a blue cover with a dark band over rows 48-79 (both flat ± `noise`, uniform per texel). */
function coverWithBand(noise: number): RawImage {
  const data = new Uint8Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      const base = y >= 48 && y < 80 ? [30, 30, 30] : [60, 130, 220];
      const n = noise * (2 * hashRandom(5, x, y, 0) - 1);
      for (let c = 0; c < 3; c++) data[(y * 128 + x) * 3 + c] = Math.round(base[c] + n);
    }
  }
  return { data, width: 128, height: 128, channels: 3 };
}

describe('band share', () => {
  it('is the row means\' share of the luma variance on a banded exemplar, and undefined on an unbanded one', () => {
    const exemplar = coverWithBand(20);
    expect(bandedAxis(exemplar)).toBe('rows');
    const bands = bandShare(exemplar)!;
    expect(bands.axis).toBe('rows');
    // luma of the two tones: 0.2126·R + 0.7152·G + 0.0722·B; a quarter of the rows dark: variance p(1 − p)·d²
    const d = 0.2126 * 30 + 0.7152 * 100 + 0.0722 * 190;
    const profile = 0.25 * 0.75 * d * d;
    expect(bands.share).toBeCloseTo(profile / (profile + (20 * 20) / 3), 1);
    // the same noise without the band: nothing banded, no figure
    const flat = coverWithBand(20);
    for (let i = 48 * 128 * 3; i < 80 * 128 * 3; i += 3) flat.data.set([60, 130, 220].map((v, c) => v + flat.data[i + c] - 30), i);
    expect(bandShare(flat)).toBeUndefined();
  });

  it('bounds the NCC of variants that keep the bands (lockBands) from below', () => {
    const exemplar = coverWithBand(20);
    const { share } = bandShare(exemplar)!;
    expect(share).toBeGreaterThan(0.6);
    const { variants } = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1, lockBands: true });
    for (const v of variants) expect(maxCyclicNcc(v.maps[0].image, exemplar).max).toBeGreaterThanOrEqual(share - 0.03);
  });

  it('is printed under a banded texture in the eval-vary table, and nowhere else', () => {
    const scores = { colour: 0, spectrum: 0, gram: 0, ncc: 0.66, copied: 0, nccPair: 0.75, copiedPair: 0, wrap: 0.5, seconds: 1 };
    const texture = (file: string, bands?: TextureEval['bands']): TextureEval => ({
      file, maps: ['color'], width: 256, height: 256, floor: scores, ceiling: scores,
      methods: { vary: scores, shuffled: scores, histblend: scores }, bands,
    });
    const report: VaryEvalReport = {
      dir: 'set', count: 2, variation: 0.5, seed: 1, copySize: 32,
      textures: [texture('cover.png', { axis: 'rows', share: 0.853 }), texture('rock.png')],
      mean: { floor: scores, ceiling: scores, methods: { vary: scores, shuffled: scores, histblend: scores } },
    };
    const lines = formatVaryTable(report).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  bands: 0.853 of the exemplar\'s luma variance is its row means'));
    expect(at).toBeGreaterThan(lines.indexOf('cover.png 256x256 [color]'));
    expect(at).toBeLessThan(lines.indexOf('rock.png 256x256 [color]'));
    expect(lines.filter((l) => l.startsWith('  bands:')).length).toBe(1);
  });
});
