/**
 * `npm run bench`: every benchmark, one after another, each in its own process (so one's memory peak
 * is not another's). Arguments after `--` go to the engine bench (index.ts) only, e.g.
 * `npm run bench -- --device webgpu`; the operation benches take their defaults. One part failing
 * does not stop the others; the exit status says whether any failed.
 *
 *   npm run bench
 *   npm run bench -- --sizes 512 --repeat 3
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const PARTS: { file: string; what: string; passArgs: boolean }[] = [
  { file: 'index.js', what: 'engine: MP/s, memory, issue-13 target ratios', passArgs: true },
  { file: 'vary.js', what: 'Texture Multiplier: 1024² variant of a 512² set with 3 maps', passArgs: false },
  { file: 'style.js', what: 'style transfer: 1024²', passArgs: false },
  { file: 'material.js', what: 'Photo to Material: 2048x1536 two-shot pair', passArgs: false },
];

let failed = 0;
for (const part of PARTS) {
  console.log(`\n== ${part.what} (${part.file})`);
  const args = part.passArgs ? process.argv.slice(2) : [];
  const r = spawnSync(process.execPath, [path.join(__dirname, part.file), ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench part ${part.file} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
