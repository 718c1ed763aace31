/** Numeric flags: one strict reading for every command (plain decimal digits within the flag's range). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { integerOption, numberOption } from '../plugin/cli/number-option';
import { makeProject, removeProject, snapshot, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');

test('whole numbers: plain digits in range pass; empty, hex, exponent, fractions and out-of-range are refused', () => {
  const jobs = integerOption({ min: 1, max: 64, message: 'must be a whole number from 1 to 64' });
  expect(jobs('2')).toBe(2);
  expect(jobs(' 16 ')).toBe(16);
  expect(jobs('+3')).toBe(3);
  expect(jobs('64')).toBe(64);
  // Number() reads every one of these as a number; none is what a user means by a count.
  for (const bad of ['', ' ', '0x2', '1e1', '2.5', 'Infinity', '0', '65', '-1', '2 jobs', '٣']) {
    expect(() => jobs(bad)).toThrow('must be a whole number from 1 to 64');
  }
});

test('decimal numbers: "above" excludes the bound, exponent and hex are refused', () => {
  const positive = numberOption({ min: 0, aboveMin: true, message: 'must be a positive number' });
  expect(positive('0.5')).toBe(0.5);
  expect(positive('.25')).toBe(0.25);
  expect(positive('12')).toBe(12);
  for (const bad of ['0', '-0.5', '', '5e-1', '0x1', 'NaN', '1/2']) expect(() => positive(bad)).toThrow('must be a positive number');
  const fov = numberOption({ min: 5, max: 150, message: 'fov' });
  expect(fov('5')).toBe(5);
  expect(() => fov('4.99')).toThrow('fov');
  expect(() => fov('150.01')).toThrow('fov');
});

test('vary and style read their numbers the same way (a hex seed or count is refused)', () => {
  const { varyOptionsFromFlags } = require('../plugin/cli/vary') as typeof import('../plugin/cli/vary');
  const flags = { count: '4', seed: '1', variation: '0.5' } as Parameters<typeof varyOptionsFromFlags>[0];
  expect(varyOptionsFromFlags(flags)).toMatchObject({ count: 4, seed: 1, variation: 0.5 });
  expect(() => varyOptionsFromFlags({ ...flags, count: '0x4' })).toThrow('--count must be a whole number (got "0x4")');
  expect(() => varyOptionsFromFlags({ ...flags, seed: '1e3' })).toThrow('--seed must be a whole number');
  expect(() => varyOptionsFromFlags({ ...flags, variation: '5e-1' })).toThrow('--variation must be a number from 0 to 1');
  const { parseSeed, parseStrength } = require('../plugin/cli/style') as typeof import('../plugin/cli/style');
  expect(parseSeed('7')).toBe(7);
  expect(() => parseSeed('0x7')).toThrow('seed must be an integer from 0 to 4294967295');
  expect(() => parseStrength('')).toThrow('strength must be a number from 0 to 1');
});

test('the eval commands refuse odd numbers in one line too (before reading any data)', () => {
  const cases: [string[], string][] = [
    [['eval-material', '/nonexistent', '--limit', 'abc'], "option '--limit <n>' argument 'abc' is invalid. limit must be a whole number from 1 up"],
    [['eval-material', '/nonexistent', '--size', '12'], "option '--size <WxH>' argument '12' is invalid. size must be WIDTHxHEIGHT, each from 64 to 4096"],
    [['eval-vary', '/nonexistent', '--count', '0x3'], '--count must be a whole number from 2 to 16'],
  ];
  for (const [args, message] of cases) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  }
});

describe('on the command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject({ 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
  });
  afterEach(() => removeProject(dir));

  it('run --jobs 0x2 is refused in one line with exit 2 and the project untouched', () => {
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] });
    const before = snapshot(dir);
    const r = spawnSync(process.execPath, [BIN, 'run', dir, '--jobs', '0x2'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining("option '--jobs <n>' argument '0x2' is invalid. must be a whole number from 1 up")]);
    expect(snapshot(dir)).toEqual(before);
  });
});
