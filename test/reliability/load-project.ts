/**
 * The load scenario: a generated project of many small textures and glTF files, one full run and one
 * no-op run, with the figures (peak RSS, wall time) measured in the real CLI child.
 * CI runs a small one (load.test.ts); `npm run soak` the big one (test/soak/index.ts).
 */
import path from 'node:path';
import { cliMeasured, gltfJSON, hashTree, noisePNG, write } from './helpers';

/** `textures` 16×16 PNGs in folders of 100, and `models` .gltf files each with its own external 16×16 image. */
export async function buildLoadProject(dir: string, textures: number, models: number): Promise<void> {
  for (let i = 0; i < textures; i++) write(path.join(dir, 'textures', `set${Math.floor(i / 100)}`, `t${i}.png`), await noisePNG(16, 16, i + 1));
  for (let m = 0; m < models; m++) {
    const folder = path.join(dir, 'models', `m${m}`);
    write(path.join(folder, 'base.png'), await noisePNG(16, 16, 100_000 + m));
    write(path.join(folder, `m${m}.gltf`), JSON.stringify((await gltfJSON({ uri: 'base.png' })).json));
  }
}

export interface LoadFigures {
  assets: number;
  first: { code: number | null; seconds: number; peakMiB: number; processed: number; failed: number };
  second: { code: number | null; seconds: number; peakMiB: number; skipped: number; unchangedTree: boolean };
}

/** Runs the project twice through the CLI; the second run must be a no-op that changes no file. */
export function measureLoad(dir: string, assets: number): LoadFigures {
  const first = cliMeasured(['run', dir, '--json']);
  const r1 = JSON.parse(first.stdout);
  const before = hashTree(dir);
  const second = cliMeasured(['run', dir, '--json']);
  const r2 = JSON.parse(second.stdout);
  const unchangedTree = JSON.stringify(hashTree(dir)) === JSON.stringify(before);
  return {
    assets,
    first: { code: first.code, seconds: first.seconds, peakMiB: first.peakMiB, processed: r1.processed.length, failed: r1.failed.length },
    second: { code: second.code, seconds: second.seconds, peakMiB: second.peakMiB, skipped: r2.skipped.filter((s: { reason: string }) => s.reason === 'unchanged').length, unchangedTree },
  };
}

export function describeLoad(f: LoadFigures): string {
  return `load: ${f.assets} assets; first run ${f.first.seconds.toFixed(1)} s, peak RSS ${f.first.peakMiB.toFixed(0)} MiB, ` +
    `${f.first.processed} processed, ${f.first.failed} failed; no-op run ${f.second.seconds.toFixed(2)} s, peak RSS ${f.second.peakMiB.toFixed(0)} MiB, ` +
    `${f.second.skipped} unchanged, files untouched: ${f.second.unchangedTree}`;
}
