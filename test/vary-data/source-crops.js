#!/usr/bin/env node
/**
 * How novel is another real piece of the same material? Issue 10 asks for variants at max cyclic NCC ≤ 0.6 vs
 * the exemplar. The held-out exemplars are centre crops of larger package images (make-heldout.js `centre`), so
 * the rest of each image is the material itself, laid out by its artist: every crop of the exemplar's size that
 * does not overlap the exemplar is a variant a demanding artist would accept by definition. This prints, per
 * texture of a held-out folder, how those real crops score on the eval's own novelty measure (max cyclic NCC of
 * the luma vs the exemplar, plugin/metrics/texture-stats), next to two figures that bound any variant that keeps
 * the exemplar's design: its own halves' NCC (vary's self-check floor, self-check.ts) and the share of its luma
 * variance in the row and column means (a variant keeping horizontal bands in place holds the row profile, so
 * its NCC at the aligning shift is about that share or more; stripe-share.ts's argument for one direction).
 *
 * Needs the build (`npm run build`) and the packages the folder was made from (their cache roots, the folder
 * that holds `<package>/usr/...`, as the manifest's `source` paths start with the package name):
 *   node test/vary-data/source-crops.js vary-heldout11 --root "$(dirname "$(../shared/tools/get-debian-textures.sh torcs-data)")"
 *   node test/vary-data/source-crops.js vary-heldout10 --root … [--only wickerA] [--stride 32]
 * Crops are taken on a grid of `--stride` texels (default 64) over the whole source image — cyclically where the
 * source tiles (vary's `tiles()`; sets 10 and 11 take only such sources) — keeping those that share no texel with
 * the exemplar's crop (found in the source by exact match), judged on the source's own exact period where it has
 * one (2x2 copies of a tile hold the exemplar again: the same piece, not another). An image only twice the exemplar's size (512² for a
 * 256² crop) then still has crops beside it; one no larger than the exemplar has none.
 */
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');
const dist = path.join(__dirname, '..', '..', 'dist', 'plugin');
const { readMapFile } = require(path.join(dist, 'ops', 'vary', 'map-files'));
const { stripeProfileShare } = require(path.join(dist, 'ops', 'vary', 'stripe-share'));
const { tiles } = require(path.join(dist, 'ops', 'vary', 'vary-texture'));
const ts = require(path.join(dist, 'metrics', 'texture-stats'));

function options(argv) {
  const out = { dir: undefined, root: undefined, only: undefined, stride: 64 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') out.root = argv[++i];
    else if (a === '--only') out.only = argv[++i];
    else if (a === '--stride') out.stride = Number(argv[++i]);
    else out.dir = a;
  }
  if (!out.dir || !out.root || !(out.stride >= 1)) {
    console.error('usage: source-crops.js <held-out folder> --root <package cache root> [--only <name part>] [--stride N]');
    process.exit(2);
  }
  return out;
}

/** The source image as RGB, raw. */
async function rgbImage(file) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) };
}

/** A crop, read cyclically (a tiling source: the crop may run over its edges, as the material does in use). */
function crop(image, left, top, width, height) {
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (((top + y) % image.height) * image.width + ((left + x) % image.width)) * channels;
      data.set(image.data.subarray(s, s + channels), (y * width + x) * channels);
    }
  }
  return { width, height, channels, data };
}

/** Whether [a, a + n) and [b, b + n) share a position on a circle of length `size` (or a line, when not cyclic). */
function overlap(a, b, n, size, cyclic) {
  if (!cyclic) return a < b + n && b < a + n;
  const d = (((a - b) % size) + size) % size;
  return d < n || size - d < n;
}

const same = (a, b) => a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

/** Where the exemplar was cut from the source: the centre first (the rules' crop), else a full search. */
function locate(source, ex) {
  const cx = (source.width - ex.width) >> 1;
  const cy = (source.height - ex.height) >> 1;
  if (same(crop(source, cx, cy, ex.width, ex.height), ex)) return [cx, cy];
  for (let y = 0; y + ex.height <= source.height; y++) {
    for (let x = 0; x + ex.width <= source.width; x++) if (same(crop(source, x, y, ex.width, ex.height), ex)) return [x, y];
  }
  return undefined;
}

