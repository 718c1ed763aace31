/**
 * Before/after in one run: this build against another checkout's build (e.g. main before a change),
 * alternating A and B per repetition so drifting load on a shared machine hits both alike. Each
 * figure is printed as B ÷ A (after ÷ before; < 1 is faster or smaller).
 *
 *   npm run build && node dist/test/bench/before-after.js --before /path/to/other/checkout [--repeat 3]
 *     [--textures 40] [--texture-size 256]
 *
 * The other checkout must be built (its dist/) and have its node_modules.
 */

import { fork, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { packageRoot } from '../../plugin/engine/model-source';
import type { RawImage } from '../../plugin/types';
import { mosaicTexture } from './texture';
import { median } from './median';

const AFTER = packageRoot();
const FIXTURE = path.join(AFTER, 'fixtures', 'textures', 'helmet-basecolor-128.png');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const seconds = (t0: number) => (performance.now() - t0) / 1000;

interface Task {
  kind: 'engine' | 'project' | 'memory';
  root: string;
  model?: string;
  scale?: 2 | 4;
  size?: number;
  dataKind?: 'color' | 'data';
  channels?: 3 | 4;
  dir?: string;
  file?: string;
}

/** Child: one measurement with the build at task.root, so each build loads its own modules. */
async function child(task: Task): Promise<{ seconds: number; peakMB: number }> {
  const engineMod = require(path.join(task.root, 'dist', 'plugin', 'engine'));
  if (task.kind === 'engine') {
    const tex = await mosaicTexture(FIXTURE, task.size!);
    let image: RawImage = tex;
    if (task.channels === 4) {
      const data = new Uint8Array(task.size! * task.size! * 4);
      for (let i = 0; i < task.size! * task.size!; i++) {
        data.set(tex.data.subarray(i * 3, i * 3 + 3), i * 4);
        data[i * 4 + 3] = tex.data[i * 3] ^ 0x55;
      }
      image = { data, width: task.size!, height: task.size!, channels: 4 };
    }
    const engine = engineMod.createEngine({ device: 'cpu' });
    const opts = { scale: task.scale, model: task.model, kind: task.dataKind ?? 'color' };
    await engine.upscale(image, opts);
    const t0 = performance.now();
    await engine.upscale(image, opts);
    const s = seconds(t0);
    await engine.close();
    return { seconds: s, peakMB: process.resourceUsage().maxRSS / 1024 };
  }
  if (task.kind === 'project') {
    const { remasterProject } = require(path.join(task.root, 'dist', 'plugin', 'pipeline', 'project'));
    const engine = engineMod.createEngine({ device: 'cpu' });
    await engine.checkModel('remaster-x2-fast');
    const t0 = performance.now();
    const report = await remasterProject(task.dir, { engine });
    const s = seconds(t0);
    await engine.close();
    if (report.failed.length) throw new Error(JSON.stringify(report.failed[0]));
    return { seconds: s, peakMB: process.resourceUsage().maxRSS / 1024 };
  }
  // memory: what `remaster upscale --scale 4` does
  const engine = engineMod.createEngine({ device: 'cpu' });
  const t0 = performance.now();
  const image = await engineMod.readImageFile(task.file);
  const out = await engine.upscale(image, { scale: 4, model: 'remaster-x4-fast', kind: 'color' });
  await engineMod.writeImageFile(`${task.file}.x4.png`, out.image);
  const s = seconds(t0);
  await engine.close();
  return { seconds: s, peakMB: process.resourceUsage().maxRSS / 1024 };
}

function inChild(task: Task): Promise<{ seconds: number; peakMB: number }> {
  return new Promise((resolve, reject) => {
    const c = fork(__filename, ['--child', JSON.stringify(task)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    c.on('message', (m) => resolve(m as { seconds: number; peakMB: number }));
    c.on('exit', (code) => code !== 0 && reject(new Error(`child exited ${code} (${task.kind} ${task.root})`)));
  });
}

async function main(): Promise<void> {
  const before = path.resolve(arg('before', ''));
  const repeat = Number(arg('repeat', '3'));
  const textures = Number(arg('textures', '40'));
  const textureSize = Number(arg('texture-size', '256'));
  const builds = [before, AFTER];
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-before-after-'));
  const results: Array<{ what: string; a: number[]; b: number[]; unit: string }> = [];
  const pair = async (what: string, unit: string, measure: (root: string) => Promise<number>) => {
    const row = { what, a: [] as number[], b: [] as number[], unit };
    for (let r = 0; r < repeat; r++) {
      row.a.push(await measure(builds[0]));
      row.b.push(await measure(builds[1]));
    }
    results.push(row);
    console.log(`${what}: before ${median(row.a).toFixed(2)} ${unit}, after ${median(row.b).toFixed(2)} ${unit}, after ÷ before ${(median(row.b) / median(row.a)).toFixed(2)}`);
  };
  try {
    for (const [model, scale] of [['remaster-x2-fast', 2], ['remaster-x4-fast', 4]] as const) {
      await pair(`engine ${model} 1024² colour`, 's', async (root) => (await inChild({ kind: 'engine', root, model, scale, size: 1024 })).seconds);
    }
    await pair('engine remaster-x2-fast 512² RGBA data map', 's', async (root) => (await inChild({ kind: 'engine', root, model: 'remaster-x2-fast', scale: 2, size: 512, dataKind: 'data', channels: 4 })).seconds);
    await pair('engine remaster-x2-fast 512² colour', 's', async (root) => (await inChild({ kind: 'engine', root, model: 'remaster-x2-fast', scale: 2, size: 512 })).seconds);

    const input = path.join(work, 'in512.png');
    const tex = await mosaicTexture(FIXTURE, 512);
    await sharp(tex.data, { raw: { width: 512, height: 512, channels: 3 } }).png().toFile(input);
    await pair('CLI upscale 512² (x2, default model)', 's', async (root) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'remaster.js'), 'upscale', input, path.join(work, 'out.png'), '--device', 'cpu']);
      if (r.status !== 0) throw new Error(String(r.stderr));
      return seconds(t0);
    });
    await pair('remaster --help', 's', async (root) => {
      const t0 = performance.now();
      spawnSync(process.execPath, [path.join(root, 'bin', 'remaster.js'), '--help']);
      return seconds(t0);
    });

    const source = path.join(work, 'project');
    await fs.mkdir(path.join(source, 'tex'), { recursive: true });
    await fs.writeFile(path.join(source, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }] }));
    const base = await mosaicTexture(FIXTURE, textureSize);
    for (let i = 0; i < textures; i++) {
      const data = base.data.map((v, j) => (j % 3 === i % 3 ? 255 - v : (v + 17 * i) & 255));
      await sharp(data, { raw: { width: textureSize, height: textureSize, channels: 3 } }).png().toFile(path.join(source, 'tex', `t${i}.png`));
    }
    let n = 0;
    await pair(`remasterProject ${textures} textures ${textureSize}² (default --jobs)`, 's', async (root) => {
      const dir = path.join(work, `p${n++}`);
      await fs.cp(source, dir, { recursive: true });
      const r = await inChild({ kind: 'project', root, dir });
      await fs.rm(dir, { recursive: true, force: true });
      return r.seconds;
    });

    for (const size of (arg('memory-sizes', '1024,2048')).split(',').map(Number)) {
      const file = path.join(work, `mem${size}.png`);
      const t = await mosaicTexture(FIXTURE, size);
      await sharp(t.data, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
      const outMB = (size * 4) ** 2 * 3 / 2 ** 20;
      await pair(`peak RSS, upscale --scale 4 of ${size}² (output buffer ${outMB.toFixed(0)} MB)`, 'MB', async (root) => (await inChild({ kind: 'memory', root, file })).peakMB);
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  console.log(`\nbefore: ${before}\nafter:  ${AFTER}\n${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}, medians of ${repeat}, alternating`);
  console.log('| measurement | before | after | after ÷ before |\n| --- | --- | --- | --- |');
  for (const r of results) console.log(`| ${r.what} | ${median(r.a).toFixed(2)} ${r.unit} | ${median(r.b).toFixed(2)} ${r.unit} | ${(median(r.b) / median(r.a)).toFixed(2)} |`);
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3]) as Task).then(
    (r) => process.send?.(r, () => process.exit(0)),
    (err) => { console.error(`before-after child: ${(err as Error).message}`); process.exit(1); },
  );
} else {
  main().catch((err) => { console.error(`before-after: ${(err as Error).message}`); process.exitCode = 1; });
}
