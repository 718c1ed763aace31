/**
 * Two-shot capture speed: a 2048x1536 flash/guide pair of the synthetic material (128-texel period,
 * rendered with the capture model, noise + JPEG q90), captured with 1 thread and with the default
 * threads, in one run, with the CPU seconds used (wall time on a shared machine stretches with other
 * load). Target: ≤ 60 s on 2 CPU cores.
 *
 *   npm run build && node dist/test/bench/material.js [--size 2048x1536] [--period 128]
 */
import os from 'node:os';
import { captureMaterial } from '../../plugin/ops/material/capture';
import { simulatePhoto } from '../../plugin/ops/material/photo';
import { renderFlash, renderGuide } from '../../plugin/ops/material/render';
import { syntheticMaterial, tileMaps } from '../../plugin/ops/material/synthetic';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
  const [width, height] = get('--size', '2048x1536').split('x').map(Number);
  const period = Number(get('--period', '128'));
  const camera = { width, height, fovDeg: 65 };
  const truth = tileMaps(syntheticMaterial({ size: period }), width, height, [17, 9]);
  const flash = await simulatePhoto(renderFlash(truth, camera), { seed: 1, jpegQuality: 90 });
  const guide = await simulatePhoto(renderGuide(truth, camera), { seed: 2, jpegQuality: 90 });
  const threads = Math.min(8, os.availableParallelism?.() ?? os.cpus().length);
  console.log(`two-shot capture ${width}x${height}, period ${period}, ${os.cpus().length} CPUs`);
  console.log('threads  lattice s  fit s  total s  CPU s (all threads)');
  for (const t of [...new Set([1, threads])]) {
    const cpu = process.cpuUsage();
    const r = await captureMaterial(flash, guide, { threads: t });
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(`${String(t).padStart(7)}  ${r.seconds.lattice.toFixed(1).padStart(9)}  ${r.seconds.fit.toFixed(1).padStart(5)}  ${r.seconds.total.toFixed(1).padStart(7)}  ${cpuSeconds.toFixed(1).padStart(19)}`);
  }
  console.log(`load average now: ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} (wall times stretch with other load; CPU seconds do not)`);
}

main().catch((err) => { console.error(`bench material: ${(err as Error).message}`); process.exitCode = 1; });