/**
 * The source's own exact period along x and y (the smallest divisor of the side under which it is the same image
 * shifted; the side where none): a 1024² image made of 2x2 copies of one 512² tile holds the exemplar again at
 * +512, which is the same piece, not another.
 */
function exactPeriods(image) {
  const { width, height, channels, data } = image;
  const shifted = (dx, dy) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const a = (y * width + x) * channels;
        const b = (((y + dy) % height) * width + ((x + dx) % width)) * channels;
        for (let c = 0; c < channels; c++) if (data[a + c] !== data[b + c]) return false;
      }
    }
    return true;
  };
  const period = (side, test) => {
    for (let d = 1; d < side; d++) if (side % d === 0 && test(d)) return d;
    return side;
  };
  return [period(width, (d) => shifted(d, 0)), period(height, (d) => shifted(0, d))];
}

/** NCC from which a crop counts as a repeat of the exemplar in its own source. */
const REPEAT_NCC = 0.99;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  const opt = options(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(path.join(opt.dir, 'manifest.json'), 'utf8'));
  console.log('texture                                  halves  rows  cols | real crops: n   min  median  max  share <= 0.6');
  for (const item of manifest.items) {
    if (opt.only && !item.texture.includes(opt.only)) continue;
    const ex = (await readMapFile(path.join(opt.dir, item.texture), 'color', 'color')).image;
    const exRgb = ex.channels === 3 ? ex : crop({ ...ex, channels: ex.channels }, 0, 0, ex.width, ex.height);
    const source = await rgbImage(path.join(opt.root, item.source));
    const at = locate(source, exRgb);
    const half = ex.width >> 1;
    const halves = ts.maxCyclicNcc(crop(exRgb, 0, 0, half, ex.height), crop(exRgb, half, 0, half, ex.height)).max;
    const rows = stripeProfileShare(exRgb, { a: [0, ex.height] });
    const cols = stripeProfileShare(exRgb, { a: [ex.width, 0] });
    const nccs = [];
    // The held-out rules of sets 10 and 11 take only sources that tile (vary's tiles()): crops then run over the edges.
    const cyclic = tiles(source);
    // Overlap is judged on the source's own exact period (a repeat of the exemplar is no other piece).
    const [px, py] = cyclic ? exactPeriods(source) : [source.width, source.height];
    if (at && Math.min(px - ex.width, py - ex.height) >= 0) {
      for (let y = 0; y + (cyclic ? 0 : ex.height) <= source.height - (cyclic ? 1 : 0); y += opt.stride) {
        for (let x = 0; x + (cyclic ? 0 : ex.width) <= source.width - (cyclic ? 1 : 0); x += opt.stride) {
          const overlaps = overlap(x % px, at[0] % px, ex.width, px, cyclic) && overlap(y % py, at[1] % py, ex.height, py, cyclic);
          if (!overlaps) nccs.push(ts.maxCyclicNcc(crop(source, x, y, ex.width, ex.height), exRgb).max);
        }
      }
    }
    // A crop at 0.99 or more is the exemplar again (a source laid out as near-copies of one tile: set 10's
    // gravelSide_a repeats under (512, 512) but for a few texels): counted apart, not as another piece.
    const repeats = nccs.filter((v) => v >= REPEAT_NCC).length;
    nccs.splice(0, nccs.length, ...nccs.filter((v) => v < REPEAT_NCC).sort((a, b) => a - b));
    const f = (v) => v.toFixed(3);
    const real = !at ? 'exemplar not found in its source' : !nccs.length ? 'no crop outside the exemplar' : `${String(nccs.length).padStart(3)} ${f(nccs[0])}  ${f(quantile(nccs, 0.5))}  ${f(nccs[nccs.length - 1])}  ${(nccs.filter((v) => v <= 0.6).length / nccs.length).toFixed(2)}${repeats ? `  (+${repeats} repeats of the exemplar)` : ''}`;
    console.log(`${item.texture.padEnd(40)} ${f(halves)} ${f(rows)} ${f(cols)} | ${real}`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
