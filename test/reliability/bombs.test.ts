/**
 * Decompression bombs: images whose header declares more pixels than `limits.maxPixels` (config) are
 * refused from the header alone, before a single row is decoded — standalone or inside a model.
 * Proof that nothing was decoded: the child's peak RSS stays far below what the pixels would need.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, cliMeasured, craftPNG, glbWithImage, gltfJSON, hashTree, jpegDeclaring, makeSandbox, noisePNG, removeDir, runJSON, write, type Report } from './helpers';

function runMeasured(dir: string) {
  const r = cliMeasured(['run', dir, '--json']);
  return { ...r, report: JSON.parse(r.stdout) as Report };
}

describe('decompression bombs', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterEach(() => removeDir(box.base));

  it('huge declared sizes are refused before decoding, alone and inside models; the rest is done', async () => {
    box = makeSandbox();
    const p = (rel: string) => path.join(box.project, rel);
    const header100k = craftPNG(100_000, 100_000); // 10 Gpx declared, one row of data
    write(p('bomb/header-100k.png'), header100k);
    // A real bomb: 20000×20000 1-bit image, all of it present, ~60 KB compressed, 400 Mpx decoded.
    write(p('bomb/real-20k.png'), craftPNG(20_000, 20_000, { bitDepth: 1, colorType: 0, rows: 20_000 }));
    write(p('bomb/jpeg-65k.jpg'), await jpegDeclaring(65_000, 65_000));
    write(p('bomb/model.glb'), await glbWithImage(new Uint8Array(header100k)));
    write(p('bomb/model.gltf'), JSON.stringify((await gltfJSON({ bytes: header100k })).json));
    write(p('ok.png'), await noisePNG(16, 16));
    const before = hashTree(box.project);
    // The same run without the bombs, on the same machine: what a run costs here (thread pools and
    // allocator arenas grow with the cores, so a fixed number of MiB cannot be right everywhere).
    const plain = makeSandbox();
    let baselineMiB: number;
    try {
      write(path.join(plain.project, 'ok.png'), await noisePNG(16, 16));
      const base = runMeasured(plain.project);
      expect(base.code).toBe(0);
      baselineMiB = base.peakMiB;
    } finally {
      removeDir(plain.base);
    }

    const r = runMeasured(box.project);
    expect(r.code).toBe(1);
    const failed = Object.fromEntries(r.report.failed.map((f) => [f.path, f.error]));
    expect(Object.keys(failed).sort()).toEqual(['bomb/header-100k.png', 'bomb/jpeg-65k.jpg', 'bomb/model.glb', 'bomb/model.gltf', 'bomb/real-20k.png']);
    expect(failed['bomb/header-100k.png']).toMatch(/100000x100000.*limits\.maxPixels/);
    expect(failed['bomb/real-20k.png']).toMatch(/20000x20000.*limits\.maxPixels/);
    expect(failed['bomb/jpeg-65k.jpg']).toMatch(/65000x65000.*limits\.maxPixels/);
    expect(failed['bomb/model.glb']).toMatch(/texture "base".*100000x100000.*limits\.maxPixels/);
    expect(r.report.processed.map((a) => a.path)).toEqual(['ok.png']);
    // The real bomb alone would add ≥ 400 MiB decoded (one byte per pixel); the bombs add far less.
    const addedMiB = r.peakMiB - baselineMiB;
    console.log(`bombs: 5 refused before decoding, peak RSS ${r.peakMiB.toFixed(0)} MiB vs ${baselineMiB.toFixed(0)} MiB without them (+${addedMiB.toFixed(0)})`);
    expect(addedMiB).toBeLessThan(150);
    const after = hashTree(box.project);
    for (const rel of Object.keys(before)) if (rel.startsWith('bomb/')) expect(after[rel]).toBe(before[rel]);
  });

  it('limits.maxPixels in the config: a real image over it is refused, under it processed', async () => {
    box = makeSandbox();
    write(path.join(box.project, 'big.png'), await noisePNG(300, 200));
    write(path.join(box.project, 'small.png'), await noisePNG(100, 100));
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ limits: { maxPixels: 50_000 }, rules: [{ upscale: { scale: 2 } }] }));
    const r = runJSON(box.project);
    expect(r.code).toBe(1);
    expect(r.report.failed).toEqual([{ path: 'big.png', error: expect.stringMatching(/300x200 .*60000 pixels.*limits\.maxPixels.*50000/) }]);
    expect(r.report.processed.map((a) => a.path)).toEqual(['small.png']);

    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ limits: { maxPixels: 60_000 }, rules: [{ upscale: { scale: 2 } }] }));
    const again = runJSON(box.project);
    expect(again.code).toBe(0);
    expect(again.report.processed.map((a) => a.path)).toEqual(['big.png']);
  });

  it('a bad limits value is a config error naming the key; limits belong to the project config only', async () => {
    box = makeSandbox();
    const run = () => spawnSync(process.execPath, [BIN, 'run', box.project], { encoding: 'utf8' });
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ limits: { maxPixels: -1 }, rules: [] }));
    let r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^remaster: remaster\.config\.json: limits\.maxPixels: /);
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ limits: { maxPixel: 5 }, rules: [] }));
    expect(run().stderr).toBe('remaster: remaster.config.json: limits.maxPixel: unknown key\n');
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [] }));
    write(path.join(box.project, 'x.png'), await noisePNG(4, 4));
    write(path.join(box.project, 'x.png.remaster.json'), JSON.stringify({ limits: { maxPixels: 5 }, rules: [] }));
    r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('remaster: x.png.remaster.json: limits: not allowed in a sidecar (set it in the project config)\n');
  });
});
