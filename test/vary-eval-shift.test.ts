/**
 * eval-vary's fidelity must not call the exemplar itself unfaithful: a cyclic shift of a TILING exemplar
 * is the same texture (same texels, no seam), so its distances must stay within the faithful limit (2x
 * the exemplar's half-to-half floor). Held-out set 8 had two panels (`panel_gk_008`, `wall_plate_05`)
 * whose own shifts scored a Gram distance up to 5x their limit: the panel's frame groove straddles the
 * wrap edge, where 'valid' windows never see it whole, and the 2x pyramid reads one phase only.
 */
import { fidelityReference, fidelityTo } from '../plugin/ops/vary/evaluate';
import { tiles } from '../plugin/ops/vary/vary-texture';
import { seededRandom } from '../plugin/metrics/texture-stats';
import type { RawImage } from '../plugin/types';
import { cyclicShift } from './helpers/cyclic-shift';
import { framePanel } from './helpers/frame-panel';

/** 8-px stripes over noise: one phase of the 2x box pyramid keeps them at full contrast at scale 2, another averages them out. */
function stripes(size = 256): RawImage {
  const random = seededRandom(9);
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = (x % 8 < 4 ? 150 : 90) + (random() - 0.5) * 40;
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { data, width: size, height: size, channels: 3 };
}


describe("eval-vary fidelity of a tiling exemplar's own cyclic shifts", () => {
  const ex = framePanel();
  const ref = fidelityReference(ex);

  const scored = new Map<string, ReturnType<typeof fidelityTo>>();
  const scores = (dx: number, dy: number) => {
    const key = `${dx},${dy}`;
    if (!scored.has(key)) scored.set(key, fidelityTo(cyclicShift(ex, dx, dy), ref));
    return scored.get(key)!;
  };
  const shifts = [[32, 64], [37, 91], [8, 8], [1, 0]];

  it.each(shifts.flatMap(([dx, dy]) => (['colour', 'spectrum', 'gram'] as const).map((k) => [dx, dy, k] as const)))(
    'shift (%i, %i) is faithful: %s distance within 2x the floor',
    (dx, dy, k) => {
      expect(scores(dx, dy)[k]).toBeLessThanOrEqual(2 * ref.floor[k] + 1e-9);
    },
  );

  it('the exemplar tiles (the case: vary itself treats it as tiling)', () => {
    expect(tiles(ex)).toBe(true);
  });

  it('the floor is a real one (the two halves differ)', () => {
    expect(ref.floor.gram).toBeGreaterThan(0.001);
  });

  it('shifts of fine stripes by 1 and 2 texels are faithful (the pyramid phase does not matter)', () => {
    const fine = stripes();
    const fineRef = fidelityReference(fine);
    expect(fineRef.floor.gram).toBeGreaterThan(0.001);
    for (const dx of [1, 2]) expect(fidelityTo(cyclicShift(fine, dx, 0), fineRef).gram).toBeLessThanOrEqual(2 * fineRef.floor.gram);
  });
});
