#!/usr/bin/env node
/**
 * How low the max cyclic NCC vs the exemplar can go while a variant keeps the exemplar's lattice — the issue
 * asks for both (structured textures keep their lattice; NCC ≤ 0.6). For each texture with an axis-aligned
 * two-period lattice (a grid) (plugin/ops/vary/period.ts): the lattice-periodic part P of the luma (the mean cell, folded over
 * x mod period, y mod period) and its share of the luma variance; then P + an entirely NEW remainder (the
 * exemplar's remainder with random Fourier phases: same spectrum, nothing in place) and its max cyclic NCC
 * vs the exemplar, for 4 phase draws. That is about the best a lattice-keeping variant can do without
 * adding variance the exemplar does not have: when it is over 0.6, the two requirements conflict there.
 * Period cells (period-cell.ts: cells of a quarter of the exemplar) are skipped: there the lattice kept is the
 * cell grid and the cell's content is varied.
 * Needs the build (`npm run build`):
 *   node test/vary-data/lattice-share.js vary-heldout3
 */
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'plugin');
const { loadSets } = require(path.join(dist, 'ops', 'vary', 'evaluate'));
const { detectLattice } = require(path.join(dist, 'ops', 'vary', 'period'));
const { periodCell } = require(path.join(dist, 'ops', 'vary', 'period-cell'));
const ts = require(path.join(dist, 'metrics', 'texture-stats'));

function grey(values, width, height) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.fill(Math.max(0, Math.min(255, Math.round(values[i]))), 3 * i, 3 * i + 3);
  return { width, height, channels: 3, data };
}

/** The remainder with new random phases (Hermitian: the phases of white noise's spectrum). */
function randomPhase(values, width, height, seed) {
  const re = Float64Array.from(values);
  const im = new Float64Array(values.length);
  ts.fft2d({ re, im }, width, height, false);
  let s = seed >>> 0;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const nr = new Float64Array(values.length);
  const ni = new Float64Array(values.length);
  for (let i = 0; i < nr.length; i++) nr[i] = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  ts.fft2d({ re: nr, im: ni }, width, height, false);
  for (let i = 1; i < re.length; i++) {
    const a = Math.hypot(re[i], im[i]);
    const phase = Math.atan2(ni[i], nr[i]);
    re[i] = a * Math.cos(phase);
    im[i] = a * Math.sin(phase);
  }
  ts.fft2d({ re, im }, width, height, true);
  return re;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: lattice-share.js DIR');
  for (const { file, maps } of await loadSets(dir)) {
    const ex = maps[0].image;
    const lattice = detectLattice(ex);
    if (!lattice) continue;
    const { a, b } = lattice;
    const px = a[1] === 0 ? a[0] : b[1] === 0 && b[0] ? b[0] : 0;
    const py = a[0] === 0 ? a[1] : b[0] === 0 && b[1] ? b[1] : 0;
    const head = `${file.padEnd(44)} lattice (${a}) (${b})`;
    if (!px || !py) { process.stdout.write(`${head}  ${px || py ? 'one period: rows/columns may be rearranged' : 'not axis-aligned'} (no bound here)\n`); continue; }
    const { width: w, height: h, channels: c, data } = ex;
    if (periodCell(lattice, ex.width, ex.height, ex.width, ex.height)) { process.stdout.write(`${head}  period cell: its grid is kept, its content varied (no bound here)\n`); continue; }
    const fx = px, fy = py;
    const luma = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) luma[i] = 0.299 * data[i * c] + 0.587 * data[i * c + 1] + 0.114 * data[i * c + 2];
    const sum = new Float64Array(fx * fy);
    const count = new Float64Array(fx * fy);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const k = (y % fy) * fx + (x % fx); sum[k] += luma[y * w + x]; count[k]++; }
    const mean = luma.reduce((s, v) => s + v, 0) / luma.length;
    const P = new Float64Array(w * h);
    let varE = 0, varP = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      P[i] = sum[(y % fy) * fx + (x % fx)] / count[(y % fy) * fx + (x % fx)];
      varE += (luma[i] - mean) ** 2;
      varP += (P[i] - mean) ** 2;
    }
    const E = grey(luma, w, h);
    const ncc = [1, 2, 3, 4].map((seed) => {
      const R = randomPhase(luma.map((v, i) => v - P[i]), w, h, seed);
      return ts.maxCyclicNcc(grey(P.map((v, i) => v + R[i]), w, h), E).max;
    });
    process.stdout.write(`${head}  periodic share ${(varP / varE).toFixed(3)}  NCC(lattice kept, rest new) ${ncc.map((v) => v.toFixed(3)).join(' ')}\n`);
  }
}
main().catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
