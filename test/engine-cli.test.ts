/** `remaster upscale` and `remaster eval` as a user runs them (the built CLI, spawned). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readImageFile } from '../plugin/image-codec';
import { MODELS, TEXTURES } from './engine-fixtures';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-engine-cli-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('upscale writes the image at the new size and says which engine made it', async () => {
  const out = path.join(tmp, 'up.png');
  const r = run('upscale', path.join(TEXTURES, 'alpha-blend-128.png'), out, '--scale', '4', '--model', path.join(MODELS, 'tiny-x2.onnx'), '--device', 'cpu', '--tile', '64');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/128x128 -> .*up\.png 512x512 \(color\) with tiny-x2\.onnx@cpu:x2>x4 in [\d.]+ s/);
  const img = await readImageFile(out);
  expect([img.width, img.height, img.channels]).toEqual([512, 512, 4]);
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('upscale refuses a corrupt model with exit 2 and one line, writing nothing', () => {
  const out = path.join(tmp, 'never.png');
  const r = run('upscale', path.join(TEXTURES, 'alpha-blend-128.png'), out, '--model', path.join(MODELS, 'corrupt.onnx'), '--device', 'cpu');
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^remaster: .*corrupt\.onnx: cannot load model on cpu \(.*protobuf parsing failed/i)]); // the runtime words it differently for bytes and paths
  expect(fs.existsSync(out)).toBe(false);
  expect(run('upscale', 'a.png', 'b.png', '--scale', '3').status).toBe(2);
});

test('upscale of a missing or non-image input is one line naming the file, exit 2, nothing written', () => {
  const out = path.join(tmp, 'never-input.png');
  const notImage = path.join(tmp, 'notes.png');
  fs.writeFileSync(notImage, 'not a picture');
  for (const [input, problem] of [[path.join(tmp, 'missing.png'), /missing\.png: cannot read image \(Input file is missing/], [notImage, /notes\.png: cannot read image \(Input file contains unsupported image format/]] as const) {
    const r = run('upscale', input, out, '--device', 'cpu');
    expect(r.status).toBe(2);
    // Only the error: the engine's device/model lines are not printed for an input that was never usable.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(problem)]);
    expect(fs.existsSync(out)).toBe(false);
  }
});

test('eval scores model, bicubic and Lanczos per image and on average, with an HTML report', async () => {
  const dir = path.join(tmp, 'hr');
  fs.mkdirSync(dir);
  for (const f of ['helmet-basecolor-128.png', 'helmet-normal-128.png']) fs.copyFileSync(path.join(TEXTURES, f), path.join(dir, f));
  // A flat image has no detail to score (HFEN is relative to it): skipped and listed, as in the model cards.
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toFile(path.join(dir, 'flat.png'));
  const html = path.join(tmp, 'report.html');
  const r = run('eval', dir, '--model', path.join(MODELS, 'tiny-x2.onnx'), '--device', 'cpu', '--json', '--report', html);
  expect(r.status).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.engine).toBe('tiny-x2.onnx@cpu');
  expect(report.skippedFlat).toEqual(['flat.png']);
  expect(report.images.map((i: { file: string }) => i.file)).toEqual(['helmet-basecolor-128.png', 'helmet-normal-128.png']);
  for (const m of ['bicubic', 'lanczos', 'model']) {
    const mean = report.mean[m];
    expect(mean.psnr).toBeGreaterThan(20);
    expect(mean.ssim).toBeGreaterThan(0.5);
    expect(mean.hfen).toBeGreaterThan(0);
    expect(mean.psnr).toBeCloseTo((report.images[0].scores[m].psnr + report.images[1].scores[m].psnr) / 2, 9);
  }
  // Lanczos-3 keeps more detail than Catmull-Rom bicubic on real textures.
  expect(report.mean.lanczos.hfen).toBeLessThan(report.mean.bicubic.hfen);
  const page = fs.readFileSync(html, 'utf8');
  expect(page.match(/<img src="data:image\/png;base64,/g)).toHaveLength(8); // 2 images x (original, bicubic, lanczos, model)
  expect(page).toContain('helmet-normal-128.png');
});
