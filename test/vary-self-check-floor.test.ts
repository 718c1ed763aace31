/**
 * vary's run-time check reads a two-tile checkerboard's fidelity floor as eval-vary does (floor-crops.ts): the two
 * tiles of one fundamental cell, not the exemplar's halves, which hold the same texels. With the halves, the check
 * warned "not faithful" on every variant of such a ground (held-out sets 9 and 10: 5 and 1 textures), where the
 * eval's verdict was faithful: a false warning the user cannot act on.
 */
import { fidelityReference } from '../plugin/ops/vary/evaluate';
import { varyTexture } from '../plugin/ops/vary';
import { checkerboardGround } from './helpers/checkerboard-ground';

describe('vary self-check on an exact repeat', () => {
  it("a two-tile checkerboard's floor is its two tiles, as in eval-vary, and its variants are not called unfaithful", () => {
    const ex = checkerboardGround();
    const result = varyTexture([{ slot: 'color', kind: 'color', image: ex }], { count: 2, seed: 1 });
    const check = result.check!;
    expect(check.colourFloor).toBeCloseTo(fidelityReference(ex).floor.colour, 12);
    expect(check.colourFloor).toBeGreaterThan(1e-3);
    expect(check.misses).not.toContain('faithful');
  });
});
