#!/usr/bin/env node
/**
 * Per-texture scoring of `remaster vary` alone (no baselines) on a folder of texture sets, for TUNING
 * (`make-heldout.js --tune 60`, sets already seen): the eval's fidelity distances ÷ the floor, NCC,
 * between-variant NCC, wrap, and per faithful miss which distance misses and whether it is metric-limited
 * (moved-exemplar.js: the exemplar's own content rolled by half already over 2x the spectrum floor, or a
 * floor of 0). Band diagnostics: mean log10 power ratio variant/exemplar in the low (0-3), mid (4-9) and
 * high (10-15) spectrum bands. Writes JSON lines to OUT when given (for before/after comparisons).
 * Needs the build (`npm run build`):
 *   node test/vary-data/tune-score.js vary-tune [out.jsonl] [--skip NAME] [--only NAME,...]
 */
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'plugin');
const { loadSets, ceilingIndex, meetsTargets } = require(path.join(dist, 'ops', 'vary', 'evaluate'));
const { varyTexture } = require(path.join(dist, 'ops', 'vary', 'vary-texture'));
const ts = require(path.join(dist, 'metrics', 'texture-stats'));

function roll(image, dx, dy) {
  const { width, height, channels, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const s = (((y + dy) % height) * width + ((x + dx) % width)) * channels;
    out.set(data.subarray(s, s + channels), (y * width + x) * channels);
  }
  return { ...image, data: out };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (k) => { const i = args.indexOf(k); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
  const skip = (opt('--skip') ?? 'drkmtl_grlpltmech_fx2').split(',');
  const only = opt('--only')?.split(',');
  const [dir, out] = args;
  const sets = (await loadSets(dir));
  const files = sets.map((s) => s.file);
  const rows = [];
  const g = (a) => Math.exp(a.reduce((s, v) => s + Math.log(Math.max(v, 1e-6)), 0) / a.length);
  let cpu = 0;
  for (let t = 0; t < sets.length; t++) {
    const { file, maps } = sets[t];
    if (skip.some((s) => file.includes(s))) continue;
    if (only && !only.some((s) => file.includes(s))) continue;
    const ex = maps[0].image;
    const half = Math.floor(ex.width / 2);
    const left = ts.cropImage(ex, 0, 0, half, ex.height);
    const right = ts.cropImage(ex, half, 0, half, ex.height);
    const fid = (a, b) => ({ colour: ts.slicedWasserstein(a, b), spectrum: ts.powerSpectrumDistance(a, b), gram: ts.gramDistanceOf(ts.gramMatrices(a), ts.gramMatrices(b)) });
    const floor = fid(left, right);
    const ceiling = fid(sets[ceilingIndex(files, t)].maps[0].image, ex);
    const t0 = process.cpuUsage();
    const vs = varyTexture(maps, { count: 2, seed: 1, variation: 0.5, tile: true }).variants.map((v) => v.maps[0].image);
    const u = process.cpuUsage(t0); cpu += (u.user + u.system) / 1e6;
    const fs_ = vs.map((v) => fid(v, ex));
    const mean = { colour: (fs_[0].colour + fs_[1].colour) / 2, spectrum: (fs_[0].spectrum + fs_[1].spectrum) / 2, gram: (fs_[0].gram + fs_[1].gram) / 2 };
    const s = { ...mean, ncc: Math.max(...vs.map((v) => ts.maxCyclicNcc(v, ex).max)), nccPair: ts.maxCyclicNcc(vs[0], vs[1]).max, wrap: Math.max(...vs.map((v) => ts.wrapEdgeRatio(v))) };
    const met = meetsTargets({ floor, ceiling }, s);
    const rolledSpec = ts.powerSpectrumDistance(roll(ex, half, Math.floor(ex.height / 2)), ex);
    const se = ts.radialPowerSpectrum(ex);
    const band = (lo, hi) => vs.reduce((acc, v) => { const sv = ts.radialPowerSpectrum(v); let d = 0; for (let b = lo; b <= hi; b++) d += sv[b] - se[b]; return acc + d / (hi - lo + 1) / vs.length; }, 0);
    const miss = ['colour', 'spectrum', 'gram'].filter((k) => !(s[k] <= 2 * floor[k] + 1e-9 && s[k] < ceiling[k]));
    const limited = floor.spectrum === 0 ? 'floor0' : miss.includes('spectrum') && rolledSpec > 2 * floor.spectrum ? 'moved' : '';
    const row = { file, lattice: undefined, floor, s, ratio: { colour: s.colour / floor.colour, spectrum: s.spectrum / floor.spectrum, gram: s.gram / floor.gram }, met, miss, rolled: rolledSpec / floor.spectrum, limited, bands: [band(0, 3), band(4, 9), band(10, 15)] };
    rows.push(row);
    const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'inf').padStart(6);
    process.stdout.write(`${file.slice(0, 44).padEnd(44)} c${f(row.ratio.colour)} s${f(row.ratio.spectrum)} g${f(row.ratio.gram)} ncc ${s.ncc.toFixed(2)} pr ${s.nccPair.toFixed(2)} w ${s.wrap.toFixed(2)} rolled${f(row.rolled)} bands ${row.bands.map((b) => b.toFixed(2).padStart(5)).join(' ')} ${miss.length ? '!' + miss.join(',') : ''} ${limited}\n`);
  }
  const c = { tiles: 0, novel: 0, diverse: 0, faithful: 0 };
  for (const r of rows) for (const k of Object.keys(c)) if (r.met[k]) c[k]++;
  const missBy = { colour: 0, spectrum: 0, gram: 0 };
  for (const r of rows) for (const k of r.miss) missBy[k]++;
  const unfaithful = rows.filter((r) => !r.met.faithful);
  process.stdout.write(`${rows.length} sets: met tiles ${c.tiles} novel ${c.novel} diverse ${c.diverse} faithful ${c.faithful}; geo-mean ratio to floor colour ${g(rows.map((r) => r.ratio.colour)).toFixed(2)} spectrum ${g(rows.map((r) => r.ratio.spectrum)).toFixed(2)} gram ${g(rows.map((r) => r.ratio.gram)).toFixed(2)}; misses colour ${missBy.colour} spectrum ${missBy.spectrum} gram ${missBy.gram}; unfaithful ${unfaithful.length}, metric-limited ${unfaithful.filter((r) => r.limited).length}; vary CPU ${cpu.toFixed(1)} s\n`);
  if (out) fs.writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
