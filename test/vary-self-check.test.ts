/**
 * Vary's own check of its variants (plugin/ops/vary/self-check.ts): an exemplar that is not a texture a
 * multiplier can vary (a logo on flat colour, a strict lattice) gets one warning line naming the file and
 * the missed target — from the CLI, in --json and in the pipeline's report — and the variants are still
 * written; a stochastic texture gets none. The check changes no output byte.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describeMisses, varyTexture } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { remasterProject } from '../plugin/pipeline';
import type { RawImage } from '../plugin/types';
import { decode, FIXTURES, makeProject, removeProject, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** A logo on flat colour: a ring and a bar on grey, nothing else. */
function logo(side: number): RawImage {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.hypot(x - side / 2, y - side / 2);
      let c = [200, 200, 200];
      if (r < side * 0.3 && r > side * 0.18) c = [30, 40, 120];
      if (Math.abs(y - side / 2) < side * 0.05 && Math.abs(x - side / 2) < side * 0.35) c = [180, 20, 20];
      data.set(c, (y * side + x) * 3);
    }
  }
  return { data, width: side, height: side, channels: 3 };
}

/** A strict lattice: bevelled 16-texel tiles with a little noise (every part of it is every other part). */
function tiles(side: number, period: number): RawImage {
  const data = new Uint8Array(side * side * 3);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const u = x % period;
      const v = y % period;
      const edge = Math.min(u, v, period - 1 - u, period - 1 - v);
      const base = edge < 1 ? 60 : edge < 3 ? 150 + 20 * edge : 200;
      const n = (rnd() - 0.5) * 12;
      data.set([base + n, base * 0.8 + n, base * 0.6 + n].map((c) => Math.max(0, Math.min(255, Math.round(c)))), (y * side + x) * 3);
    }
  }
  return { data, width: side, height: side, channels: 3 };
}

const colour = (image: RawImage) => [{ slot: 'color', kind: 'color' as const, image }];

describe('vary self-check: a warning when the exemplar is not a texture it can multiply', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) removeProject(dir);
    dir = undefined;
  });

  it('a logo on flat colour: variants miss faithfulness (colour and spectrum far beyond the exemplar\'s own halves)', () => {
    const { check } = varyTexture(colour(logo(128)), { count: 2, seed: 1 });
    expect(check).toBeDefined();
    expect(check!.misses).toContain('faithful');
    expect(check!.colour).toBeGreaterThan(2 * check!.colourFloor);
    expect(describeMisses(check!)).toMatch(/^variants miss .*faithfulness.*design/);
  });

  it('a strict lattice: novelty and diversity missed, and the line says the exemplar repeats itself (its own halves correlate > 0.6)', () => {
    const { check } = varyTexture(colour(tiles(128, 16)), { count: 2, seed: 1 });
    expect(check!.misses).toEqual(expect.arrayContaining(['novel', 'diverse']));
    expect(check!.nccFloor).toBeGreaterThan(0.6);
    expect(describeMisses(check!)).toMatch(/novelty .*repeats itself/);
  });

  it('a lattice whose period does not divide the half (51 px on 128-px halves) is measured on whole periods too (set 8: panel_gk_013 0.60 -> 0.79)', () => {
    // 51-px cells of 4-px blocks, a dark frame, and as much free (non-periodic) noise as cell pattern: the
    // cyclic halves put a half period out of step at their wrap (old figure 0.56), two crops of two whole
    // periods do not (0.64).
    const side = 256;
    const data = new Uint8Array(side * side * 3);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const u = x % 51;
        const v = y % 51;
        const base = Math.min(u, v, 50 - u, 50 - v) < 2 ? 70 : 140;
        const n = (hashRandom(3, 0, u >> 2, v >> 2) - 0.5) * 80 + (hashRandom(4, 0, x >> 2, y >> 2) - 0.5) * 90;
        const c = Math.max(0, Math.min(255, Math.round(base + n)));
        data.set([c, Math.floor(c * 0.8), Math.floor(c * 0.6)], (y * side + x) * 3);
      }
    }
    const { check, lattice } = varyTexture(colour({ data, width: side, height: side, channels: 3 }), { count: 2, seed: 1 });
    expect([lattice!.a, lattice!.b].map(([px, py]) => Math.hypot(px, py)).sort()).toEqual([51, 51]);
    expect(check!.misses).toEqual(expect.arrayContaining(['novel']));
    expect(check!.nccFloor).toBeGreaterThan(0.6);
    expect(describeMisses(check!)).toMatch(/novelty .*repeats itself/);
  });

  it('a stochastic texture (carpet fixture): no target missed, no line; check: false gives no check and the same bytes', async () => {
    const carpet = await decode(path.join(FIXTURES, 'vary', 'carpet_drty_blood2.jpg'));
    const checked = varyTexture(colour(carpet), { count: 2, seed: 1 });
    expect(checked.check!.misses).toEqual([]);
    expect(describeMisses(checked.check!)).toBeUndefined();
    const unchecked = varyTexture(colour(carpet), { count: 2, seed: 1, check: false });
    expect(unchecked.check).toBeUndefined();
    for (let k = 0; k < 2; k++) expect(Buffer.from(unchecked.variants[k].maps[0].image.data).equals(Buffer.from(checked.variants[k].maps[0].image.data))).toBe(true);
  });

  it('CLI: one warning line on stderr naming the file and the target, exit 0, variants written; --json carries it', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vary-check-'));
    const file = path.join(dir, 'badge.png');
    const img = logo(128);
    await sharp(Buffer.from(img.data), { raw: { width: 128, height: 128, channels: 3 } }).png().toFile(file);
    const run = cli('vary', file, '--count', '2', '--seed', '1');
    expect(run.status).toBe(0);
    const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(/miss .*faithfulness/);
    expect(fs.existsSync(path.join(dir, 'badge-v1.png')) && fs.existsSync(path.join(dir, 'badge-v2.png'))).toBe(true);
    const json = cli('vary', file, '--count', '2', '--seed', '1', '--json');
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.check.misses).toContain('faithful');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain(file);
  });

  it('pipeline: the standalone texture\'s report carries the warning; its -v<k> files are still made', async () => {
    dir = makeProject({});
    const img = logo(128);
    await sharp(Buffer.from(img.data), { raw: { width: 128, height: 128, channels: 3 } }).png().toFile(path.join(dir, 'badge.png'));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'badge*', vary: { count: 2, seed: 1 } }] });
    const run = await remasterProject(dir);
    expect(run.failed).toEqual([]);
    const entry = run.processed.find((p) => p.path === 'badge.png');
    expect(entry?.warnings.some((w) => /miss .*faithfulness/.test(w))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'badge-v2.png'))).toBe(true);
  });
});
