#!/usr/bin/env node
/**
 * Which faithful misses of `remaster eval-vary` no variant can avoid: the exemplar's OWN content, only
 * moved, scored with the eval's fidelity distances against the same floor (left vs right half).
 * - `rolled`: the exemplar cyclically shifted by half its size (same texels, same histogram; for a tiling
 *   exemplar no seam either). A variant must move content (the novelty target), so when even this is over
 *   2x the floor, the faithful target measures WHERE the content sits under the spectrum's Hann window
 *   (an object in the middle of the crop: a fan, a framed grate, a designed panel), not what it is.
 *   On a non-tiling exemplar the roll also brings its border seam inside, which adds to the distance
 *   (set 3's organic non-tiling crops, rolled, score 0.5-1.9x the floor: the seam alone is no 2x miss).
 * - `quarter`: the same for a shift by a quarter of the size along x.
 * Needs the build (`npm run build`):
 *   node test/vary-data/moved-exemplar.js vary-heldout3
 */
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'plugin');
const { loadSets } = require(path.join(dist, 'ops', 'vary', 'evaluate'));
const { tiles } = require(path.join(dist, 'ops', 'vary', 'vary-texture'));
const ts = require(path.join(dist, 'metrics', 'texture-stats'));

function roll(image, dx, dy) {
  const { width, height, channels, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (((y + dy) % height) * width + ((x + dx) % width)) * channels;
      out.set(data.subarray(s, s + channels), (y * width + x) * channels);
    }
  }
  return { ...image, data: out };
}

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: moved-exemplar.js DIR');
  const f = (v) => v.toFixed(3);
  process.stdout.write('texture                                      tiles  floor  rolled  x floor  quarter  x floor   (spectrum distance)\n');
  let over = 0;
  const sets = await loadSets(dir);
  for (const { file, maps } of sets) {
    const ex = maps[0].image;
    const half = Math.floor(ex.width / 2);
    const floor = ts.powerSpectrumDistance(ts.cropImage(ex, 0, 0, half, ex.height), ts.cropImage(ex, half, 0, half, ex.height));
    const rolled = ts.powerSpectrumDistance(roll(ex, half, Math.floor(ex.height / 2)), ex);
    const quarter = ts.powerSpectrumDistance(roll(ex, Math.floor(ex.width / 4), 0), ex);
    if (rolled > 2 * floor) over++;
    process.stdout.write(`${file.padEnd(44)} ${tiles(ex) ? 'yes' : 'no '}   ${f(floor)}  ${f(rolled)}  ${(rolled / floor).toFixed(2).padStart(6)}   ${f(quarter)}   ${(quarter / floor).toFixed(2).padStart(6)}${rolled > 2 * floor ? '   moved exemplar misses the spectrum target' : ''}\n`);
  }
  process.stdout.write(`${over} of ${sets.length}: the exemplar's own content, moved, is over 2x the spectrum floor\n`);
}
main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
