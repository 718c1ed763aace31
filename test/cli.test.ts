/** The `remaster` command as users run it: exit codes, --json shape, messages, restore. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeProject, removeProject, snapshot, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');

function remaster(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('remaster CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
  });
  afterEach(() => removeProject(dir));

  it('run --json: exit 0 and exactly one JSON object {processed, skipped, failed}', () => {
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] });
    const r = remaster('run', dir, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['processed', 'skipped', 'failed']);
    expect(report.failed).toEqual([]);
    expect(report.processed[0]).toMatchObject({
      path: 'BoxTextured/BoxTextured.gltf',
      type: 'gltf',
      textures: [{ name: 'CesiumLogoFlat.png', slots: ['baseColor'], kind: 'color', before: { width: 256, height: 256 }, after: { width: 512, height: 512 }, rule: ['remaster.config.json#0'], engine: 'lanczos' }],
    });
    expect(report.processed[1]).toMatchObject({ path: 'tex/brick.png', type: 'texture', textures: [{ kind: 'color', after: { width: 512, height: 512 } }] });
  });

  it('run without --json on a pipe: one line per asset and a summary', () => {
    const r = remaster('run', dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('[1/2] processed BoxTextured/BoxTextured.gltf: CesiumLogoFlat.png [baseColor] 256x256→512x512 (remaster-x2-fast@cpu)');
    expect(lines[1]).toBe('[2/2] processed tex/brick.png: [color] 256x256→512x512 (remaster-x2-fast@cpu)');
    expect(lines[2]).toMatch(/^processed 2 asset\(s\) \(2 texture\(s\)\), skipped 0, failed 0 in \d+\.\d s$/);
  });

  it('exit 1 when an asset fails; the others are still done', () => {
    fs.writeFileSync(path.join(dir, 'broken.glb'), 'not a glb at all');
    const r = remaster('run', dir, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].path).toBe('broken.glb');
    expect(report.failed[0].error).toMatch(/\S/);
    expect(report.processed.map((p: { path: string }) => p.path)).toEqual(['BoxTextured/BoxTextured.gltf', 'tex/brick.png']);
  });

  it('exit 2 with a one-line `file: key: problem` message for a bad config; nothing changed', () => {
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 3 } }] });
    const before = snapshot(dir);
    const r = remaster('run', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('remaster: remaster.config.json: rules.0.upscale.scale: must be one of 2, 4, got 3\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('exit 2 for a bad sidecar, an unknown model, and bad usage', () => {
    writeJSON(path.join(dir, 'tex/brick.png.remaster.json'), { rules: [{ upscale: { scale: 2 }, colour: 'red' }] });
    expect(remaster('run', dir).stderr).toBe('remaster: tex/brick.png.remaster.json: rules.0.colour: unknown key\n');
    fs.rmSync(path.join(dir, 'tex/brick.png.remaster.json'));

    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ upscale: { model: 'no-such-model' } }] });
    const model = remaster('run', dir);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/^remaster: remaster\.config\.json: rules\.0\.upscale\.model: .*no-such-model/);

    expect(remaster('run').code).toBe(2);
    expect(remaster('run', path.join(dir, 'nope')).code).toBe(2);
    expect(remaster('run', dir, '--device', 'tpu').code).toBe(2);
    expect(remaster('frobnicate').code).toBe(2);
  });

  it('--config points at another rules file; --dry-run changes nothing', () => {
    const config = path.join(dir, 'alt.json');
    writeJSON(config, { rules: [{ match: 'tex/**', upscale: { scale: 4 } }] });
    const before = snapshot(dir);
    const r = remaster('run', dir, '--config', config, '--dry-run', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.processed.map((p: { path: string }) => p.path)).toEqual(['tex/brick.png']);
    expect(report.processed[0].textures[0].after).toEqual({ width: 1024, height: 1024 });
    expect(report.skipped).toEqual([{ path: 'BoxTextured/BoxTextured.gltf', reason: 'no rule applies' }]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('restore puts the originals back', () => {
    const before = snapshot(dir);
    expect(remaster('run', dir).code).toBe(0);
    const r = remaster('restore', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('restored 2 asset(s)');
    const after = snapshot(dir);
    expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v.hash]))).toEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.hash])));
  });
});
