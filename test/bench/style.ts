/**
 * `npm run bench:style`: seconds to style one 1024² texture (target ≤ 15 s on 2 CPU cores), per method.
 *
 *   npm run bench:style                                   # stats, 1024², best of 2
 *   npm run bench:style -- --methods stats,gram --sizes 512,1024 --repeat 1
 *   npm run bench:style -- --input path/to/texture.png --repeat 1   # a texture of your own, resized to size²
 *   npm run bench:style -- --threads 1 --repeat 1                     # stats on one thread (default: 2, one on one core)
 *
 * Input: the helmet base colour mosaicked to size² (as the engine bench), or `--input`'s image resized
 * to size² (sharp's default Lanczos; alpha dropped). The helmet mosaic keeps the full brightness shift, so
 * `stats` runs one bisection there; a texture whose layout stops the shift (a dark one under the warm
 * reference) runs two and is the slower case. Reference: the procedural painting
 * fixtures/style/warm-strokes-512.png. Reports the best wall time of `repeat` runs (other
 * load on the machine only adds) and the ratio to the stats method's time in the same run.
 */
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readImageFile } from '../../plugin/engine';
import { STYLE_METHODS, styleTexture, type StyleMethod } from '../../plugin/ops/style';
import type { RawImage } from '../../plugin/types';
import { mosaicTexture } from './texture';

const ROOT = path.join(__dirname, '..', '..', '..'); // dist/test/bench -> package root
const TARGET_SECONDS = 15;

async function main(): Promise<void> {
  let methods: StyleMethod[] = ['stats'];
  let sizes = [1024];
  let repeat = 2;
  let inputFile: string | undefined;
  let threads: number | undefined;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--methods') methods = value.split(',') as StyleMethod[];
    else if (argv[i] === '--sizes') sizes = value.split(',').map(Number);
    else if (argv[i] === '--repeat') repeat = Math.max(1, Number(value));
    else if (argv[i] === '--input') inputFile = value;
    else if (argv[i] === '--threads') threads = Number(value);
    else throw new Error(`unknown argument ${argv[i]} (use --methods, --sizes, --repeat, --input, --threads)`);
  }
  const unknown = methods.filter((m) => !STYLE_METHODS.includes(m));
  if (unknown.length) throw new Error(`unknown method(s) ${unknown.join(', ')}`);
  const reference = await readImageFile(path.join(ROOT, 'fixtures', 'style', 'warm-strokes-512.png'));
  console.log(`style bench: ${os.cpus().length} CPU core(s) visible, load average ${os.loadavg()[0].toFixed(1)}; best of ${repeat}; input ${inputFile ? path.basename(inputFile) : 'helmet mosaic'}; stats threads ${threads ?? 'default'}`);
  // CPU seconds: what the process itself used (all its threads); on a shared machine wall time also
  // counts the waits for a core, CPU time does not.
  console.log(['method', 'size', 'seconds', 'CPU s', `≤ ${TARGET_SECONDS} s`, 'MP/s', 'vs stats'].join('\t'));
  for (const size of sizes) {
    const input = inputFile ? await resizedTexture(inputFile, size) : await mosaicTexture(path.join(ROOT, 'fixtures', 'textures', 'helmet-basecolor-128.png'), size);
    let statsSeconds: number | undefined;
    for (const method of methods) {
      let best = Infinity;
      let cpu = Infinity;
      for (let r = 0; r < repeat; r++) {
        const started = performance.now();
        const usage = process.cpuUsage();
        await styleTexture(input, reference, { method, seamless: true, seed: 1, ...(method === 'stats' && threads !== undefined ? { threads } : {}) });
        const used = process.cpuUsage(usage);
        best = Math.min(best, (performance.now() - started) / 1000);
        cpu = Math.min(cpu, (used.user + used.system) / 1e6);
      }
      if (method === 'stats') statsSeconds = best;
      console.log([method, `${size}²`, best.toFixed(2), cpu.toFixed(2), best <= TARGET_SECONDS ? 'yes' : 'NO', ((size * size) / 1e6 / best).toFixed(2),
        statsSeconds ? `${(best / statsSeconds).toFixed(2)}x` : '-'].join('\t'));
    }
  }
}

/** `file` resized to size² (sharp's default Lanczos), RGB. */
async function resizedTexture(file: string, size: number): Promise<RawImage> {
  const { data, info } = await sharp(file).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

main().catch((err) => {
  console.error(`bench:style: ${(err as Error).message}`);
  process.exitCode = 1;
});
