/**
 * vary's run-time check (self-check.ts) must judge a tiling exemplar's variants the way eval-vary does, at no
 * particular origin. With the one-origin (Hann-windowed) spectrum, a panel whose frame lies on the exemplar's
 * edge read unfaithful for any variant that moves the frame inside: on held-out set 8, once eval-vary and the
 * spectrum filter read tiling images shift-averaged, the check warned "not faithful" on 4 textures the eval
 * found faithful. Here a cyclic shift of a tiling frame panel — its own spectrum, its own colours — must not
 * be called unfaithful (one-origin spectrum: 0.342 and 0.278, mean 0.310, against 2x the halves' 0.112).
 */
import { selfCheck } from '../plugin/ops/vary/self-check';
import { cyclicShift } from './helpers/cyclic-shift';
import { framePanel } from './helpers/frame-panel';

test("a tiling panel's cyclic shifts are not called unfaithful by vary's check", () => {
  const ex = framePanel();
  const variants = [cyclicShift(ex, 37, 91), cyclicShift(ex, 64, 64)];
  const check = selfCheck(ex, variants, { tiling: true });
  expect(check.spectrum).toBeLessThanOrEqual(2 * check.spectrumFloor);
  expect(check.misses).not.toContain('faithful');
  // A shifted copy is still a copy: the novelty target sees it.
  expect(check.misses).toContain('novel');
});
