/** `remaster style` as a user runs it (the built CLI, spawned): output, flipbook, and bad input. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decode, encodePNG, makeProject, removeProject } from './helpers/project';
import { maxAbsDiff, tilingTexture } from './helpers/style-images';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const REFERENCE = path.join(__dirname, '..', 'fixtures', 'style', 'cool-strokes-512.png');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

let dir: string;
let input: string;
beforeAll(async () => {
  dir = makeProject();
  input = path.join(dir, 'wall.png');
  fs.writeFileSync(input, await encodePNG(tilingTexture(64, 64)));
});
afterAll(() => removeProject(dir));

test('styles a texture, and --frames writes a flipbook from the input to the target strength', async () => {
  const out = path.join(dir, 'styled.png');
  const r = run('style', input, out, '--reference', REFERENCE, '--seamless', '--seed', '4', '--strength', '0.8');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('styled after');
  const styled = await decode(out);
  expect(styled.width).toBe(64);
  expect(maxAbsDiff(styled, await decode(input))).toBeGreaterThan(10);

  const frames = path.join(dir, 'fx.png');
  const f = run('style', input, frames, '--reference', REFERENCE, '--seamless', '--seed', '4', '--strength', '0.8', '--frames', '3');
  expect(f.status).toBe(0);
  expect(maxAbsDiff(await decode(path.join(dir, 'fx-0.png')), await decode(input))).toBe(0);
  expect(maxAbsDiff(await decode(path.join(dir, 'fx-2.png')), styled)).toBe(0);
  expect(fs.existsSync(path.join(dir, 'fx-1.png'))).toBe(true);
});

test('--threads sets stats\' threads and says so; the bytes are the same for any count', async () => {
  const big = path.join(dir, 'big.png');
  fs.writeFileSync(big, await encodePNG(tilingTexture(256, 256)));
  const outs = ['1', '2'].map((n) => {
    const out = path.join(dir, `threads-${n}.png`);
    const r = run('style', big, out, '--reference', REFERENCE, '--seamless', '--threads', n);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(n === '1' ? ', 1 thread,' : ', 2 threads,');
    return out;
  });
  expect(maxAbsDiff(await decode(outs[0]), await decode(outs[1]))).toBe(0);
});

describe('bad input: one line, exit 2, nothing written', () => {
  const cases: [string, () => Promise<string[]>, RegExp][] = [
    ['missing reference', async () => ['--reference', path.join(dir, 'nope.png')], /nope\.png: reference image not found/],
    ['non-image reference', async () => {
      fs.writeFileSync(path.join(dir, 'notes.png'), 'not an image');
      return ['--reference', path.join(dir, 'notes.png')];
    }, /notes\.png: reference is not a readable image/],
    ['16-bit reference', async () => {
      const file = path.join(dir, 'deep.png');
      await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }).toColourspace('rgb16').png().toFile(file);
      return ['--reference', file];
    }, /deep\.png: reference has 16-bit channels; save it as 8-bit/],
    ['huge reference', async () => {
      const file = path.join(dir, 'huge.png');
      await sharp({ create: { width: 4100, height: 4100, channels: 3, background: '#808080' } }).png({ compressionLevel: 1 }).toFile(file);
      return ['--reference', file];
    }, /huge\.png: reference is 4100x4100, larger than 4096x4096/],
    ['strength above 1', async () => ['--reference', REFERENCE, '--strength', '1.5'], /strength must be a number from 0 to 1/],
    ['strength not a number', async () => ['--reference', REFERENCE, '--strength', 'lots'], /strength must be a number from 0 to 1/],
    ['tone above 1', async () => ['--reference', REFERENCE, '--tone', '1.5'], /tone must be a number from 0 to 1/],
    ['tone with a method that has none', async () => ['--reference', REFERENCE, '--tone', '0.5', '--method', 'gram'], /--tone applies to --method stats only, not gram/],
    ['no threads', async () => ['--reference', REFERENCE, '--threads', '0'], /threads must be a whole number from 1 to 64/],
    ['threads with a method that has none', async () => ['--reference', REFERENCE, '--threads', '2', '--method', 'stats-bands'], /--threads applies to --method stats only, not stats-bands/],
  ];
  test.each(cases)('%s', async (_name, args, message) => {
    const out = path.join(dir, 'bad-out.png');
    const r = run('style', input, out, ...(await args()));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('missing or non-image input', () => {
    const out = path.join(dir, 'bad-out.png');
    const missing = run('style', path.join(dir, 'absent.png'), out, '--reference', REFERENCE);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^remaster: .*absent\.png: cannot read image/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
