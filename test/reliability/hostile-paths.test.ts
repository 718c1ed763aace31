/**
 * Hostile paths: glTF URIs and links that try to make Remaster read or write outside the project.
 * A secret PNG sits beside the project; whatever the asset says, its bytes must never show up in the
 * project (outputs or .remaster/originals), and nothing outside may change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cli, gltfJSON, hashTree, makeSandbox, noisePNG, removeDir, runJSON, write } from './helpers';

describe('hostile paths', () => {
  let box: ReturnType<typeof makeSandbox>;
  let secret: Buffer;
  let outsideBefore: Record<string, string>;

  beforeEach(async () => {
    box = makeSandbox();
    secret = Buffer.concat([await noisePNG(8, 8, 99)]);
    write(path.join(box.outside, 'secret.png'), secret);
    write(path.join(box.outside, 'secret.bin'), Buffer.alloc(256, 7));
    write(path.join(box.project, 'ok.png'), await noisePNG(8, 8, 1));
    outsideBefore = hashTree(box.outside);
  });
  afterEach(() => removeDir(box.base));

  /** Nothing outside changed, and the secret is nowhere in the project. */
  function expectSealed(): void {
    expect(hashTree(box.outside)).toEqual(outsideBefore);
    const leaks = Object.keys(hashTree(box.project)).filter((rel) => {
      const file = path.join(box.project, rel);
      return !fs.lstatSync(file).isSymbolicLink() && fs.readFileSync(file).includes(secret.subarray(secret.length - 40, secret.length - 12)) // IDAT tail: unique noise;
    });
    expect(leaks).toEqual([]);
    expect(fs.readdirSync(box.base).sort()).toEqual(['outside', 'project']);
  }

  it('every escaping image/buffer URI fails its model with a one-line error; the rest of the run goes on', async () => {
    const o = box.outside;
    const uris: Record<string, string> = {
      dotdot: '../../outside/secret.png',
      absolute: path.join(o, 'secret.png'),
      fileURL: `file://${path.join(o, 'secret.png')}`,
      encoded: '..%2F..%2Foutside%2Fsecret.png',
      encodedDots: '%2e%2e/%2e%2e/outside/secret.png',
      doubleEncoded: '%252e%252e/%252e%252e/outside/secret.png',
      backslash: '..\\..\\outside\\secret.png',
      nul: 'ok.png%00../../outside/secret.png',
      http: 'http://127.0.0.1:9/secret.png',
      symlinkFile: 'link.png',
      symlinkDir: 'ext/secret.png',
    };
    fs.mkdirSync(path.join(box.project, 'models'));
    fs.symlinkSync(path.join(o, 'secret.png'), path.join(box.project, 'models', 'link.png'));
    fs.symlinkSync(o, path.join(box.project, 'models', 'ext'));
    for (const [name, uri] of Object.entries(uris)) {
      write(path.join(box.project, 'models', `${name}.gltf`), JSON.stringify((await gltfJSON({ uri })).json));
    }
    // A buffer URI that escapes, with a harmless embedded image.
    write(path.join(box.project, 'models', 'buffer.gltf'), JSON.stringify((await gltfJSON({ bytes: await noisePNG(8, 8, 3) }, '../../outside/secret.bin')).json));
    const modelsBefore = hashTree(path.join(box.project, 'models'));

    const r = runJSON(box.project);
    expect(r.code).toBe(1);
    const failed = Object.fromEntries(r.report.failed.map((f) => [f.path, f.error]));
    for (const name of [...Object.keys(uris), 'buffer']) {
      const error = failed[`models/${name}.gltf`];
      expect(error).toBeDefined();
      expect(error).not.toContain('\n');
    }
    // doubleEncoded decodes once to a literal "%2e%2e" folder name inside the project: harmless, just missing.
    expect(failed['models/doubleEncoded.gltf']).toMatch(/missing/);
    for (const name of ['dotdot', 'encoded', 'encodedDots', 'buffer']) expect(failed[`models/${name}.gltf`]).toMatch(/leaves the project/);
    expect(failed['models/absolute.gltf']).toMatch(/absolute/);
    expect(failed['models/fileURL.gltf']).toMatch(/only relative paths/);
    expect(failed['models/symlinkFile.gltf']).toMatch(/symlink/);
    expect(failed['models/symlinkDir.gltf']).toMatch(/symlink/);
    expect(r.report.processed.map((p) => p.path)).toEqual(['ok.png']);
    expect(hashTree(path.join(box.project, 'models'))).toEqual(modelsBefore);
    expectSealed();
  });

  it('a symlinked texture or folder is not an asset; its target is neither read nor written', async () => {
    fs.symlinkSync(path.join(box.outside, 'secret.png'), path.join(box.project, 'linked.png'));
    fs.symlinkSync(box.outside, path.join(box.project, 'linked-folder'));
    const r = runJSON(box.project);
    expect(r.code).toBe(0);
    expect(r.report.processed.map((p) => p.path)).toEqual(['ok.png']);
    expect([...r.report.skipped, ...r.report.failed]).toEqual([]);
    expectSealed();
    expect(cli(['restore', box.project]).code).toBe(0);
    expectSealed();
  });

  it('a .remaster folder that is a symlink out of the project is refused: no original or state is written through it', async () => {
    fs.symlinkSync(box.outside, path.join(box.project, '.remaster'));
    const before = hashTree(box.project);
    const r = cli(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^remaster: .*\.remaster.*symlink.*\n$/);
    expect(hashTree(box.project)).toEqual(before);
    expectSealed();
  });

  it('a symlinked .remaster/originals or state.json is refused', async () => {
    fs.mkdirSync(path.join(box.project, '.remaster'));
    fs.symlinkSync(box.outside, path.join(box.project, '.remaster', 'originals'));
    let r = cli(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/originals.*symlink/);
    fs.unlinkSync(path.join(box.project, '.remaster', 'originals'));
    fs.symlinkSync(path.join(box.outside, 'secret.bin'), path.join(box.project, '.remaster', 'state.json'));
    r = cli(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.json.*symlink/);
    expectSealed();
  });

  it('a tampered state.json naming files outside the project makes neither run nor restore touch them', async () => {
    write(path.join(box.outside, 'victim.txt'), 'do not overwrite');
    // ../../../outside/victim.txt under .remaster/originals/ is the victim too: dropOriginal would delete it.
    const bad = ['../outside/victim.txt', '../../../outside/victim.txt', '/tmp/remaster-test-absolute', 'a/../../outside/victim.txt'];
    const state = {
      version: 1,
      files: Object.fromEntries(bad.map((rel) => [rel, { original: null, output: null }])),
      assets: { 'ok.png': { type: 'texture', files: ['ok.png', ...bad], fingerprint: 'x', rules: [], engines: [] } },
    };
    write(path.join(box.project, '.remaster', 'state.json'), JSON.stringify(state));
    outsideBefore = hashTree(box.outside);
    const projectBefore = hashTree(box.project);
    for (const args of [['restore', box.project], ['run', box.project]]) {
      const r = cli(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^remaster: \.remaster\/state\.json: .*outside the project.*\n$/);
    }
    expect(fs.existsSync('/tmp/remaster-test-absolute')).toBe(false);
    expect(hashTree(box.project)).toEqual(projectBefore);
    expectSealed();
  });
});
